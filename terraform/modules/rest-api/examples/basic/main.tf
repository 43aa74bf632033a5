# Minimal use: one JWT-protected route behind the Lambda authorizer, secure defaults for the rest.
# The functions are referenced by name (the stacks create them with terraform/modules/lambda-function).
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

module "api" {
  source = "../.."

  name       = "slipway-dev-hello"
  stage_name = "dev"

  # openapi.json names the integration and authorizer functions by literal ARN, so the plan shows
  # the whole body and the module's checks run at plan time.
  openapi_body = file("${path.module}/openapi.json")

  routes = [{
    method        = "GET"
    path          = "/hello/{name}"
    function_name = "slipway-dev-hello"
    auth          = "jwt"
    throttle      = { rate_limit = 20, burst_limit = 40 }
  }]

  authorizer = { function_name = "slipway-dev-authorizer" }

  tags = { domain = "hello" }
}

output "invoke_url" {
  description = "Base URL of the example stage."
  value       = module.api.invoke_url
}

output "route_source_arns" {
  description = "The source ARN each route's invoke permission is scoped to."
  value       = module.api.route_source_arns
}
