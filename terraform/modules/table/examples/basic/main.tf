# Minimal use: an idempotency table (one item per request id, expired by TTL), on-demand,
# encrypted with the AWS managed key, with point-in-time recovery and deletion protection.
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

module "idempotency" {
  source = "../.."

  table_name    = "slipway-dev-idempotency"
  hash_key      = "id"
  ttl_attribute = "expiration"

  # A dev table is torn down with its stack; keep the default (true) everywhere else.
  deletion_protection = false

  # The environment's alarm topic (the alarm-topic module's topic_arn in a real stack): every
  # alarm of the module notifies it on ALARM and OK.
  alarm_actions = ["arn:aws:sns:eu-west-1:123456789012:slipway-dev-alarms"]

  tags = { domain = "edge" }
}

output "table_name" {
  description = "Name of the example table (give it to the Lambda, e.g. Powertools idempotency's tableName)."
  value       = module.idempotency.table_name
}

output "table_arn" {
  description = "ARN of the example table (resource of the Lambda's dynamodb:GetItem/PutItem/UpdateItem/DeleteItem)."
  value       = module.idempotency.table_arn
}
