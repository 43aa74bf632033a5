# A Lambda function on a schedule: every 15 minutes (UTC), the reminders function is invoked with
# a static payload. The schedule's role may invoke that function only and write to the schedule's
# own dead-letter queue; an on-call topic hears when a run lands there.
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

module "reminders_schedule" {
  source = "../.."

  name                = "slipway-dev-reminders"
  schedule_expression = "rate(15 minutes)"
  timezone            = "UTC"
  # The lambda-function module's function_arn in a real stack.
  function_arn  = "arn:aws:lambda:eu-west-1:123456789012:function:slipway-dev-reminders"
  input         = jsonencode({ kind = "session-reminders", scheduledTime = "<aws.scheduler.scheduled-time>" })
  account_id    = "123456789012"
  alarm_actions = ["arn:aws:sns:eu-west-1:123456789012:slipway-dev-alarms"]
  tags          = { function = "reminders" }
}

output "policy_json" {
  description = "The role policy the module generated (lambda:InvokeFunction on the function, sqs:SendMessage on the queue)."
  value       = module.reminders_schedule.policy_json
}

output "dead_letter_queue_arn" {
  description = "Where invocations Scheduler could not deliver are kept."
  value       = module.reminders_schedule.dead_letter_queue_arn
}
