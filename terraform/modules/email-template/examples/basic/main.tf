# Minimal use: the welcome email of the jobs domain, from its committed template file.
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
  welcome = {
    subject = "You're booked: {{sessionTitle}}"
    text    = "Hi {{name}},\n\nYour place in \"{{sessionTitle}}\" is confirmed. It starts {{startsAt}}.\n"
    html    = "<p>Hi {{name}},</p><p>Your place in <strong>{{sessionTitle}}</strong> is confirmed. It starts {{startsAt}}.</p>"
  }
}

module "welcome_email" {
  source = "../.."

  name       = "slipway-dev-welcome"
  subject    = local.welcome.subject
  text       = local.welcome.text
  html       = local.welcome.html
  account_id = "123456789012"
}

output "template_arn" {
  description = "ARN to grant ses:SendEmail on (with the sender identity)."
  value       = module.welcome_email.template_arn
}
