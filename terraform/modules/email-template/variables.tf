variable "name" {
  description = "Template name, which SendEmail's TemplateName and the IAM grant (template/<name>) use, e.g. \"slipway-dev-welcome\"."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.name))
    error_message = "name must be 1-64 letters, digits, '_' or '-' (SES template names), e.g. \"slipway-dev-welcome\"."
  }
}

variable "subject" {
  description = "Subject line, with {{field}} placeholders filled from the TemplateData of each send."
  type        = string

  validation {
    condition     = length(trimspace(var.subject)) > 0 && !strcontains(var.subject, "\n")
    error_message = "subject must be one non-empty line, e.g. \"You're booked: {{sessionTitle}}\"."
  }

  validation {
    # An unclosed placeholder fails every send of the template with a rendering failure, and only
    # at run time.
    condition     = length(regexall("\\{\\{", var.subject)) == length(regexall("\\}\\}", var.subject))
    error_message = "subject must close every {{placeholder}}: a '{{' without its '}}' makes every send of the template fail."
  }
}

variable "text" {
  description = "Plain-text body, with {{field}} placeholders. Required: clients that show no HTML (and spam filters) read it."
  type        = string

  validation {
    condition     = length(trimspace(var.text)) > 0
    error_message = "text must be a non-empty plain-text body: every email carries one beside the HTML."
  }

  validation {
    # An unclosed placeholder fails every send of the template with a rendering failure, and only
    # at run time.
    condition     = length(regexall("\\{\\{", var.text)) == length(regexall("\\}\\}", var.text))
    error_message = "text must close every {{placeholder}}: a '{{' without its '}}' makes every send of the template fail."
  }
}

variable "html" {
  description = "HTML body, with {{field}} placeholders (SES escapes {{field}} values in HTML, {{{field}}} inserts them raw)."
  type        = string

  validation {
    condition     = length(trimspace(var.html)) > 0
    error_message = "html must be a non-empty HTML body, e.g. \"<p>Hi {{name}},</p>\"."
  }

  validation {
    # An unclosed placeholder fails every send of the template with a rendering failure, and only
    # at run time.
    condition     = length(regexall("\\{\\{", var.html)) == length(regexall("\\}\\}", var.html))
    error_message = "html must close every {{placeholder}}: a '{{' without its '}}' makes every send of the template fail."
  }

  validation {
    # SES refuses a template over 500 KB (subject and both bodies); failing here names the cause.
    # https://docs.aws.amazon.com/ses/latest/dg/quotas.html
    condition     = length(var.subject) + length(var.text) + length(var.html) <= 500000
    error_message = "subject, text and html together must be under 500 KB (SES's template size limit): link large content instead of inlining it."
  }
}

variable "account_id" {
  description = "AWS account id of the template: its ARN (template_arn, for IAM grants) is built from it, so it is known at plan time."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be the 12-digit AWS account id, e.g. \"123456789012\"."
  }
}
