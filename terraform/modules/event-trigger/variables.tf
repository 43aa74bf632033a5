variable "name" {
  description = "Name of the EventBridge rule. Also names its IAM role (<name>-events, hashed when long), dead-letter queue (<name>-dlq) and alarms (<name>-*). Slipway stacks use slipway-<env>-<flow>-trigger."
  type        = string

  validation {
    # No dots: the name also names an SQS queue, which only takes letters, digits, - and _.
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.name))
    error_message = "name must be 1-64 characters of letters, digits, hyphens or underscores, e.g. \"slipway-dev-media-trigger\"."
  }
}

variable "event_bus_name" {
  description = "Name of the event bus the rule listens on. \"default\" receives AWS service events, including S3 EventBridge notifications (the bucket module's eventbridge_notifications); use a custom bus's name (event-bus module's bus_name) for domain events."
  type        = string
  default     = "default"
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9._/-]{1,256}$", var.event_bus_name)) && !startswith(var.event_bus_name, "arn:")
    error_message = "event_bus_name must be a bus name (1-256 letters, digits, . _ / -), not an ARN, e.g. \"default\" or module.bus.bus_name."
  }
}

variable "event_pattern" {
  description = "EventBridge event pattern (JSON string) selecting the events that start the state machine, e.g. jsonencode({ source = [\"aws.s3\"], ... })."
  type        = string

  validation {
    condition     = try(length(keys(jsondecode(var.event_pattern))) > 0, false)
    error_message = "event_pattern must be a JSON object with at least one field, e.g. jsonencode({ source = [\"aws.s3\"], \"detail-type\" = [\"Object Created\"] }); build it with jsonencode() to avoid quoting mistakes."
  }

  validation {
    condition     = length(var.event_pattern) <= 4096
    error_message = "event_pattern must be at most 4096 characters (PutRule's limit); match on fewer fields or use prefix/suffix filters."
  }
}

variable "state_machine_arn" {
  description = "ARN of the Step Functions state machine each matching event starts (state-machine module's state_machine_arn). The rule's role may call states:StartExecution on exactly this ARN."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:states:[a-z0-9-]+:[0-9]{12}:stateMachine:[A-Za-z0-9_-]{1,80}$", var.state_machine_arn))
    error_message = "state_machine_arn must be a state machine ARN (arn:aws:states:<region>:<account>:stateMachine:<name>), without wildcards, version or alias suffix."
  }
}

variable "input_paths" {
  description = "Input transformer variables: name => JSON path into the event (e.g. { key = \"$.detail.object.key\" }). Each name must appear in input_template as <name>. Empty sends the whole event (or only input_template)."
  type        = map(string)
  default     = {}
  nullable    = false

  validation {
    condition     = length(var.input_paths) <= 100
    error_message = "input_paths may define at most 100 variables (EventBridge's limit)."
  }

  validation {
    # No dots, so a key can never shadow EventBridge's predefined aws.events.* variables.
    condition     = alltrue([for k in keys(var.input_paths) : can(regex("^[A-Za-z0-9_-]{1,256}$", k))])
    error_message = "input_paths keys must be 1-256 letters, digits, _ or - (no dots: aws.events.* names are EventBridge's predefined variables), e.g. \"versionId\"."
  }

  validation {
    condition     = alltrue([for v in values(var.input_paths) : can(regex("^\\$(\\.[A-Za-z0-9_*/-]+|\\[[0-9*]+\\])*$", v)) && length(v) <= 256])
    error_message = "input_paths values must be JSON paths in dot notation starting at \"$\", e.g. \"$.detail.object.key\" or \"$.detail.object.version-id\" (EventBridge does not support bracket notation for field names)."
  }
}

variable "input_template" {
  description = "Input transformer template (string). In a JSON template, put a placeholder <name> bare where the JSON value belongs (EventBridge writes strings quoted and escaped, numbers as numbers, a missing path as null); inside quotes it is pasted unescaped. null sends the event unchanged."
  type        = string
  default     = null

  validation {
    condition     = var.input_template == null ? length(var.input_paths) == 0 : (trimspace(var.input_template) != "" && length(var.input_template) <= 8192)
    error_message = "input_template must be a non-empty string of at most 8192 characters, and is required whenever input_paths is set (the paths are only used through the template)."
  }

  validation {
    condition     = var.input_template == null ? true : alltrue([for k in keys(var.input_paths) : strcontains(var.input_template, "<${k}>")])
    error_message = "input_template must use every input_paths variable as <name>; remove unused paths or add the missing placeholders."
  }

  validation {
    condition = var.input_template == null ? true : alltrue([
      for p in flatten(regexall("<([A-Za-z0-9_.-]+)>", var.input_template)) :
      contains(keys(var.input_paths), p) || contains(["aws.events.rule-arn", "aws.events.rule-name", "aws.events.event", "aws.events.event.ingestion-time", "aws.events.event.json"], p)
    ])
    error_message = "input_template uses a <placeholder> that input_paths does not define (and that is not an EventBridge predefined aws.events.* variable); EventBridge would send it verbatim. Add it to input_paths or fix the spelling."
  }

  validation {
    # A JSON template must be valid JSON once every placeholder is replaced by a JSON value.
    condition = var.input_template == null ? true : (
      !startswith(trimspace(var.input_template), "{") && !startswith(trimspace(var.input_template), "[")
      ? true
      : can(jsondecode(replace(var.input_template, "/<[A-Za-z0-9_.-]+>/", "null")))
    )
    error_message = "input_template starts like JSON but is not valid JSON with its placeholders filled in: put each <name> bare where a whole JSON value goes, e.g. {\"key\": <key>, \"size\": <size>}, or inside a quoted string, e.g. \"s3://<bucket>/<key>\"."
  }

  validation {
    condition     = var.input_template == null ? true : !can(regex("\"[^\"]*<[A-Za-z0-9_.-]+>[^\"]*\"\\s*:", var.input_template))
    error_message = "input_template uses a placeholder inside an object key; EventBridge only allows placeholders in values."
  }
}

