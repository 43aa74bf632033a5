variable "name" {
  description = "Name of the custom event bus. Also names its archive (<name>-archive, hashed when long). Slipway stacks use slipway-<env>-<domain>."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{1,256}$", var.name))
    error_message = "name must be 1-256 characters of letters, digits, dots, hyphens or underscores, e.g. \"slipway-dev-media\"."
  }

  validation {
    condition     = var.name != "default" && !startswith(lower(var.name), "aws.")
    error_message = "name must not be \"default\" (the account's default bus already exists; S3 and other AWS services publish there) and must not start with \"aws.\" (reserved for partner event buses)."
  }
}

variable "archive_retention_days" {
  description = "Days the archive keeps every event published to the bus, so they can be replayed (StartReplay) after a bug fix or an outage."
  type        = number
  default     = 30
  nullable    = false

  validation {
    condition     = var.archive_retention_days >= 1 && var.archive_retention_days <= 3653 && floor(var.archive_retention_days) == var.archive_retention_days
    error_message = "archive_retention_days must be a whole number of days from 1 to 3653 (0, which EventBridge reads as \"keep forever\", is not allowed), e.g. 30."
  }
}

variable "kms_key_arn" {
  description = "KMS key ARN that encrypts events on the bus. null uses an AWS owned key. The key policy must allow events.amazonaws.com (see README)."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null ? true : can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key-id>); pass the key ARN, not an alias or a bare key id, so the plan names the exact key."
  }
}

variable "account_id" {
  description = "AWS account the bus is created in. When set, bus_arn and archive_arn are built from known values, so policies that use them (e.g. the state-machine module's event_bus_arns) are readable in `terraform plan`. null falls back to the ARNs AWS returns at apply."
  type        = string
  default     = null

  validation {
    condition     = var.account_id == null ? true : can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be exactly 12 digits, e.g. \"123456789012\" (quote it to keep leading zeros)."
  }
}

variable "tags" {
  description = "Tags for the event bus (merged over the provider's default_tags). EventBridge archives cannot be tagged."
  type        = map(string)
  default     = {}
  nullable    = false

  validation {
    condition     = alltrue([for k, v in var.tags : length(k) >= 1 && length(k) <= 128 && length(v) <= 256 && !startswith(lower(k), "aws:")])
    error_message = "tags keys must be 1-128 characters and must not start with \"aws:\"; values at most 256 characters."
  }
}
