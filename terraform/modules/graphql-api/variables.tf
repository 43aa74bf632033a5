variable "name" {
  description = "Name of the AppSync GraphQL API. Also names its roles (<name>-logs, <name>-ds-<n>) and alarms (<name>-*). Slipway stacks use <prefix>-<env>-<api>, e.g. \"slipway-dev-users\"."
  type        = string

  validation {
    # IAM role names are at most 64 characters and the data-source roles add "-ds-<n>".
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9_-]{0,49}$", var.name))
    error_message = "name must be 1-50 letters, digits, hyphens or underscores, starting with a letter or digit (the roles append \"-logs\" and \"-ds-<n>\" within IAM's 64), e.g. \"slipway-dev-users\"."
  }
}

variable "schema" {
  description = "The API's SDL, the committed schema file's text, e.g. file(\"libs/users/graphql/schema.graphql\"). AppSync's AWS* scalars may be used without declaring them."
  type        = string

  validation {
    condition     = length(trimspace(var.schema)) > 0 && strcontains(var.schema, "type Query")
    error_message = "schema must be the API's GraphQL SDL with at least a \"type Query\"; pass file(\"<path>/schema.graphql\")."
  }
}

variable "authentication_type" {
  description = "How AppSync authenticates callers: AMAZON_COGNITO_USER_POOLS (tokens of user_pool_id) or AWS_LAMBDA (lambda_authorizer_function_arn decides). API keys and IAM-less public access are not offered."
  type        = string

  validation {
    condition     = contains(["AMAZON_COGNITO_USER_POOLS", "AWS_LAMBDA"], var.authentication_type)
    error_message = "authentication_type must be \"AMAZON_COGNITO_USER_POOLS\" or \"AWS_LAMBDA\": API_KEY gives anyone holding the key access and carries no caller identity for the resolvers to forward (SLW-APPSYNC-003)."
  }
}

variable "user_pool_id" {
  description = "Cognito user pool whose tokens the API accepts (AMAZON_COGNITO_USER_POOLS), e.g. \"eu-west-1_AbCdEf123\"; its Region is the part before \"_\"."
  type        = string
  default     = null

  validation {
    condition     = var.user_pool_id == null ? true : can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]_[A-Za-z0-9]+$", var.user_pool_id))
    error_message = "user_pool_id must be a Cognito user pool id such as \"eu-west-1_AbCdEf123\"."
  }

  validation {
    condition     = (var.authentication_type == "AMAZON_COGNITO_USER_POOLS") == (var.user_pool_id != null)
    error_message = "user_pool_id is required with authentication_type AMAZON_COGNITO_USER_POOLS and must be null otherwise."
  }
}

variable "lambda_authorizer_function_arn" {
  description = "Unqualified ARN of the Lambda authorizer (AWS_LAMBDA): Slipway reuses the edge's authorizer. The module adds the permission letting this API, and only it, invoke the function."
  type        = string
  default     = null

  validation {
    condition     = var.lambda_authorizer_function_arn == null ? true : can(regex("^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]{1,64}$", var.lambda_authorizer_function_arn))
    error_message = "lambda_authorizer_function_arn must be an unqualified Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>)."
  }

  validation {
    condition     = (var.authentication_type == "AWS_LAMBDA") == (var.lambda_authorizer_function_arn != null)
    error_message = "lambda_authorizer_function_arn is required with authentication_type AWS_LAMBDA and must be null otherwise."
  }
}

variable "lambda_authorizer_ttl_seconds" {
  description = "How long AppSync caches the Lambda authorizer's answer for a token, in seconds (0 disables the cache)."
  type        = number
  default     = 300
  nullable    = false

  validation {
    condition     = var.lambda_authorizer_ttl_seconds >= 0 && var.lambda_authorizer_ttl_seconds <= 3600 && floor(var.lambda_authorizer_ttl_seconds) == var.lambda_authorizer_ttl_seconds
    error_message = "lambda_authorizer_ttl_seconds must be a whole number from 0 to 3600 (AppSync's range)."
  }
}

