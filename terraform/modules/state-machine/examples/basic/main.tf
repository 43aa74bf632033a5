# Minimal use: a one-state flow invoking one Lambda function, secure defaults for the rest.
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
  hello_arn = "arn:aws:lambda:eu-west-1:123456789012:function:slipway-dev-hello"
}

module "hello_flow" {
  source = "../.."

  name = "slipway-dev-hello-flow"
  # Real stacks load libs/flows/<flow>.asl.json with file(); inline here to stay self-contained.
  definition = jsonencode({
    Comment = "Say hello"
    StartAt = "SayHello"
    States = {
      SayHello = {
        Type     = "Task"
        Resource = "arn:aws:states:::lambda:invoke"
        Parameters = {
          FunctionName = local.hello_arn
          "Payload.$"  = "$"
        }
        Retry = [{
          ErrorEquals     = ["Lambda.ServiceException", "Lambda.TooManyRequestsException"]
          IntervalSeconds = 2
          MaxAttempts     = 3
          BackoffRate     = 2
        }]
        End = true
      }
    }
  })

  lambda_function_arns = [local.hello_arn]
  # The account the role trusts Step Functions for (aws:SourceAccount, and the state machine's
  # ARN in aws:SourceArn).
  account_id = "123456789012"

  # The environment's alarm topic (the alarm-topic module's topic_arn in a real stack): every
  # alarm of the module notifies it on ALARM and OK.
  alarm_actions = ["arn:aws:sns:eu-west-1:123456789012:slipway-dev-alarms"]

  tags = { flow = "hello" }
}

output "state_machine_arn" {
  description = "ARN of the example state machine."
  value       = module.hello_flow.state_machine_arn
}

output "policy_json" {
  description = "The execution role policy the module generated."
  value       = module.hello_flow.policy_json
}
