variable "name" {
  description = "Name of the state machine. Also names its log group (/aws/vendedlogs/states/<name>), IAM role (<name>-sfn) and alarms (<name>-*). Slipway stacks use slipway-<env>-<flow>."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,80}$", var.name))
    error_message = "name must be 1-80 characters of letters, digits, hyphens or underscores, e.g. \"slipway-dev-media-pipeline\"."
  }
}

variable "definition" {
  description = "Amazon States Language definition (JSON string), normally file(\"libs/flows/<flow>.asl.json\") so the sandbox, the tests and AWS run the very same file. JSONPath only."
  type        = string

  validation {
    condition     = can(jsondecode(var.definition))
    error_message = "definition must be a valid JSON string (Amazon States Language); load it with file(\"libs/flows/<flow>.asl.json\")."
  }

  validation {
    condition     = try(can(tostring(jsondecode(var.definition).StartAt)) && contains(keys(jsondecode(var.definition).States), jsondecode(var.definition).StartAt), false)
    error_message = "definition must contain \"StartAt\" and a \"States\" object that has a state of that name."
  }

  validation {
    condition     = try(jsondecode(var.definition).QueryLanguage, "JSONPath") == "JSONPath"
    error_message = "definition must use JSONPath (omit QueryLanguage or set it to \"JSONPath\"): the local Step Functions sandbox silently ignores JSONata, so a JSONata flow would be untested."
  }

  validation {
    condition     = length(var.definition) <= 1048576
    error_message = "definition exceeds Step Functions' 1 MB limit; split the flow or pass data by S3 pointer instead of inline."
  }
}

variable "type" {
  description = "STANDARD (durable, exactly-once, up to one year) or EXPRESS (high-volume, at-least-once, up to five minutes)."
  type        = string
  default     = "STANDARD"
  nullable    = false

  validation {
    condition     = contains(["STANDARD", "EXPRESS"], var.type)
    error_message = "type must be \"STANDARD\" or \"EXPRESS\" (upper case)."
  }
}

variable "lambda_function_arns" {
  description = "Unqualified ARNs of the Lambda functions the flow invokes. The role may invoke exactly these (and their versions/aliases)."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for arn in var.lambda_function_arns : can(regex("^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]{1,64}$", arn))])
    error_message = "lambda_function_arns must be unqualified Lambda function ARNs (arn:aws:lambda:<region>:<account>:function:<name>), without \":<version|alias>\" and without wildcards; versions and aliases are granted automatically."
  }
}

variable "event_bus_arns" {
  description = "ARNs of the EventBridge buses the flow publishes to (events:PutEvents). Empty omits the statement."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for arn in var.event_bus_arns : can(regex("^arn:aws[a-z-]*:events:[a-z0-9-]+:[0-9]{12}:event-bus/[A-Za-z0-9._/-]{1,256}$", arn))])
    error_message = "event_bus_arns must be EventBridge bus ARNs, e.g. arn:aws:events:eu-west-1:123456789012:event-bus/slipway-dev or .../event-bus/default."
  }
}

variable "mediaconvert_role_arns" {
  description = "ARNs of the IAM roles the flow passes to AWS Elemental MediaConvert jobs (mediaconvert-role module's role_arn). Non-empty adds mediaconvert:CreateJob/GetJob/CancelJob, iam:PassRole on exactly these roles (only to mediaconvert.amazonaws.com) and the EventBridge managed rule Step Functions needs for .sync. Empty omits all of it."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for arn in var.mediaconvert_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$", arn)) && !endswith(arn, "/")])
    error_message = "mediaconvert_role_arns must be IAM role ARNs without wildcards, e.g. arn:aws:iam::123456789012:role/slipway-dev-media-mediaconvert."
  }

  validation {
    # iam:PassRole only works for roles of the caller's account, and MediaConvert jobs (and the
    # managed rule) live in the state machine's account.
    condition     = alltrue([for arn in var.mediaconvert_role_arns : try(split(":", arn)[4], "") == var.account_id])
    error_message = "mediaconvert_role_arns must all belong to the state machine's account (account_id): a role of another account cannot be passed to MediaConvert."
  }
}

variable "distributed_map_states" {
  description = "Names of the definition's Distributed Map states (ProcessorConfig.Mode DISTRIBUTED). Non-empty adds states:StartExecution on this state machine (each Map Run starts child executions of it) and states:DescribeExecution/StopExecution on exactly its Map Runs' executions (execution:<name>/<state>:*), as AWS documents for a Distributed Map: https://docs.aws.amazon.com/step-functions/latest/dg/iam-policies-eg-dist-map.html. Empty omits both."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for s in var.distributed_map_states : can(regex("^[^*?:/]{1,80}$", s))])
    error_message = "distributed_map_states must be Map state names of the definition (1-80 characters, no *, ?, : or /), e.g. [\"TransformObjects\"]."
  }
}