variable "resolvers" {
  description = "Fields resolved by a Lambda: one direct Lambda resolver (UNIT, no mapping templates) per type_name.field_name, on a Lambda data source per distinct function, whose role may invoke that function only."
  type = list(object({
    type_name    = string
    field_name   = string
    function_arn = string
  }))
  nullable = false

  validation {
    condition = alltrue([
      for r in var.resolvers :
      can(regex("^[_A-Za-z][_0-9A-Za-z]*$", r.type_name)) && can(regex("^[_A-Za-z][_0-9A-Za-z]*$", r.field_name)) &&
      can(regex("^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]{1,64}$", r.function_arn))
    ])
    error_message = "resolvers must name GraphQL types and fields ([_A-Za-z][_0-9A-Za-z]*) and unqualified Lambda function ARNs, e.g. { type_name = \"Query\", field_name = \"user\", function_arn = \"arn:aws:lambda:eu-west-1:123456789012:function:slipway-dev-users-graphql\" }."
  }

  validation {
    condition     = length(distinct([for r in var.resolvers : "${r.type_name}.${r.field_name}"])) == length(var.resolvers)
    error_message = "resolvers must name each type_name.field_name once: AppSync holds one resolver per field."
  }

  validation {
    # A resolver on a field the SDL lacks fails only at apply; the root types are checked here.
    condition = alltrue([
      for r in var.resolvers : can(regex("type\\s+${r.type_name}\\s*\\{", var.schema))
    ])
    error_message = "resolvers must name types the schema declares (\"type <Name> {\"); check type_name against the SDL."
  }
}

variable "field_log_level" {
  description = "AppSync field-level logging: ERROR logs the fields that failed, ALL every field's resolution. Verbose content (request headers, which carry the caller's token, and full payloads) is never logged."
  type        = string
  default     = "ERROR"
  nullable    = false

  validation {
    condition     = contains(["ERROR", "ALL"], var.field_log_level)
    error_message = "field_log_level must be \"ERROR\" or \"ALL\"; NONE leaves resolver failures unrecorded (SLW-APPSYNC-001)."
  }
}

variable "log_retention_in_days" {
  description = "Retention of the API's log group /aws/appsync/apis/<api-id>, in days."
  type        = number
  default     = 30
  nullable    = false

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_in_days)
    error_message = "log_retention_in_days must be one of the values CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 (never-expire is not allowed)."
  }
}

variable "log_kms_key_arn" {
  description = "Customer managed KMS key that encrypts the API's log group (its key policy must let logs.<region>.amazonaws.com use it). null uses CloudWatch Logs' service-managed encryption."
  type        = string
  default     = null

  validation {
    condition     = var.log_kms_key_arn == null ? true : can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", var.log_kms_key_arn))
    error_message = "log_kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key-id>); aliases are not accepted by CloudWatch Logs."
  }
}

variable "account_id" {
  description = "AWS account the API is created in: the roles' trust is limited to AppSync acting for this account (aws:SourceAccount)."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be the 12-digit AWS account id, e.g. \"123456789012\" (quote it to keep leading zeros)."
  }
}

variable "permissions_boundary_arn" {
  description = "IAM policy ARN set as the permissions boundary of every role the module creates (the bootstrap's deploy roles may only create roles with it). null sets none."
  type        = string
  default     = null

  validation {
    condition     = var.permissions_boundary_arn == null ? true : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:policy/.+$", var.permissions_boundary_arn))
    error_message = "permissions_boundary_arn must be an IAM policy ARN (arn:aws:iam::<account>:policy/<path/name>)."
  }
}

variable "alarms" {
  description = "Alarm thresholds: errors_5xx (5XXError count in 5 minutes above which the alarm fires) and latency_p99_ms (p99 request latency over 5 minutes)."
  type = object({
    errors_5xx     = optional(number, 0)
    latency_p99_ms = optional(number, 5000)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.alarms.errors_5xx >= 0 && var.alarms.latency_p99_ms >= 1
    error_message = "alarms.errors_5xx must be 0 or more and alarms.latency_p99_ms at least 1."
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
  description = "Tags for the API, its roles, log group and alarms (merged over the provider's default_tags)."
  type        = map(string)
  default     = {}
  nullable    = false

  validation {
    condition     = alltrue([for k, v in var.tags : length(k) >= 1 && length(k) <= 128 && length(v) <= 256 && !startswith(lower(k), "aws:")])
    error_message = "tags keys must be 1-128 characters and must not start with \"aws:\"; values at most 256 characters."
  }
}
