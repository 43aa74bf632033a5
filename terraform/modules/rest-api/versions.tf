terraform {
  # 1.10: cross-variable validation (1.9) and mock_provider overrides in `terraform test` (1.7).
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # put_rest_api_mode on aws_api_gateway_rest_api needs >= 5.0; 5.70 is the oldest we test against.
      version = ">= 5.70, < 7.0"
    }
  }
}
