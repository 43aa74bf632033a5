terraform {
  # 1.10: cross-variable validation (1.9) and mock_provider overrides in `terraform test` (1.7).
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # deletion_protection_enabled on aws_dynamodb_table arrived in 5.2; 5.70 is the floor we
      # support across Slipway's modules.
      version = ">= 5.70, < 7.0"
    }
  }
}
