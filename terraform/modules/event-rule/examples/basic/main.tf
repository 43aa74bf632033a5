# The use this module was made for: a worker Lambda subscribed to one domain event on its
# domain's bus. SessionConfirmed events reach the welcome-email function with a small input
# (event id for idempotency, session id). An event Lambda does not accept (throttled, permission
# missing) is retried 3 times within an hour, then kept 14 days in the rule's dead-letter queue
# instead of being dropped; the function's own errors go to the function's queue.
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

module "welcome_email" {
  source = "../.."

  name           = "slipway-dev-welcome-email-1"
  event_bus_name = "slipway-dev-sessions" # event-bus module's bus_name

  event_pattern = jsonencode({
    source        = ["slipway.sessions"]
    "detail-type" = ["SessionConfirmed"]
  })

  # lambda-function module's function_arn and function_name.
  function_arn  = "arn:aws:lambda:eu-west-1:123456789012:function:slipway-dev-welcome-email"
  function_name = "slipway-dev-welcome-email"

  # Placeholders stand bare where a JSON value goes: EventBridge writes strings quoted and escaped.
  input_transformer = {
    input_paths = {
      eventId   = "$.id"
      sessionId = "$.detail.sessionId"
    }
    input_template = "{\"eventId\": <eventId>, \"sessionId\": <sessionId>, \"rule\": <aws.events.rule-name>}"
  }

  # Lets the permission's source_arn and the queue policy be read in `terraform plan`.
  account_id = "123456789012"

  alarm_actions = ["arn:aws:sns:eu-west-1:123456789012:slipway-dev-alarms"]
  tags          = { domain = "sessions" }
}

output "rule_arn" {
  description = "ARN of the example rule, the source_arn of its Lambda permission."
  value       = module.welcome_email.rule_arn
}

output "dead_letter_queue_arn" {
  description = "Where undeliverable SessionConfirmed events go."
  value       = module.welcome_email.dead_letter_queue_arn
}
