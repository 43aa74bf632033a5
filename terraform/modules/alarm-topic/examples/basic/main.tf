# Minimal use: one environment's alarm topic paging one email address and one webhook, and an
# alarm that notifies it. Plan it offline with fake credentials as described in
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

module "alarms" {
  source = "../.."

  name       = "slipway-dev-alarms"
  account_id = "123456789012"
  subscriptions = [
    { protocol = "email", endpoint = "oncall@dev.slipway.example" },
    { protocol = "https", endpoint = "https://events.pagerduty.example/integration/abc123/enqueue" },
  ]
}

resource "aws_cloudwatch_metric_alarm" "errors" {
  alarm_name          = "slipway-dev-hello-errors"
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = "slipway-dev-hello" }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"

  alarm_actions = [module.alarms.topic_arn]
  ok_actions    = [module.alarms.topic_arn]
}

output "topic_arn" {
  description = "The topic every alarm of the environment notifies."
  value       = module.alarms.topic_arn
}
