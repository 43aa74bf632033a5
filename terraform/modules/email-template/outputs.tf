output "template_name" {
  description = "Name of the template (SendEmail's Content.Template.TemplateName)."
  value       = aws_ses_template.this.name
}

output "template_arn" {
  description = "ARN of the template (arn:<partition>:ses:<region>:<account>:template/<name>), known at plan time: the resource of a ses:SendEmail grant."
  value       = local.template_arn
}