variable "maximum_retry_attempts" {
  description = "How many times EventBridge retries starting the execution (with backoff) before sending the event to the dead-letter queue."
  type        = number
  default     = 185
  nullable    = false

  validation {
    condition     = var.maximum_retry_attempts >= 0 && var.maximum_retry_attempts <= 185 && floor(var.maximum_retry_attempts) == var.maximum_retry_attempts
    error_message = "maximum_retry_attempts must be a whole number from 0 to 185 (EventBridge's range)."
  }
}

variable "maximum_event_age_in_seconds" {
  description = "How long EventBridge keeps retrying an undelivered event before sending it to the dead-letter queue."
  type        = number
  default     = 86400
  nullable    = false

  validation {
    condition     = var.maximum_event_age_in_seconds >= 60 && var.maximum_event_age_in_seconds <= 86400 && floor(var.maximum_event_age_in_seconds) == var.maximum_event_age_in_seconds
    error_message = "maximum_event_age_in_seconds must be a whole number from 60 to 86400 (one minute to 24 hours, EventBridge's range)."
  }
}

variable "create_dead_letter_queue" {
  description = "Create an encrypted SQS queue (<name>-dlq, 14-day retention) that receives events EventBridge could not deliver after its retries, plus an alarm on it. false drops such events (only FailedInvocations would tell)."
  type        = bool
  default     = true
  nullable    = false
}

variable "account_id" {
  description = "AWS account the rule is created in. The role's trust policy lets EventBridge assume it only for this rule in this account (aws:SourceArn, aws:SourceAccount); the rule and queue ARNs are built from it, so the trust, role and queue policies are readable in `terraform plan`."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be the 12-digit AWS account id the rule is created in, e.g. \"123456789012\" (quote it to keep leading zeros)."
  }
}

variable "permissions_boundary_arn" {
  description = "ARN of the IAM managed policy set as the role's permissions boundary. The bootstrap deploy roles only create roles that carry the environment's boundary (slipway-<env>-workload-boundary)."
  type        = string
  default     = null

  validation {
    condition     = var.permissions_boundary_arn == null ? true : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:policy/[A-Za-z0-9+=,.@_/-]+$", var.permissions_boundary_arn))
    error_message = "permissions_boundary_arn must be an IAM managed policy ARN, e.g. arn:aws:iam::123456789012:policy/slipway/bootstrap/slipway-dev-workload-boundary."
  }
}

variable "alarm_actions" {
  description = "SNS topic ARNs notified when an alarm fires and when it recovers: the environment's alarm topic (the alarm-topic module's topic_arn). Required and non-empty (SLW-CW-001): an alarm without an action pages no one."
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

variable "alarms" {
  description = "Alarm thresholds: Sum of FailedInvocations (and, with the queue, InvocationsFailedToBeSentToDlq) and Maximum of the queue's visible messages, per period."
  type = object({
    failed_invocations_threshold   = optional(number, 1)
    dead_letter_messages_threshold = optional(number, 1)
    period_seconds                 = optional(number, 300)
    evaluation_periods             = optional(number, 1)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.alarms.failed_invocations_threshold >= 1 && var.alarms.dead_letter_messages_threshold >= 1
    error_message = "alarms.failed_invocations_threshold and dead_letter_messages_threshold must be >= 1 (a threshold of 0 would alarm permanently)."
  }

  validation {
    condition     = var.alarms.period_seconds >= 60 && var.alarms.period_seconds % 60 == 0
    error_message = "alarms.period_seconds must be a multiple of 60 (EventBridge and SQS publish 1-minute metrics), e.g. 60 or 300."
  }

  validation {
    condition     = var.alarms.evaluation_periods >= 1 && floor(var.alarms.evaluation_periods) == var.alarms.evaluation_periods && var.alarms.period_seconds * var.alarms.evaluation_periods <= 86400
    error_message = "alarms.evaluation_periods must be a whole number >= 1, and period_seconds * evaluation_periods must not exceed one day (86400 s), CloudWatch's limit."
  }
}

variable "tags" {
  description = "Tags for every resource the module creates (merged over the provider's default_tags)."
  type        = map(string)
  default     = {}
  nullable    = false

  validation {
    condition     = alltrue([for k, v in var.tags : length(k) >= 1 && length(k) <= 128 && length(v) <= 256 && !startswith(lower(k), "aws:")])
    error_message = "tags keys must be 1-128 characters and must not start with \"aws:\"; values at most 256 characters."
  }
}
