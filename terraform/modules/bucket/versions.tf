terraform {
  # 1.10: cross-variable validation (1.9) and mock_provider overrides in `terraform test` (1.7).
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # Split S3 bucket resources (v4+) with 5.x lifecycle filter semantics; 5.70 is the floor we support.
      version = ">= 5.70, < 7.0"
    }
  }
}
