terraform {
  # 1.10: cross-variable validation (1.9) and mock_provider overrides in `terraform test` (1.7).
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # aws_scheduler_schedule with schedule_expression_timezone and kms_key_arn: 5.x; 5.70 is
      # the floor we support.
      version = ">= 5.70, < 7.0"
    }
  }
}
