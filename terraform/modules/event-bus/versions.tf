terraform {
  # 1.10: cross-variable validation (1.9) and mock_provider overrides in `terraform test` (1.7).
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # kms_key_identifier on aws_cloudwatch_event_bus arrived in 5.60; 5.70 is the floor we
      # support (so no bus `description`, which needs 5.76).
      version = ">= 5.70, < 7.0"
    }
  }
}
