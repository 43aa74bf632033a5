# Minimal use: a custom bus for Slipway's domain events with a 30-day replay archive.
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

module "media_events" {
  source = "../.."

  name = "slipway-dev-media"

  # Lets bus_arn / archive_arn be read in `terraform plan`; optional.
  account_id = "123456789012"

  tags = { domain = "media" }
}

output "bus_arn" {
  description = "ARN of the example bus (give it to the state-machine module's event_bus_arns)."
  value       = module.media_events.bus_arn
}

output "archive_arn" {
  description = "ARN of the example bus's archive (StartReplay source)."
  value       = module.media_events.archive_arn
}
