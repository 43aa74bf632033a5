# The use this module was made for: every object created under uploads/ in the media bucket starts
# the media state machine with a small, typed input (an S3 pointer, not the bytes).
# The pattern and transformer are those of libs/flows/media.trigger.json, which the local sandbox
# runs; stacks load that file instead of repeating it (see README).
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

locals {
  # The bucket module with eventbridge_notifications = true sends its events to the default bus.
  media_bucket      = "slipway-dev-media"
  state_machine_arn = "arn:aws:states:eu-west-1:123456789012:stateMachine:slipway-dev-media"
}

module "media_trigger" {
  source = "../.."

  name           = "slipway-dev-media-trigger"
  event_bus_name = "default"

  event_pattern = jsonencode({
    source        = ["aws.s3"]
    "detail-type" = ["Object Created"]
    detail = {
      bucket = { name = [local.media_bucket] }
      object = { key = [{ prefix = "uploads/" }] }
    }
  })

  state_machine_arn = local.state_machine_arn

  # Placeholders stand bare where a JSON value goes: EventBridge writes strings quoted and escaped
  # (an S3 key may contain any character), numbers as numbers (size), a missing path as null
  # (versionId of an unversioned bucket). Quoting them ("<key>") would paste the raw text.
  input_paths = {
    bucket    = "$.detail.bucket.name"
    key       = "$.detail.object.key"
    versionId = "$.detail.object.version-id"
    etag      = "$.detail.object.etag"
    size      = "$.detail.object.size"
    eventId   = "$.id"
  }
  input_template = "{\"object\": {\"bucket\": <bucket>, \"key\": <key>, \"versionId\": <versionId>, \"etag\": <etag>, \"size\": <size>}, \"correlationId\": <eventId>}"

  # The account the role trusts EventBridge for (aws:SourceAccount, and this rule in
  # aws:SourceArn); also lets the trust, role and queue policies be read in `terraform plan`.
  account_id = "123456789012"

  # The environment's alarm topic (the alarm-topic module's topic_arn in a real stack): every
  # alarm of the module notifies it on ALARM and OK.
  alarm_actions = ["arn:aws:sns:eu-west-1:123456789012:slipway-dev-alarms"]

  tags = { flow = "media" }
}

output "rule_arn" {
  description = "ARN of the example rule."
  value       = module.media_trigger.rule_arn
}

output "policy_json" {
  description = "The role policy the module generated."
  value       = module.media_trigger.policy_json
}

output "dead_letter_queue_arn" {
  description = "Where undeliverable upload events go."
  value       = module.media_trigger.dead_letter_queue_arn
}
