# The use this module was made for: the nightly ETL run at 02:30 Paris time, with the scheduled
# time in the input so the flow processes the previous UTC day. The stacks read the expression,
# time zone and input from libs/flows/etl.schedule.json instead of repeating them. The defaults
# give the schedule its own encrypted dead-letter queue (slipway-dev-etl-schedule-dlq) and a
# depth alarm.
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

module "etl_schedule" {
  source = "../.."

  name                = "slipway-dev-etl-schedule"
  schedule_expression = "cron(30 2 * * ? *)"
  timezone            = "Europe/Paris"
  state_machine_arn   = "arn:aws:states:eu-west-1:123456789012:stateMachine:slipway-dev-etl"
  input               = jsonencode({ scheduledTime = "<aws.scheduler.scheduled-time>" })
  account_id          = "123456789012"

  # The environment's alarm topic (the alarm-topic module's topic_arn in a real stack): every
  # alarm of the module notifies it on ALARM and OK.
  alarm_actions = ["arn:aws:sns:eu-west-1:123456789012:slipway-dev-alarms"]
}

output "policy_json" {
  description = "The role policy the module generated."
  value       = module.etl_schedule.policy_json
}

output "dead_letter_queue_arn" {
  description = "Where runs Scheduler could not start are kept."
  value       = module.etl_schedule.dead_letter_queue_arn
}
