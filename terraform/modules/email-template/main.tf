# Offline-safe: answered from the provider configuration, no API call.
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  # Built from known parts, not read back, so the IAM grant naming it is readable in the plan.
  template_arn = "arn:${data.aws_partition.current.partition}:ses:${data.aws_region.current.name}:${var.account_id}:template/${var.name}"
}

# An SES stored template. SES v2 SendEmail sends it by name (Content.Template.TemplateName) with
# the caller's TemplateData filling its {{field}} placeholders; v1 and v2 share one template
# store, and the provider has no aws_sesv2_email_template, so this is the v1 resource.
# https://docs.aws.amazon.com/ses/latest/dg/send-personalized-email-api.html
resource "aws_ses_template" "this" {
  name    = var.name
  subject = var.subject
  text    = var.text
  html    = var.html
}
