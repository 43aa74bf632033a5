variable "name" {
  description = "Name of the EventBridge rule. Also names its dead-letter queue (<name>-dlq), its Lambda permission (statement events-<name>) and its alarms (<name>-*). Slipway stacks use <prefix>-<env>-<lambda>-<n>, e.g. \"slipway-dev-welcome-email-1\"."
  type        = string

  validation {
    # EventBridge also takes dots in rule names; SQS queue names do not, and the queue is named
    # after the rule. Replacing them would let "a.b" and "a-b" share one queue.
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.name))
    error_message = "name must be 1-64 characters of letters, digits, hyphens or underscores (no dots: the dead-letter queue <name>-dlq is named after the rule and SQS refuses dots), e.g. \"slipway-dev-welcome-email-1\"."
  }
}

variable "description" {
  description = "What the rule is for, shown in the EventBridge console. null describes the target function."
  type        = string
  default     = null

  validation {
    condition     = var.description == null ? true : length(var.description) <= 512
    error_message = "description must be at most 512 characters (PutRule's limit)."
  }
}

variable "event_bus_name" {
  description = "Name of the event bus the rule listens on: a custom bus for domain events (event-bus module's bus_name), or \"default\" for AWS service events. Required: a rule on the wrong bus matches nothing and says nothing."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9._/-]{1,256}$", var.event_bus_name)) && !startswith(var.event_bus_name, "arn:")
    error_message = "event_bus_name must be a bus name (1-256 letters, digits, . _ / -), not an ARN, e.g. \"default\" or module.bus.bus_name."
  }
}

variable "event_pattern" {
  description = "EventBridge event pattern (JSON string) selecting the events delivered to the function, e.g. jsonencode({ source = [\"slipway.sessions\"], \"detail-type\" = [\"SessionConfirmed\"] })."
  type        = string

  validation {
    # A JSON object with at least one field: "{}", a list or a bare string would be refused by
    # PutRule at apply time; here the plan names the variable.
    condition     = can(jsondecode(var.event_pattern)) && try(length(keys(jsondecode(var.event_pattern))) > 0, false)
    error_message = "event_pattern must be a JSON object with at least one field, e.g. jsonencode({ source = [\"slipway.sessions\"], \"detail-type\" = [\"SessionConfirmed\"] }); build it with jsonencode() to avoid quoting mistakes."
  }

  validation {
    condition     = length(var.event_pattern) <= 4096
    error_message = "event_pattern must be at most 4096 characters (PutRule's limit); match on fewer fields or use prefix/suffix filters."
  }
}

variable "function_arn" {
  description = "Unqualified ARN of the Lambda function every matching event is delivered to (lambda-function module's function_arn)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]{1,64}$", var.function_arn))
    error_message = "function_arn must be an unqualified Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>), without wildcards, version or alias suffix, e.g. module.welcome_email.function_arn."
  }
}

variable "function_name" {
  description = "Name of the same Lambda function (lambda-function module's function_name): the resource-based permission that lets this rule invoke it is added to this function."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.function_name))
    error_message = "function_name must be a Lambda function name (1-64 letters, digits, hyphens or underscores), not an ARN, e.g. module.welcome_email.function_name."
  }

  validation {
    # A mismatch would target one function and grant the invoke permission on another: every
    # delivery would fail with AccessDenied and end in the dead-letter queue.
    condition     = endswith(var.function_arn, ":function:${var.function_name}")
    error_message = "function_name must be the function that function_arn names (its last segment); pass both from the same lambda-function module, e.g. module.x.function_arn and module.x.function_name."
  }
}

variable "maximum_event_age_in_seconds" {
  description = "How long EventBridge keeps retrying to hand an event to Lambda (an asynchronous Invoke that was throttled, refused or hit a service error) before sending it to the dead-letter queue. Errors of the function itself are retried by Lambda's asynchronous invocation, not here."
  type        = number
  default     = 3600
  nullable    = false

  validation {
    condition     = var.maximum_event_age_in_seconds >= 60 && var.maximum_event_age_in_seconds <= 86400 && floor(var.maximum_event_age_in_seconds) == var.maximum_event_age_in_seconds
    error_message = "maximum_event_age_in_seconds must be a whole number from 60 to 86400 (one minute to 24 hours, EventBridge's range), e.g. 3600."
  }
}

variable "maximum_retry_attempts" {
  description = "How many times EventBridge retries (with backoff) an Invoke that Lambda did not accept before sending the event to the dead-letter queue. 0 dead-letters on the first failure. Errors of the function itself are retried by Lambda's asynchronous invocation, not here."
  type        = number
  default     = 3
  nullable    = false

  validation {
    condition     = var.maximum_retry_attempts >= 0 && var.maximum_retry_attempts <= 185 && floor(var.maximum_retry_attempts) == var.maximum_retry_attempts
    error_message = "maximum_retry_attempts must be a whole number from 0 to 185 (EventBridge's range), e.g. 3."
  }
}

