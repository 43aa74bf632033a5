terraform {
  # 1.10: cross-variable validation (1.9) and mock_provider overrides in `terraform test` (1.7).
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # The oldest provider the other Slipway modules test against.
      version = ">= 5.70, < 7.0"
    }
  }
}
