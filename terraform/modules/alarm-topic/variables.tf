variable "name" {
  description = "Name of the SNS topic every alarm of one environment notifies. Also names its KMS key alias (alias/<name>). Slipway stacks use <prefix>-<env>-alarms, e.g. \"slipway-dev-alarms\"."
  type        = string

  validation {
    # 256 is SNS's limit; the alias (alias/<name>) allows 250 after the prefix, so 250 it is.
    condition     = can(regex("^[A-Za-z0-9_-]{1,250}$", var.name))
    error_message = "name must be 1-250 letters, digits, hyphens or underscores (a standard topic, no .fifo), e.g. \"slipway-dev-alarms\"."
  }
}

variable "account_id" {
  description = "AWS account the topic is created in. Scopes the topic and key policies to CloudWatch alarms of this account (aws:SourceAccount, aws:SourceArn) and builds topic_arn from known values, so every alarm's alarm_actions is readable in `terraform plan`."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be the 12-digit AWS account id, e.g. \"123456789012\"."
  }
}

variable "subscriptions" {
  description = "Who the alarms reach: protocol email (an address, confirmed by its owner), https (an https:// endpoint, e.g. a paging service's webhook), sqs (a queue ARN) or lambda (a function ARN). The subscriber's side (queue policy, Lambda permission) belongs to its owner."
  type = list(object({
    protocol = string
    endpoint = string
  }))
  default  = []
  nullable = false

  validation {
    condition     = alltrue([for s in var.subscriptions : contains(["email", "https", "sqs", "lambda"], s.protocol)])
    error_message = "subscriptions[*].protocol must be one of email, https, sqs, lambda (sms and http are not accepted: an alarm page must be reliable and travel over TLS)."
  }

  validation {
    condition = alltrue([for s in var.subscriptions : (
      s.protocol == "email" ? can(regex("^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+$", s.endpoint)) :
      s.protocol == "https" ? can(regex("^https://[A-Za-z0-9.-]+(:[0-9]+)?(/\\S*)?$", s.endpoint)) :
      s.protocol == "sqs" ? can(regex("^arn:aws[a-z-]*:sqs:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,80}$", s.endpoint)) :
      s.protocol == "lambda" ? can(regex("^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]+)?$", s.endpoint)) :
      true
    )])
    error_message = "subscriptions[*].endpoint must fit its protocol: email an address (oncall@example.com), https an https:// URL, sqs a standard queue ARN (arn:aws:sqs:<region>:<account>:<queue>), lambda a function ARN (arn:aws:lambda:<region>:<account>:function:<name>)."
  }

  validation {
    condition     = length(distinct([for s in var.subscriptions : "${s.protocol}:${s.endpoint}"])) == length(var.subscriptions)
    error_message = "subscriptions must not list the same protocol and endpoint twice."
  }
}

variable "kms_deletion_window_in_days" {
  description = "Days KMS waits before deleting the topic's key after it is scheduled for deletion (7-30)."
  type        = number
  default     = 30
  nullable    = false

  validation {
    condition     = var.kms_deletion_window_in_days >= 7 && var.kms_deletion_window_in_days <= 30 && floor(var.kms_deletion_window_in_days) == var.kms_deletion_window_in_days
    error_message = "kms_deletion_window_in_days must be a whole number from 7 to 30 (KMS's range), e.g. 30."
  }
}

variable "tags" {
  description = "Tags for the topic and its key (merged over the provider's default_tags). Subscriptions and aliases take no tags."
  type        = map(string)
  default     = {}
  nullable    = false

  validation {
    condition     = alltrue([for k in keys(var.tags) : !startswith(lower(k), "aws:")])
    error_message = "tags must not use the reserved aws: prefix."
  }
}
