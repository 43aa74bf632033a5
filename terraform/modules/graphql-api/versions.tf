terraform {
  # 1.10: cross-variable validation (1.9) and mock_provider overrides in `terraform test` (1.7).
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # lambda_authorizer_config and log_config.exclude_verbose_content on aws_appsync_graphql_api
      # and direct Lambda resolvers (no mapping templates) are stable across 5.x; 5.70 is the
      # floor we support.
      version = ">= 5.70, < 7.0"
    }
  }
}
