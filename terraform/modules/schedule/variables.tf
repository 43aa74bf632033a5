variable "name" {
  description = "Schedule name, also the prefix of its IAM role, e.g. \"slipway-dev-etl-schedule\"."
  type        = string

  validation {
    condition     = can(regex("^[0-9A-Za-z_.-]{1,64}$", var.name))
    error_message = "name must be 1-64 characters of letters, digits, '.', '_' or '-', e.g. \"slipway-dev-etl-schedule\"."
  }
}

variable "description" {
  description = "What the schedule starts, shown in the console."
  type        = string
  default     = "Starts a Slipway state machine (managed by Terraform)."

  validation {
    condition     = length(var.description) <= 512
    error_message = "description must be at most 512 characters."
  }
}

variable "schedule_expression" {
  description = "When it runs: cron(...), rate(...) or at(...), as EventBridge Scheduler reads it, e.g. \"cron(30 2 * * ? *)\"."
  type        = string

  validation {
    condition     = can(regex("^(cron|rate|at)\\(.+\\)$", var.schedule_expression))
    error_message = "schedule_expression must be cron(...), rate(...) or at(...), e.g. \"cron(30 2 * * ? *)\"."
  }
}

variable "timezone" {
  description = "IANA time zone the expression runs in, e.g. \"Europe/Paris\". Explicit on purpose: a cron without one runs in UTC, which surprises after every daylight-saving change."
  type        = string

  validation {
    condition     = can(regex("^(UTC|[A-Za-z]+(/[A-Za-z0-9_+-]+)+)$", var.timezone))
    error_message = "timezone must be an IANA time zone such as \"Europe/Paris\" or \"UTC\"."
  }
}

variable "state_machine_arn" {
  description = "ARN of the state machine each invocation starts."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:states:[a-z0-9-]+:[0-9]{12}:stateMachine:[A-Za-z0-9_-]{1,80}$", var.state_machine_arn))
    error_message = "state_machine_arn must be a state machine ARN, e.g. arn:aws:states:eu-west-1:123456789012:stateMachine:slipway-dev-etl."
  }
}

variable "input" {
  description = "Execution input as a JSON string. May use Scheduler's context placeholders such as <aws.scheduler.scheduled-time>."
  type        = string
  default     = "{}"

  validation {
    condition     = can(jsondecode(var.input)) && length(var.input) <= 8192
    error_message = "input must be a JSON document of at most 8192 characters, e.g. {\"scheduledTime\": \"<aws.scheduler.scheduled-time>\"}."
  }
}

variable "kms_key_arn" {
  description = "Customer managed KMS key that encrypts the schedule's target input. null uses an AWS owned key (the strict governance profile requires a key)."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null ? true : can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]{36}$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN, e.g. arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab."
  }
}

variable "maximum_retry_attempts" {
  description = "How often Scheduler retries a StartExecution that failed (throttling, a deploy in progress) before giving up."
  type        = number
  default     = 5

  validation {
    condition     = var.maximum_retry_attempts >= 0 && var.maximum_retry_attempts <= 185 && floor(var.maximum_retry_attempts) == var.maximum_retry_attempts
    error_message = "maximum_retry_attempts must be a whole number from 0 to 185."
  }
}

variable "maximum_event_age_in_seconds" {
  description = "How long Scheduler keeps retrying an invocation, in seconds (60 to 86400)."
  type        = number
  default     = 3600

  validation {
    condition     = var.maximum_event_age_in_seconds >= 60 && var.maximum_event_age_in_seconds <= 86400
    error_message = "maximum_event_age_in_seconds must be from 60 to 86400."
  }
}

variable "account_id" {
  description = "AWS account id of the schedule. Required: the role's trust policy names the schedule's ARN and account (confused-deputy protection), and reading the ARN back from the schedule would make a cycle (the schedule needs the role)."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be the 12-digit AWS account id, e.g. \"123456789012\"."
  }
}

variable "permissions_boundary_arn" {
  description = "Permissions boundary of the schedule's role (the bootstrap's workload boundary)."
  type        = string
  default     = null

  validation {
    condition     = var.permissions_boundary_arn == null ? true : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:policy/[A-Za-z0-9+=,.@_/-]+$", var.permissions_boundary_arn))
    error_message = "permissions_boundary_arn must be an IAM managed policy ARN, e.g. arn:aws:iam::123456789012:policy/slipway/bootstrap/slipway-dev-workload-boundary."
  }
}

variable "tags" {
  description = "Tags for the role (schedules take no tags; merged over the provider's default_tags)."
  type        = map(string)
  default     = {}
}