variable "item_reader_object_arns" {
  description = "S3 object ARNs (or <bucket>/<prefix>/* patterns) the Distributed Maps' ItemReader reads with s3:GetObject (a JSON or CSV item list). Empty omits the statement."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for arn in var.item_reader_object_arns : can(regex("^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/[^*?]+(/\\*)?$", arn))])
    error_message = "item_reader_object_arns must be S3 object ARNs, or a prefix ending in /* (arn:aws:s3:::<bucket>/staging/_runs/*); no other wildcard and never a whole bucket."
  }
}

variable "result_writer_object_arns" {
  description = "S3 object ARN patterns (<bucket>/<prefix>/*) the Distributed Maps' ResultWriter writes its manifest and result files under: s3:PutObject, s3:GetObject, s3:ListMultipartUploadParts and s3:AbortMultipartUpload, as AWS documents for ResultWriter. Empty omits the statement."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for arn in var.result_writer_object_arns : can(regex("^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/[^*?]+/\\*$", arn))])
    error_message = "result_writer_object_arns must be S3 prefixes ending in /* (arn:aws:s3:::<bucket>/staging/_runs/*): the ResultWriter writes <Prefix>/<map run id>/...; never a whole bucket."
  }
}

variable "account_id" {
  description = "AWS account the state machine is deployed to. The role's trust policy lets Step Functions assume it only for this state machine in this account (aws:SourceArn, aws:SourceAccount), and it names the EventBridge managed rule of MediaConvert .sync tasks."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be the 12-digit AWS account id the state machine is deployed to, e.g. \"123456789012\" (quote it to keep leading zeros)."
  }
}

variable "policy_statements" {
  description = "Extra least-privilege IAM statements for SDK integrations (e.g. s3:GetObject for a Distributed Map), appended to the role policy. Actions and resources must be concrete: no \"*\"."
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
    error_message = "policy_statements[*].sid must be 1-100 letters or digits (IAM rejects other characters), e.g. \"ReadManifests\"."
  }

  validation {
    condition     = length(distinct([for s in var.policy_statements : s.sid])) == length(var.policy_statements)
    error_message = "policy_statements sids must be unique; IAM rejects a policy with duplicate Sid values."
  }

  validation {
    condition = alltrue([for s in var.policy_statements : !contains([
      "InvokeLambdaFunctions", "PutEventsToBuses", "PassMediaConvertRoles", "RunMediaConvertJobs",
      "TagMediaConvertJobs", "ManageMediaConvertJobEventsRule", "DeliverLogs", "WriteTraces",
    ], s.sid)])
    error_message = "policy_statements sids InvokeLambdaFunctions, PutEventsToBuses, PassMediaConvertRoles, RunMediaConvertJobs, TagMediaConvertJobs, ManageMediaConvertJobEventsRule, DeliverLogs and WriteTraces are reserved for the statements this module adds; choose another sid."
  }

  validation {
    condition = alltrue([for s in var.policy_statements : length(s.actions) > 0 && alltrue([
      for a in s.actions : can(regex("^[a-z0-9-]+:[A-Za-z0-9*]+$", a)) && a != "*" && !endswith(a, ":*")
    ])])
    error_message = "policy_statements[*].actions must be non-empty lists of \"service:Action\" names; \"*\" and \"service:*\" are rejected. Grant only what the flow's SDK integrations call, e.g. [\"s3:GetObject\"]."
  }

  validation {
    condition = alltrue([for s in var.policy_statements : length(s.resources) > 0 && alltrue([
      for r in s.resources : r != "*" && startswith(r, "arn:")
    ])])
    error_message = "policy_statements[*].resources must be non-empty lists of concrete ARNs; \"*\" is rejected. Scope to the bucket, prefix, table or topic the flow uses."
  }

  validation {
    condition = alltrue([for s in var.policy_statements : alltrue([
      for c in s.conditions : can(regex("^(ForAllValues:|ForAnyValue:)?[A-Za-z]+$", c.test)) && can(regex("^[A-Za-z0-9-]+:\\S+$", c.variable)) && length(c.values) > 0
    ])])
    error_message = "policy_statements[*].conditions need an IAM operator as test (e.g. \"StringEquals\"), a context key as variable (e.g. \"aws:SourceArn\") and at least one value."
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

variable "log_retention_in_days" {
  description = "Days CloudWatch Logs keeps the execution history events."
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
  description = "Alarm thresholds on the Sum of ExecutionsFailed, ExecutionsTimedOut and ExecutionThrottled per period."
  type = object({
    failed_threshold    = optional(number, 1)
    timed_out_threshold = optional(number, 1)
    throttled_threshold = optional(number, 1)
    period_seconds      = optional(number, 300)
    evaluation_periods  = optional(number, 1)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.alarms.failed_threshold >= 1 && var.alarms.timed_out_threshold >= 1 && var.alarms.throttled_threshold >= 1
    error_message = "alarms.failed_threshold, timed_out_threshold and throttled_threshold must be >= 1 (a threshold of 0 would alarm permanently)."
  }

  validation {
    condition     = var.alarms.period_seconds >= 60 && var.alarms.period_seconds % 60 == 0
    error_message = "alarms.period_seconds must be a multiple of 60 (Step Functions publishes 1-minute metrics), e.g. 60 or 300."
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
