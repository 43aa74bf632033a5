# -----------------------------------------------------------------------------------------------
# Identity and runtime
# -----------------------------------------------------------------------------------------------

variable "function_name" {
  description = "Name of the Lambda function. Also names its IAM role, log group (/aws/lambda/<name>), dead-letter queue (<name>-dlq) and alarms (<name>-*). Slipway stacks use slipway-<env>-<lambda>."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.function_name))
    error_message = "function_name must be 1-64 characters of letters, digits, hyphens or underscores (it is also the IAM role name, which is capped at 64). Example: \"slipway-dev-thumbnailer\"."
  }
}

variable "description" {
  description = "Human-readable description shown in the Lambda console."
  type        = string
  default     = ""
  nullable    = false

  validation {
    condition     = length(var.description) <= 256
    error_message = "description must be at most 256 characters (Lambda's limit); move longer notes to the app's README."
  }
}

variable "handler" {
  description = "Entry point inside the zip, as <file without extension>.<exported function>."
  type        = string
  default     = "index.handler"
  nullable    = false

  validation {
    condition     = can(regex("^[^\\s]{1,128}$", var.handler))
    error_message = "handler must be 1-128 characters without whitespace, e.g. \"index.handler\" for an esbuild bundle that exports `handler` from index.js."
  }
}

variable "runtime" {
  description = "Lambda runtime. Only supported Node.js LTS runtimes are allowed."
  type        = string
  default     = "nodejs22.x"
  nullable    = false

  validation {
    condition     = contains(["nodejs20.x", "nodejs22.x"], var.runtime)
    error_message = "runtime must be \"nodejs20.x\" or \"nodejs22.x\"; other runtimes are either deprecated or not built by the Nx esbuild target."
  }
}

variable "architecture" {
  description = "Instruction set of the function. arm64 (Graviton) is cheaper per GB-second; native dependencies in the zip must match it."
  type        = string
  default     = "arm64"
  nullable    = false

  validation {
    condition     = contains(["arm64", "x86_64"], var.architecture)
    error_message = "architecture must be \"arm64\" or \"x86_64\"; package native dependencies (e.g. sharp) for the same one."
  }
}

variable "memory_size" {
  description = "Memory in MB (CPU scales with it)."
  type        = number
  default     = 256
  nullable    = false

  validation {
    condition     = var.memory_size >= 128 && var.memory_size <= 10240 && floor(var.memory_size) == var.memory_size
    error_message = "memory_size must be a whole number of MB between 128 and 10240."
  }
}

variable "ephemeral_storage_size" {
  description = "Size of /tmp in MB (512 to 10240). Raise it for functions that spill to disk, e.g. the ETL Transform's de-duplication."
  type        = number
  default     = 512
  nullable    = false

  validation {
    condition     = var.ephemeral_storage_size >= 512 && var.ephemeral_storage_size <= 10240 && floor(var.ephemeral_storage_size) == var.ephemeral_storage_size
    error_message = "ephemeral_storage_size must be a whole number of MB between 512 and 10240."
  }
}

variable "timeout" {
  description = "Maximum run time of one invocation, in seconds."
  type        = number
  default     = 30
  nullable    = false

  validation {
    condition     = var.timeout >= 1 && var.timeout <= 900 && floor(var.timeout) == var.timeout
    error_message = "timeout must be a whole number of seconds between 1 and 900 (Lambda's 15-minute maximum); longer work belongs in a Step Functions flow."
  }
}

variable "reserved_concurrent_executions" {
  description = "Concurrency reserved for this function. -1 leaves it unreserved, 0 throttles every invocation (an emergency stop)."
  type        = number
  default     = -1
  nullable    = false

  validation {
    condition     = var.reserved_concurrent_executions >= -1 && floor(var.reserved_concurrent_executions) == var.reserved_concurrent_executions
    error_message = "reserved_concurrent_executions must be a whole number >= -1 (-1 = unreserved, 0 = stop all invocations)."
  }
}

