# Minimal use: one function from a local zip, secure defaults for everything else.
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

module "hello" {
  source = "../.."

  function_name = "slipway-dev-hello"
  filename      = "${path.module}/hello.zip"
  # filebase64sha256("${path.module}/hello.zip") once the zip exists; a fixed value keeps the
  # example plannable without building anything.
  source_code_hash = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="

  environment_variables = {
    POWERTOOLS_SERVICE_NAME = "hello"
  }

  policy_statements = [{
    sid       = "ReadGreetings"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::slipway-dev-greetings/hello/*"]
  }]

  # The account the role trusts Lambda for (aws:SourceAccount); also lets the role policy be read
  # in `terraform plan`.
  account_id = "123456789012"

  # The environment's alarm topic (the alarm-topic module's topic_arn in a real stack): every
  # alarm of the module notifies it on ALARM and OK.
  alarm_actions = ["arn:aws:sns:eu-west-1:123456789012:slipway-dev-alarms"]

  tags = { app = "hello" }
}

output "function_arn" {
  description = "ARN of the example function."
  value       = module.hello.function_arn
}

output "policy_json" {
  description = "The execution role policy the module generated."
  value       = module.hello.policy_json
}
