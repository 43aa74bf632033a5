# Minimal use: the dashboard, composite alarm, saved queries and X-Ray group of a one-function,
# one-flow domain, paging an alarm topic. Plan it offline with fake credentials as described in
# terraform/bootstrap/README.md.
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

module "observability" {
  source = "../.."

  name   = "slipway-dev-hello"
  domain = "hello"
  functions = [
    { name = "slipway-dev-hello-greet", dead_letter_queue = "slipway-dev-hello-greet-dlq" },
  ]
  state_machines = [
    { name = "slipway-dev-hello", arn = "arn:aws:states:eu-west-1:123456789012:stateMachine:slipway-dev-hello" },
  ]
  metric_breakdowns = [{
    title      = "Greetings by outcome"
    namespace  = "Slipway/hello"
    metric     = "Greetings"
    dimensions = { service = "hello-greet" }
    split_by   = { name = "outcome", values = ["sent", "skipped"] }
  }]
  # Real stacks pass the alarm modules' alarm_names outputs.
  alarm_names   = ["slipway-dev-hello-greet-errors", "slipway-dev-hello-executions-failed"]
  alarm_actions = ["arn:aws:sns:eu-west-1:123456789012:slipway-dev-alarms"]
  runbook       = "docs/runbooks/hello.md"
}

output "dashboard_name" {
  description = "The domain's dashboard."
  value       = module.observability.dashboard_name
}