variable "input_transformer" {
  description = "Optional input transformer: input_paths (name => JSON path into the event, e.g. { id = \"$.id\" }) and input_template, where each <name> stands bare for a JSON value (EventBridge writes strings quoted and escaped) or inside quotes for raw text. null delivers the whole event."
  type = object({
    input_paths    = optional(map(string), {})
    input_template = string
  })
  default = null

  validation {
    condition = var.input_transformer == null ? true : (
      trimspace(var.input_transformer.input_template) != "" && length(var.input_transformer.input_template) <= 8192 && length(var.input_transformer.input_paths) <= 100
    )
    error_message = "input_transformer.input_template must be a non-empty string of at most 8192 characters, and input_paths may define at most 100 variables (EventBridge's limits)."
  }

  validation {
    # No dots in keys, so a key never shadows EventBridge's predefined aws.events.* variables.
    condition = var.input_transformer == null ? true : alltrue([
      for k, v in var.input_transformer.input_paths :
      can(regex("^[A-Za-z0-9_-]{1,256}$", k)) && can(regex("^\\$(\\.[A-Za-z0-9_*/-]+|\\[[0-9*]+\\])*$", v)) && length(v) <= 256
    ])
    error_message = "input_transformer.input_paths keys must be 1-256 letters, digits, _ or - (no dots), and values JSON paths in dot notation from \"$\", e.g. { eventId = \"$.id\", sessionId = \"$.detail.sessionId\" }."
  }

  validation {
    # Every path is used, and every placeholder is a path or a predefined variable: otherwise
    # EventBridge sends "<typo>" verbatim.
    condition = var.input_transformer == null ? true : (
      alltrue([for k in keys(var.input_transformer.input_paths) : strcontains(var.input_transformer.input_template, "<${k}>")]) &&
      alltrue([
        for p in flatten(regexall("<([A-Za-z0-9_.-]+)>", var.input_transformer.input_template)) :
        contains(keys(var.input_transformer.input_paths), p) || contains(["aws.events.rule-arn", "aws.events.rule-name", "aws.events.event", "aws.events.event.ingestion-time", "aws.events.event.json"], p)
      ])
    )
    error_message = "input_transformer.input_template must use every input_paths key as <key>, and only those or EventBridge's predefined aws.events.* variables (<aws.events.rule-name>, ...); remove unused paths or fix the placeholder's spelling."
  }

  validation {
    # A JSON template (the Lambda gets JSON) must be valid JSON once each placeholder is a value.
    condition = var.input_transformer == null ? true : (
      !startswith(trimspace(var.input_transformer.input_template), "{") && !startswith(trimspace(var.input_transformer.input_template), "[")
      ? true
      : can(jsondecode(replace(var.input_transformer.input_template, "/<[A-Za-z0-9_.-]+>/", "null")))
    )
    error_message = "input_transformer.input_template starts like JSON but is not valid JSON with its placeholders filled in: put each <name> bare where a whole JSON value goes, e.g. {\"eventId\": <eventId>}, or inside a quoted string, e.g. \"session <sessionId>\"."
  }
}

variable "dead_letter_queue_arn" {
  description = "ARN of an existing standard SQS queue for events EventBridge could not deliver after its retries. Its queue policy must let events.amazonaws.com send with aws:SourceArn = this rule (output rule_arn). null creates <name>-dlq (encrypted, 14-day retention, policy included)."
  type        = string
  default     = null

  validation {
    # FIFO queues end in ".fifo": EventBridge dead-letter queues must be standard queues.
    condition     = var.dead_letter_queue_arn == null ? true : can(regex("^arn:aws[a-z-]*:sqs:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,80}$", var.dead_letter_queue_arn))
    error_message = "dead_letter_queue_arn must be the ARN of a standard (not FIFO) SQS queue, e.g. arn:aws:sqs:eu-west-1:123456789012:slipway-dev-events-dlq, or null to create one."
  }
}

variable "kms_key_arn" {
  description = "Customer managed KMS key that encrypts the created dead-letter queue. Its key policy must let events.amazonaws.com use kms:GenerateDataKey and kms:Decrypt (an AWS managed key cannot). null uses SQS-managed encryption (SSE-SQS)."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null ? true : can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key-id>); pass the key ARN, not an alias or a bare key id, so the plan names the exact key."
  }

  validation {
    condition     = var.kms_key_arn == null || var.dead_letter_queue_arn == null
    error_message = "kms_key_arn only applies to the queue this module creates; with dead_letter_queue_arn the queue's owner sets its encryption. Remove one of them."
  }
}

variable "account_id" {
  description = "AWS account the rule is created in. When set, the rule ARN is built (rule/<name> on the default bus, rule/<bus>/<name> otherwise), so the Lambda permission's source_arn and the queue policy are readable in `terraform plan` (governance checks the plan JSON). null reads the ARN back from the rule at apply."
  type        = string
  default     = null

  validation {
    condition     = var.account_id == null ? true : can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be the 12-digit AWS account id the rule is created in, e.g. \"123456789012\" (quote it to keep leading zeros), or null."
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

variable "tags" {
  description = "Tags for the rule, the created queue and the alarms (merged over the provider's default_tags). Targets and Lambda permissions take no tags."
  type        = map(string)
  default     = {}
  nullable    = false

  validation {
    condition     = alltrue([for k, v in var.tags : length(k) >= 1 && length(k) <= 128 && length(v) <= 256 && !startswith(lower(k), "aws:")])
    error_message = "tags keys must be 1-128 characters and must not start with \"aws:\"; values at most 256 characters."
  }
}