variable "environment_variables" {
  description = "Plain configuration passed to the function. Never secrets: pass the name or ARN of an SSM parameter / Secrets Manager secret instead (e.g. DB_PASSWORD_PARAM)."
  type        = map(string)
  default     = {}
  nullable    = false

  validation {
    condition     = alltrue([for k in keys(var.environment_variables) : can(regex("^[A-Za-z][A-Za-z0-9_]*$", k))])
    error_message = "environment_variables keys must start with a letter and contain only letters, digits and underscores (e.g. MEDIA_BUCKET)."
  }

  validation {
    condition     = alltrue([for k in keys(var.environment_variables) : !startswith(upper(k), "AWS_")])
    error_message = "environment_variables keys must not start with AWS_: Lambda reserves that prefix for its own runtime variables. Rename the key (e.g. APP_REGION instead of AWS_REGION)."
  }

  validation {
    condition = alltrue([
      for k in keys(var.environment_variables) :
      !can(regex("(?i)(PASSWORD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL)", k)) || can(regex("(?i)_(ARN|PARAM|PARAMETER|NAME|ID)$", k))
    ])
    error_message = "environment_variables keys that look like secrets (PASSWORD, SECRET, TOKEN, API_KEY, PRIVATE_KEY, CREDENTIAL) are rejected: environment variables are readable by anyone with lambda:GetFunctionConfiguration. Keep the secret in SSM Parameter Store or Secrets Manager and pass its name or ARN in a key ending in _ARN, _PARAM, _PARAMETER, _NAME or _ID (e.g. STRIPE_API_KEY_PARAM)."
  }

  validation {
    condition     = sum(concat([0], [for k, v in var.environment_variables : length(k) + length(v)])) <= 4096
    error_message = "environment_variables add up to more than Lambda's 4 KB limit (keys + values); move large configuration to SSM Parameter Store or S3."
  }
}

# -----------------------------------------------------------------------------------------------
# Code
# -----------------------------------------------------------------------------------------------

variable "filename" {
  description = "Path to a local deployment zip (e.g. dist/apps/<lambda>/<lambda>.zip). Set this OR s3_bucket + s3_key."
  type        = string
  default     = null

  validation {
    condition     = var.filename == null ? true : can(regex("\\.zip$", var.filename))
    error_message = "filename must be the path of a .zip file built by the Nx package target (e.g. dist/apps/thumbnailer/thumbnailer.zip)."
  }

  validation {
    condition     = (var.filename != null) != (var.s3_bucket != null && var.s3_key != null)
    error_message = "Set exactly one code source: either filename (a local zip) or both s3_bucket and s3_key (an uploaded artifact), not both and not neither."
  }
}

variable "s3_bucket" {
  description = "Bucket holding the deployment zip (the artifact bucket). Set together with s3_key, instead of filename."
  type        = string
  default     = null

  validation {
    condition     = var.s3_bucket == null ? true : can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.s3_bucket))
    error_message = "s3_bucket must be a bucket name (3-63 lowercase letters, digits, dots or hyphens), not an ARN or URL."
  }
}

variable "s3_key" {
  description = "Object key of the deployment zip in s3_bucket, content-addressed in Slipway (\"<env>/<lambda>/<hex sha256>.zip\"). Set together with s3_bucket."
  type        = string
  default     = null

  validation {
    condition     = (var.s3_key == null) == (var.s3_bucket == null)
    error_message = "s3_bucket and s3_key must be set together (or both left null when filename is used)."
  }

  validation {
    condition     = var.s3_key == null ? true : (length(var.s3_key) >= 1 && length(var.s3_key) <= 1024 && !startswith(var.s3_key, "/"))
    error_message = "s3_key must be 1-1024 characters and must not start with \"/\" (e.g. \"dev/thumbnailer/<hex sha256>.zip\")."
  }
}

variable "source_code_hash" {
  description = "Base64-encoded SHA-256 of the zip, as filebase64sha256() returns. Changes to it (or to filename / s3_key) redeploy the code, so reproducible zips mean no spurious diffs."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9+/]{43}=$", var.source_code_hash))
    error_message = "source_code_hash must be a base64-encoded SHA-256 (44 characters ending in \"=\"), e.g. filebase64sha256(\"dist/apps/x/x.zip\") or the base64 form of the .sha256 file next to the zip."
  }
}

