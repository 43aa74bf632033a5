variable "table_name" {
  description = "Name of the DynamoDB table. Also names its alarms (<table_name>-read-throttles, ...). Slipway stacks use slipway-<env>-<purpose>."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", var.table_name))
    error_message = "table_name must be 3-255 characters of letters, digits, underscores, hyphens or dots (DynamoDB's naming rules), e.g. \"slipway-dev-idempotency\"."
  }
}

variable "hash_key" {
  description = "Partition key attribute name of the table."
  type        = string

  validation {
    condition     = length(var.hash_key) >= 1 && length(var.hash_key) <= 255
    error_message = "hash_key must be 1-255 characters (DynamoDB's limit for key attribute names), e.g. \"id\"."
  }
}

variable "hash_key_type" {
  description = "Type of the partition key: S (string), N (number) or B (binary)."
  type        = string
  default     = "S"
  nullable    = false

  validation {
    condition     = contains(["S", "N", "B"], var.hash_key_type)
    error_message = "hash_key_type must be \"S\" (string), \"N\" (number) or \"B\" (binary); key attributes cannot be lists, maps, sets or booleans."
  }
}

variable "range_key" {
  description = "Sort key attribute name of the table. null = a table with a partition key only."
  type        = string
  default     = null

  validation {
    condition     = var.range_key == null ? true : length(var.range_key) >= 1 && length(var.range_key) <= 255
    error_message = "range_key must be 1-255 characters (DynamoDB's limit for key attribute names), or null for no sort key."
  }

  validation {
    condition     = var.range_key != var.hash_key
    error_message = "range_key must differ from hash_key: one attribute cannot be both the partition and the sort key."
  }
}

variable "range_key_type" {
  description = "Type of the sort key: S (string), N (number) or B (binary). Ignored without range_key."
  type        = string
  default     = "S"
  nullable    = false

  validation {
    condition     = contains(["S", "N", "B"], var.range_key_type)
    error_message = "range_key_type must be \"S\" (string), \"N\" (number) or \"B\" (binary); key attributes cannot be lists, maps, sets or booleans."
  }
}

variable "ttl_attribute" {
  description = "Attribute holding each item's expiry as epoch seconds (a Number). When set, TTL is enabled and DynamoDB deletes expired items within a few days, at no cost. null = TTL off."
  type        = string
  default     = null

  validation {
    condition     = var.ttl_attribute == null ? true : length(var.ttl_attribute) >= 1 && length(var.ttl_attribute) <= 255
    error_message = "ttl_attribute must be 1-255 characters, e.g. \"expiration\", or null to keep TTL off."
  }
}

variable "global_secondary_indexes" {
  description = "Global secondary indexes. Their key attributes are added to the table's attribute definitions (once each). projection_type ALL, KEYS_ONLY or INCLUDE; non_key_attributes only with INCLUDE."
  type = list(object({
    name               = string
    hash_key           = string
    hash_key_type      = optional(string, "S")
    range_key          = optional(string)
    range_key_type     = optional(string, "S")
    projection_type    = optional(string, "ALL")
    non_key_attributes = optional(list(string), [])
  }))
  default  = []
  nullable = false

  validation {
    condition     = alltrue([for g in var.global_secondary_indexes : can(regex("^[A-Za-z0-9_.-]{3,255}$", g.name))])
    error_message = "global_secondary_indexes[*].name must be 3-255 characters of letters, digits, underscores, hyphens or dots, e.g. \"by-owner\"."
  }

  validation {
    condition     = length(distinct([for g in var.global_secondary_indexes : g.name])) == length(var.global_secondary_indexes)
    error_message = "global_secondary_indexes names must be unique within the table."
  }

  validation {
    condition = alltrue([for g in var.global_secondary_indexes : (
      length(g.hash_key) >= 1 && length(g.hash_key) <= 255 &&
      (g.range_key == null ? true : length(g.range_key) >= 1 && length(g.range_key) <= 255 && g.range_key != g.hash_key)
    )])
    error_message = "global_secondary_indexes[*].hash_key and range_key must be 1-255 characters, and an index's range_key must differ from its hash_key."
  }

  validation {
    condition = alltrue([for g in var.global_secondary_indexes : (
      contains(["S", "N", "B"], g.hash_key_type) && contains(["S", "N", "B"], g.range_key_type)
    )])
    error_message = "global_secondary_indexes[*].hash_key_type and range_key_type must be \"S\" (string), \"N\" (number) or \"B\" (binary)."
  }

  validation {
    # One attribute, one type: the table and every index share one set of attribute definitions.
    condition = alltrue([for name, types in {
      for a in concat(
        [{ name = var.hash_key, type = var.hash_key_type }],
        var.range_key == null ? [] : [{ name = var.range_key, type = var.range_key_type }],
        flatten([for g in var.global_secondary_indexes : concat(
          [{ name = g.hash_key, type = g.hash_key_type }],
          g.range_key == null ? [] : [{ name = g.range_key, type = g.range_key_type }],
        )]),
      ) : a.name => a.type...
    } : length(distinct(types)) == 1])
    error_message = "global_secondary_indexes: an attribute used as a key in several places (the table and/or several indexes) must have the same type everywhere; DynamoDB keeps one definition per attribute."
  }

  validation {
    condition     = alltrue([for g in var.global_secondary_indexes : contains(["ALL", "KEYS_ONLY", "INCLUDE"], g.projection_type)])
    error_message = "global_secondary_indexes[*].projection_type must be \"ALL\", \"KEYS_ONLY\" or \"INCLUDE\"."
  }

  validation {
    condition = alltrue([for g in var.global_secondary_indexes : (
      g.projection_type == "INCLUDE" ? length(g.non_key_attributes) > 0 : length(g.non_key_attributes) == 0
    )])
    error_message = "global_secondary_indexes: non_key_attributes are only allowed, and then required, with projection_type = \"INCLUDE\" (ALL already projects every attribute, KEYS_ONLY none)."
  }
}

variable "kms_key_arn" {
  description = "Customer managed KMS key ARN for encryption at rest. null uses the AWS managed key (aws/dynamodb); encryption with KMS is on either way."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null ? true : can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key-id>); pass the key ARN, not an alias or a bare key id, so the plan names the exact key."
  }
}

variable "point_in_time_recovery" {
  description = "Continuous backups: restore the table to any second of the last 35 days (after a bad deploy or a wrong batch delete)."
  type        = bool
  default     = true
  nullable    = false
}

variable "deletion_protection" {
  description = "Refuse DeleteTable (including `terraform destroy`) until it is turned off. Secure by default; dev stacks pass false so they can be torn down."
  type        = bool
  default     = true
  nullable    = false
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
  description = "Tags for the table and its alarms (merged over the provider's default_tags)."
  type        = map(string)
  default     = {}
  nullable    = false

  validation {
    condition     = alltrue([for k, v in var.tags : length(k) >= 1 && length(k) <= 128 && length(v) <= 256 && !startswith(lower(k), "aws:")])
    error_message = "tags keys must be 1-128 characters and must not start with \"aws:\"; values at most 256 characters."
  }
}
