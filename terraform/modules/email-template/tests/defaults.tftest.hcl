# The template SES stores and the ARN a SendEmail grant names, on a mock apply (no AWS calls).
mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = {
      partition = "aws"
    }
  }
  mock_data "aws_region" {
    defaults = {
      name = "eu-west-1"
    }
  }
}

variables {
  name       = "slipway-test-welcome"
  subject    = "You're booked: {{sessionTitle}}"
  text       = "Hi {{name}}, see you at {{startsAt}}."
  html       = "<p>Hi {{name}}, see you at {{startsAt}}.</p>"
  account_id = "123456789012"
}

run "stores_the_three_parts_under_the_name" {
  command = apply

  assert {
    condition = (
      aws_ses_template.this.name == "slipway-test-welcome" &&
      aws_ses_template.this.subject == "You're booked: {{sessionTitle}}" &&
      aws_ses_template.this.text == "Hi {{name}}, see you at {{startsAt}}." &&
      aws_ses_template.this.html == "<p>Hi {{name}}, see you at {{startsAt}}.</p>"
    )
    error_message = "The template must hold the given name, subject, text and html unchanged."
  }

  assert {
    condition     = output.template_name == "slipway-test-welcome"
    error_message = "template_name must be the template's name."
  }
}

run "the_arn_is_known_at_plan_time" {
  command = plan

  assert {
    condition     = output.template_arn == "arn:aws:ses:eu-west-1:123456789012:template/slipway-test-welcome"
    error_message = "template_arn must be built from partition, Region, account and name, so the IAM grant is readable in the plan."
  }
}