# -----------------------------------------------------------------------------------------------
# Permissions
# -----------------------------------------------------------------------------------------------

variable "policy_statements" {
  description = "Extra least-privilege IAM statements (compiled from the Lambda manifest's permission intents) appended to the execution role policy. Actions and resources must be concrete: no \"*\"."
  type = list(object({
    sid       = string
    actions   = list(string)
    resources = list(string)
    conditions = optional(list(object({
      test     = string
      variable = string
      values   = list(string)
    })), [])
  }))
  default  = []
  nullable = false

  validation {
    condition     = alltrue([for s in var.policy_statements : can(regex("^[A-Za-z0-9]{1,100}$", s.sid))])
    error_message = "policy_statements[*].sid must be 1-100 letters or digits (IAM rejects other characters), e.g. \"ReadMediaUploads\"."
  }

  validation {
    condition     = length(distinct([for s in var.policy_statements : s.sid])) == length(var.policy_statements)
    error_message = "policy_statements sids must be unique; IAM rejects a policy with duplicate Sid values."
  }

  validation {
    condition     = alltrue([for s in var.policy_statements : !contains(["WriteLogs", "WriteTraces", "SendToDeadLetterTarget"], s.sid)])
    error_message = "policy_statements sids WriteLogs, WriteTraces and SendToDeadLetterTarget are reserved for the statements this module adds; choose another sid."
  }

  validation {
    condition = alltrue([for s in var.policy_statements : length(s.actions) > 0 && alltrue([
      for a in s.actions : can(regex("^[a-z0-9-]+:[A-Za-z0-9*]+$", a)) && a != "*" && !endswith(a, ":*")
    ])])
    error_message = "policy_statements[*].actions must be non-empty lists of \"service:Action\" names; \"*\" and \"service:*\" are rejected. Grant only the actions the code calls, e.g. [\"s3:GetObject\"]."
  }

  validation {
    condition = alltrue([for s in var.policy_statements : length(s.resources) > 0 && alltrue([
      for r in s.resources : r != "*" && startswith(r, "arn:")
    ])])
    error_message = "policy_statements[*].resources must be non-empty lists of concrete ARNs; \"*\" is rejected. Scope to the bucket, prefix, table or topic the code uses, e.g. \"arn:aws:s3:::slipway-dev-media/uploads/*\"."
  }

  validation {
    condition = alltrue([for s in var.policy_statements : alltrue([
      for c in s.conditions : can(regex("^(ForAllValues:|ForAnyValue:)?[A-Za-z]+$", c.test)) && can(regex("^[A-Za-z0-9-]+:\\S+$", c.variable)) && length(c.values) > 0
    ])])
    error_message = "policy_statements[*].conditions need an IAM operator as test (e.g. \"StringEquals\"), a context key as variable (e.g. \"aws:SourceArn\") and at least one value."
  }
}

variable "account_id" {
  description = "AWS account the function is deployed to. The execution role's trust policy lets Lambda assume it only on behalf of this account (aws:SourceAccount), and the role policy is built from known ARNs, so both are readable in `terraform plan` (governance checks the plan JSON)."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be the 12-digit AWS account id the function is deployed to, e.g. \"123456789012\" (quote it to keep leading zeros)."
  }
}

variable "permissions_boundary_arn" {
  description = "ARN of the IAM managed policy set as the execution role's permissions boundary. The bootstrap deploy roles only create roles that carry the environment's boundary (slipway-<env>-workload-boundary)."
  type        = string
  default     = null

  validation {
    condition     = var.permissions_boundary_arn == null ? true : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:policy/[A-Za-z0-9+=,.@_/-]+$", var.permissions_boundary_arn))
    error_message = "permissions_boundary_arn must be an IAM managed policy ARN, e.g. arn:aws:iam::123456789012:policy/slipway/bootstrap/slipway-dev-workload-boundary."
  }
}

