variable "name" {
  description = "Schedule name. Also names its IAM role (<name>-scheduler), its dead-letter queue (<name>-dlq) and its alarm (<name>-dlq-depth), e.g. \"slipway-dev-etl-schedule\"."
  type        = string

  validation {
    condition     = can(regex("^[0-9A-Za-z_.-]{1,64}$", var.name))
    error_message = "name must be 1-64 characters of letters, digits, '.', '_' or '-', e.g. \"slipway-dev-etl-schedule\"."
  }

  validation {
    # Scheduler takes dots in schedule names; SQS queue names do not, and the created queue is
    # named after the schedule. Replacing them would let "a.b" and "a-b" share one queue.
    condition     = var.dead_letter_queue_arn != null || !strcontains(var.name, ".")
    error_message = "name must not contain dots when the module creates the dead-letter queue <name>-dlq (SQS refuses dots in queue names): use hyphens, e.g. \"slipway-dev-etl-schedule\", or pass dead_letter_queue_arn."
  }
}

variable "description" {
  description = "What the schedule starts, shown in the console. null describes the target (\"Starts a Slipway state machine ...\" or \"Invokes a Slipway Lambda function ...\")."
  type        = string
  default     = null

  validation {
    condition     = var.description == null ? true : length(var.description) <= 512
    error_message = "description must be at most 512 characters (CreateSchedule's limit)."
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

variable "flexible_window_minutes" {
  description = "Flexible time window in minutes (1-1440): Scheduler invokes the target at some time within it after the scheduled time. null (the default) is OFF: the run starts at the scheduled time."
  type        = number
  default     = null

  validation {
    condition     = var.flexible_window_minutes == null ? true : (var.flexible_window_minutes >= 1 && var.flexible_window_minutes <= 1440 && floor(var.flexible_window_minutes) == var.flexible_window_minutes)
    error_message = "flexible_window_minutes must be a whole number of minutes from 1 to 1440 (Scheduler's range), or null for no window, e.g. 15."
  }
}

variable "state_machine_arn" {
  description = "ARN of the Step Functions state machine each invocation starts (states:StartExecution). Set exactly one of state_machine_arn and function_arn."
  type        = string
  default     = null

  validation {
    condition     = var.state_machine_arn == null ? true : can(regex("^arn:aws[a-z-]*:states:[a-z0-9-]+:[0-9]{12}:stateMachine:[A-Za-z0-9_-]{1,80}$", var.state_machine_arn))
    error_message = "state_machine_arn must be a state machine ARN, e.g. arn:aws:states:eu-west-1:123456789012:stateMachine:slipway-dev-etl."
  }
}

variable "function_arn" {
  description = "ARN of the Lambda function each invocation invokes (asynchronously, lambda:InvokeFunction), with the static input as its event: unqualified (lambda-function module's function_arn) or qualified by an alias or version, which the role is then limited to. Set exactly one of state_machine_arn and function_arn."
  type        = string
  default     = null

  validation {
    condition     = var.function_arn == null ? true : can(regex("^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_-]{1,128})?$", var.function_arn))
    error_message = "function_arn must be a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>, optionally :<alias> or :<version>), without wildcards or $LATEST, e.g. module.reminders.function_arn."
  }

  validation {
    # One target per schedule: the role is generated for that one target.
    condition     = (var.state_machine_arn == null) != (var.function_arn == null)
    error_message = "Set exactly one target: state_machine_arn to start a Step Functions flow, or function_arn to invoke a Lambda function (both or neither were given). A second target needs a second schedule."
  }
}

variable "input" {
  description = "Static payload as a JSON string: the execution input of the state machine or the event of the function. May use Scheduler's context placeholders such as <aws.scheduler.scheduled-time>."
  type        = string
  default     = "{}"

  validation {
    condition     = can(jsondecode(var.input)) && length(var.input) <= 8192
    error_message = "input must be a JSON document of at most 8192 characters, e.g. {\"scheduledTime\": \"<aws.scheduler.scheduled-time>\"}."
  }
}

variable "kms_key_arn" {
  description = "Customer managed KMS key that encrypts the schedule's target input and the created dead-letter queue; the role may use it (kms:Decrypt, and kms:GenerateDataKey to write dead letters). null uses an AWS owned key for the input (the strict governance profile requires a key) and SSE-SQS for the queue."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null ? true : can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]{36}$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN, e.g. arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab."
  }
}

variable "maximum_retry_attempts" {
  description = "How many times Scheduler retries (with backoff) a StartExecution or Invoke the target did not accept (throttled, refused, a deploy in progress) before sending the invocation to the dead-letter queue. 0 dead-letters on the first failure. A Lambda target's own errors are retried by Lambda's asynchronous invocation, not here."
  type        = number
  default     = 3
  nullable    = false

  validation {
    condition     = var.maximum_retry_attempts >= 0 && var.maximum_retry_attempts <= 185 && floor(var.maximum_retry_attempts) == var.maximum_retry_attempts
    error_message = "maximum_retry_attempts must be a whole number from 0 to 185 (Scheduler's range), e.g. 3."
  }
}

