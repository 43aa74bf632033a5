# Minimal use: a private, encrypted, versioned bucket with the default lifecycle rule.
# Plan it offline with fake credentials as described in terraform/bootstrap/README.md.
terraform {
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.70, < 7.0"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

module "media" {
  source = "../.."

  bucket_name               = "slipway-dev-media-example"
  eventbridge_notifications = true

  tags = { domain = "media" }
}

output "bucket_arn" {
  description = "ARN of the example bucket."
  value       = module.media.bucket_arn
}

output "policy_json" {
  description = "The bucket policy the module generated."
  value       = module.media.policy_json
}