# -----------------------------------------------------------------------------------------------
# Logs
# -----------------------------------------------------------------------------------------------

variable "log_retention_in_days" {
  description = "Days CloudWatch Logs keeps the function's log events."
  type        = number
  default     = 30
  nullable    = false

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_in_days)
    error_message = "log_retention_in_days must be one of the values CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 (never-expire is not allowed)."
  }
}

variable "log_kms_key_arn" {
  description = "KMS key ARN that encrypts the log group. null uses CloudWatch Logs' service-managed encryption. The key policy must allow logs.<region>.amazonaws.com."
  type        = string
  default     = null

  validation {
    condition     = var.log_kms_key_arn == null ? true : can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", var.log_kms_key_arn))
    error_message = "log_kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key-id>); aliases are not accepted by CloudWatch Logs."
  }
}

variable "application_log_level" {
  description = "Minimum level of application logs Lambda forwards (JSON log format). Powertools reads it through AWS_LAMBDA_LOG_LEVEL."
  type        = string
  default     = "INFO"
  nullable    = false

  validation {
    condition     = contains(["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"], var.application_log_level)
    error_message = "application_log_level must be one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL (upper case)."
  }
}

variable "system_log_level" {
  description = "Level of the system logs Lambda writes (platform.* events). INFO keeps platform.report, one line per invocation with its duration, billed duration, memory and (cold start) init duration, which Logs Insights queries of slow invocations and cold starts read; WARN keeps only warnings and errors."
  type        = string
  default     = "WARN"
  nullable    = false

  validation {
    condition     = contains(["DEBUG", "INFO", "WARN"], var.system_log_level)
    error_message = "system_log_level must be one of DEBUG, INFO, WARN (upper case); INFO keeps the platform.report line of every invocation."
  }
}

# -----------------------------------------------------------------------------------------------
# Failed asynchronous invocations
# -----------------------------------------------------------------------------------------------

variable "create_dead_letter_queue" {
  description = "Create an encrypted SQS queue (<function_name>-dlq, 14-day retention) for asynchronous invocations that exhaust their retries. Set false to use dead_letter_target_arn or to opt out."
  type        = bool
  default     = true
  nullable    = false
}

variable "dead_letter_target_arn" {
  description = "ARN of an existing standard SQS queue or SNS topic for failed asynchronous invocations. Only with create_dead_letter_queue = false."
  type        = string
  default     = null

  validation {
    condition     = var.dead_letter_target_arn == null ? true : can(regex("^arn:aws[a-z-]*:(sqs|sns):[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$", var.dead_letter_target_arn))
    error_message = "dead_letter_target_arn must be the ARN of a standard (not FIFO) SQS queue or SNS topic, e.g. arn:aws:sqs:eu-west-1:123456789012:slipway-dev-failures."
  }

  validation {
    condition     = !(var.create_dead_letter_queue && var.dead_letter_target_arn != null)
    error_message = "dead_letter_target_arn is set while create_dead_letter_queue is true; a function has one dead-letter target. Set create_dead_letter_queue = false to use the existing queue/topic."
  }
}

variable "async_invocation" {
  description = "Asynchronous invocation settings of a function invoked by EventBridge or Scheduler: maximum_retry_attempts (0-2, Lambda's default 2) and maximum_event_age_in_seconds (60-21600, default 21600). The record of an invocation that fails them all goes to the dead-letter target as an on-failure destination (original event and error), which then replaces dead_letter_config. Requires a dead-letter target. null leaves Lambda's defaults and dead_letter_config."
  type = object({
    maximum_retry_attempts       = optional(number, 2)
    maximum_event_age_in_seconds = optional(number, 21600)
  })
  default = null

  validation {
    condition = var.async_invocation == null ? true : (
      var.async_invocation.maximum_retry_attempts >= 0 && var.async_invocation.maximum_retry_attempts <= 2 &&
      floor(var.async_invocation.maximum_retry_attempts) == var.async_invocation.maximum_retry_attempts
    )
    error_message = "async_invocation.maximum_retry_attempts must be a whole number from 0 to 2 (Lambda's range for asynchronous invocation), e.g. 2."
  }

  validation {
    condition = var.async_invocation == null ? true : (
      var.async_invocation.maximum_event_age_in_seconds >= 60 && var.async_invocation.maximum_event_age_in_seconds <= 21600 &&
      floor(var.async_invocation.maximum_event_age_in_seconds) == var.async_invocation.maximum_event_age_in_seconds
    )
    error_message = "async_invocation.maximum_event_age_in_seconds must be a whole number from 60 to 21600 (one minute to six hours, Lambda's range), e.g. 21600."
  }

  validation {
    # Without a target the failed invocation would vanish: exactly what the setting is for.
    condition     = var.async_invocation == null || var.create_dead_letter_queue || var.dead_letter_target_arn != null
    error_message = "async_invocation needs a failure destination: keep create_dead_letter_queue = true (the default) or set dead_letter_target_arn."
  }
}