variable "maximum_event_age_in_seconds" {
  description = "How long Scheduler keeps retrying an invocation before sending it to the dead-letter queue, in seconds."
  type        = number
  default     = 3600
  nullable    = false

  validation {
    condition     = var.maximum_event_age_in_seconds >= 60 && var.maximum_event_age_in_seconds <= 86400 && floor(var.maximum_event_age_in_seconds) == var.maximum_event_age_in_seconds
    error_message = "maximum_event_age_in_seconds must be a whole number from 60 to 86400 (one minute to 24 hours, Scheduler's range), e.g. 3600."
  }
}

variable "dead_letter_queue_arn" {
  description = "ARN of an existing standard SQS queue for invocations Scheduler could not deliver after its retries. The role gets sqs:SendMessage on it (Scheduler writes dead letters with the execution role, not through a queue policy); if it is encrypted with a customer managed key, that key's policy must let the role use kms:GenerateDataKey and kms:Decrypt. null creates <name>-dlq (encrypted, 14-day retention, depth alarm)."
  type        = string
  default     = null

  validation {
    # FIFO queues end in ".fifo": Scheduler dead-letter queues must be standard queues.
    condition     = var.dead_letter_queue_arn == null ? true : can(regex("^arn:aws[a-z-]*:sqs:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,80}$", var.dead_letter_queue_arn))
    error_message = "dead_letter_queue_arn must be the ARN of a standard (not FIFO) SQS queue, e.g. arn:aws:sqs:eu-west-1:123456789012:slipway-dev-schedules-dlq, or null to create one."
  }
}

variable "alarm_actions" {
  description = "SNS topic ARNs notified when the dead-letter queue alarm fires and when it recovers: the environment's alarm topic (the alarm-topic module's topic_arn). Required and non-empty (SLW-CW-001: an alarm without an action pages no one); also with dead_letter_queue_arn, where this module creates no alarm, so every module with alarms is wired alike."
  type        = list(string)
  nullable    = false

  validation {
    condition     = length(var.alarm_actions) > 0
    error_message = "alarm_actions is empty: pass the environment's alarm topic (the alarm-topic module's topic_arn), or every alarm of this module pages no one."
  }

  validation {
    condition     = alltrue([for a in var.alarm_actions : can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$", a))])
    error_message = "alarm_actions must be SNS topic ARNs, e.g. arn:aws:sns:eu-west-1:123456789012:slipway-dev-alarms (the alarm-topic module's topic_arn)."
  }
}

variable "runbook" {
  description = "Path of the runbook that explains these alarms, from the repository root (Slipway: docs/runbooks/<domain>.md, generated by tools/runbooks). Every alarm's description then ends with \"Runbook: <runbook>#<alarm name>\", the alarm's own section. null: no link."
  type        = string
  default     = null

  validation {
    # Alarm descriptions are capped at 1024 characters: a long path would crowd out the advice.
    condition     = var.runbook == null ? true : can(regex("^([a-z0-9][a-z0-9._-]*/)*[a-z0-9][a-z0-9_-]*\\.md$", var.runbook)) && length(var.runbook) <= 100
    error_message = "runbook must be a relative path of a Markdown file (lowercase, no leading /, no ../, no #anchor: the module appends the alarm's), at most 100 characters, e.g. \"docs/runbooks/media.md\"."
  }
}

variable "account_id" {
  description = "AWS account id of the schedule, the same as its target's. Required: the role's trust policy names the schedule's ARN and account (confused-deputy protection), and reading the ARN back from the schedule would make a cycle (the schedule needs the role)."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be the 12-digit AWS account id, e.g. \"123456789012\"."
  }
  validation {
    # Templated targets are in the schedule's account; the built ARNs rely on it.
    condition     = element(split(":", coalesce(var.state_machine_arn, var.function_arn, "arn:aws:x:x:${var.account_id}")), 4) == var.account_id
    error_message = "account_id must be the account of the target (the account in state_machine_arn or function_arn): a schedule starts or invokes targets in its own account. Deploy the schedule in the target's account."
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
  description = "Tags for the role, the created queue and the alarm (schedules take no tags; merged over the provider's default_tags)."
  type        = map(string)
  default     = {}
  nullable    = false

  validation {
    condition     = alltrue([for k, v in var.tags : length(k) >= 1 && length(k) <= 128 && length(v) <= 256 && !startswith(lower(k), "aws:")])
    error_message = "tags keys must be 1-128 characters and must not start with \"aws:\"; values at most 256 characters."
  }
}