# -----------------------------------------------------------------------------------------------
# Alarms
# -----------------------------------------------------------------------------------------------

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
  description = "Alarm thresholds. Errors and Throttles alarm on the Sum per period; Duration on p99 (null = 80% of timeout); the dead-letter alarm on visible messages in the created queue."
  type = object({
    errors_threshold               = optional(number, 1)
    throttles_threshold            = optional(number, 1)
    duration_p99_threshold_ms      = optional(number)
    dead_letter_messages_threshold = optional(number, 1)
    period_seconds                 = optional(number, 300)
    evaluation_periods             = optional(number, 1)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.alarms.errors_threshold >= 1 && var.alarms.throttles_threshold >= 1 && var.alarms.dead_letter_messages_threshold >= 1
    error_message = "alarms.errors_threshold, throttles_threshold and dead_letter_messages_threshold must be >= 1 (a threshold of 0 would alarm permanently)."
  }

  validation {
    condition     = var.alarms.duration_p99_threshold_ms == null ? true : (var.alarms.duration_p99_threshold_ms > 0 && var.alarms.duration_p99_threshold_ms < var.timeout * 1000)
    error_message = "alarms.duration_p99_threshold_ms must be > 0 and below the function timeout in ms (timeout * 1000); a higher threshold can never fire. Leave it null for 80% of the timeout."
  }

  validation {
    condition     = var.alarms.period_seconds >= 60 && var.alarms.period_seconds % 60 == 0
    error_message = "alarms.period_seconds must be a multiple of 60 (Lambda publishes 1-minute metrics), e.g. 60 or 300."
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

variable "metric_ratio_alarms" {
  description = "Alarms on the ratio of two of the function's Powertools metrics (namespace metrics_namespace, dimension service = service_name): fires when numerator / denominator is above threshold over period_seconds, e.g. rejected rows over input rows."
  type = list(object({
    name           = string
    numerator      = string
    denominator    = string
    threshold      = number
    period_seconds = optional(number, 3600)
  }))
  default  = []
  nullable = false

  validation {
    condition     = alltrue([for a in var.metric_ratio_alarms : can(regex("^[a-z][a-z0-9-]{1,30}$", a.name)) && a.threshold > 0 && a.threshold < 1 && a.period_seconds >= 60 && a.period_seconds <= 86400 && a.period_seconds % 60 == 0])
    error_message = "Each metric_ratio_alarms entry needs a short lowercase name (e.g. \"rejected-rows\"), a threshold between 0 and 1 (a ratio) and period_seconds a multiple of 60 up to 86400."
  }
}

variable "metrics_namespace" {
  description = "CloudWatch namespace of the function's Powertools metrics (Slipway: \"Slipway/<domain>\"). Needed with metric_ratio_alarms."
  type        = string
  default     = null

  validation {
    condition     = var.metrics_namespace == null ? true : can(regex("^[A-Za-z0-9/_.#:-]{1,255}$", var.metrics_namespace))
    error_message = "metrics_namespace must be a CloudWatch namespace such as \"Slipway/etl\"."
  }
}

variable "service_name" {
  description = "Powertools service name (the metrics' service dimension); null uses function_name."
  type        = string
  default     = null
}
