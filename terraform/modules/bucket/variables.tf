variable "bucket_name" {
  description = "Globally unique bucket name. Slipway workload buckets use slipway-<env>-<purpose> (the deploy roles are scoped to that prefix)."
  type        = string

  validation {
    condition     = length(var.bucket_name) >= 3 && length(var.bucket_name) <= 63
    error_message = "bucket_name must be 3-63 characters long."
  }

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]*[a-z0-9]$", var.bucket_name)) && !strcontains(var.bucket_name, "..")
    error_message = "bucket_name may contain only lowercase letters, digits, hyphens and dots, must start and end with a letter or digit, and must not contain two adjacent dots (e.g. \"slipway-dev-media\")."
  }

  validation {
    condition     = !can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+$", var.bucket_name))
    error_message = "bucket_name must not be formatted as an IP address (e.g. 192.168.5.4); S3 rejects such names."
  }

  validation {
    condition = !anytrue([for p in ["xn--", "sthree-", "amzn-s3-demo-"] : startswith(var.bucket_name, p)]) && !anytrue([
      for s in ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"] : endswith(var.bucket_name, s)
    ])
    error_message = "bucket_name must not start with xn--, sthree- or amzn-s3-demo- and must not end with -s3alias, --ol-s3, .mrap, --x-s3 or --table-s3: S3 reserves those for other features."
  }
}

variable "force_destroy" {
  description = "Allow `terraform destroy` to delete a bucket that still holds objects. Keep false for anything holding data you cannot rebuild."
  type        = bool
  default     = false
  nullable    = false
}

variable "versioning_enabled" {
  description = "Keep every version of every object (recover from overwrites and deletes). false suspends versioning."
  type        = bool
  default     = true
  nullable    = false
}

variable "kms_key_arn" {
  description = "KMS key ARN for default encryption (SSE-KMS with an S3 Bucket Key). null uses SSE-S3 (AES256)."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null ? true : can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key-id>), not an alias or key id."
  }
}

variable "lifecycle_rules" {
  description = "Lifecycle rules. The default aborts incomplete multipart uploads after 7 days and expires noncurrent versions after 90 days. An empty list removes the lifecycle configuration."
  type = list(object({
    id                                     = string
    prefix                                 = optional(string, "")
    expiration_days                        = optional(number)
    noncurrent_version_expiration_days     = optional(number)
    abort_incomplete_multipart_upload_days = optional(number, 7)
    transitions = optional(list(object({
      days          = number
      storage_class = string
    })), [])
  }))
  default = [{
    id                                 = "default"
    noncurrent_version_expiration_days = 90
  }]
  nullable = false

  validation {
    condition     = alltrue([for r in var.lifecycle_rules : length(r.id) >= 1 && length(r.id) <= 255])
    error_message = "lifecycle_rules[*].id must be 1-255 characters."
  }

  validation {
    condition     = length(distinct([for r in var.lifecycle_rules : r.id])) == length(var.lifecycle_rules)
    error_message = "lifecycle_rules ids must be unique; S3 rejects a configuration with duplicate rule ids."
  }

  validation {
    condition = alltrue(flatten([for r in var.lifecycle_rules : [
      for d in concat(
        [r.expiration_days, r.noncurrent_version_expiration_days, r.abort_incomplete_multipart_upload_days],
        [for t in r.transitions : t.days],
      ) : d == null ? true : (d > 0 && floor(d) == d)
    ]]))
    error_message = "lifecycle_rules day counts (expiration_days, noncurrent_version_expiration_days, abort_incomplete_multipart_upload_days, transitions[*].days) must be whole numbers greater than 0."
  }

  validation {
    condition = alltrue(flatten([for r in var.lifecycle_rules : [
      for t in r.transitions : contains(["STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"], t.storage_class)
    ]]))
    error_message = "lifecycle_rules[*].transitions[*].storage_class must be one of STANDARD_IA, ONEZONE_IA, INTELLIGENT_TIERING, GLACIER_IR, GLACIER, DEEP_ARCHIVE."
  }

  validation {
    condition = alltrue(flatten([for r in var.lifecycle_rules : [
      for t in r.transitions : t.days >= 30 if contains(["STANDARD_IA", "ONEZONE_IA"], t.storage_class)
    ]]))
    error_message = "lifecycle_rules transitions to STANDARD_IA or ONEZONE_IA need days >= 30 (S3's minimum storage duration for those classes)."
  }

  validation {
    condition     = alltrue([for r in var.lifecycle_rules : length(r.prefix) <= 1024 && !startswith(r.prefix, "/")])
    error_message = "lifecycle_rules[*].prefix must be at most 1024 characters and must not start with \"/\" (S3 keys have no leading slash), e.g. \"tmp/\"."
  }
}

variable "eventbridge_notifications" {
  description = "Send this bucket's object events to Amazon EventBridge (the default bus), where Slipway's event triggers pick them up."
  type        = bool
  default     = false
  nullable    = false
}

variable "access_log_bucket" {
  description = "Name of an existing bucket that receives S3 server access logs for this bucket. null disables access logging. Must be known at plan time (a literal or built from variables, not another resource's output): it decides whether logging is configured. The target's bucket policy must allow logging.s3.amazonaws.com."
  type        = string
  default     = null

  validation {
    condition     = var.access_log_bucket == null ? true : can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.access_log_bucket))
    error_message = "access_log_bucket must be a bucket name (3-63 lowercase letters, digits, dots or hyphens), not an ARN."
  }

  validation {
    condition     = var.access_log_bucket != var.bucket_name
    error_message = "access_log_bucket must not be the bucket itself: logging into the logged bucket creates an endless loop of log objects."
  }
}

variable "access_log_prefix" {
  description = "Key prefix of the access log objects in access_log_bucket. null means \"s3-access-logs/<bucket_name>/\"."
  type        = string
  default     = null

  validation {
    condition     = var.access_log_prefix == null ? true : (length(var.access_log_prefix) >= 1 && length(var.access_log_prefix) <= 900 && endswith(var.access_log_prefix, "/") && !startswith(var.access_log_prefix, "/"))
    error_message = "access_log_prefix must be 1-900 characters, end with \"/\" and not start with \"/\", e.g. \"s3-access-logs/slipway-dev-media/\"."
  }
}

variable "additional_policy_statements" {
  description = "Extra bucket policy statements appended after the TLS-only denies (e.g. a CloudFront or cross-account reader). Resources must be this bucket or objects in it; Allow statements may not use wildcard actions or the \"*\" principal."
  type = list(object({
    sid    = string
    effect = optional(string, "Allow")
    principals = list(object({
      type        = string
      identifiers = list(string)
    }))
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
    condition     = alltrue([for s in var.additional_policy_statements : can(regex("^[A-Za-z0-9]{1,100}$", s.sid))])
    error_message = "additional_policy_statements[*].sid must be 1-100 letters or digits, e.g. \"AllowCloudFrontRead\"."
  }

  validation {
    condition = (
      length(distinct([for s in var.additional_policy_statements : s.sid])) == length(var.additional_policy_statements) &&
      alltrue([for s in var.additional_policy_statements : !contains(["DenyInsecureTransport", "DenyOutdatedTls"], s.sid)])
    )
    error_message = "additional_policy_statements sids must be unique and must not be DenyInsecureTransport or DenyOutdatedTls (used by this module)."
  }

  validation {
    condition     = alltrue([for s in var.additional_policy_statements : contains(["Allow", "Deny"], s.effect)])
    error_message = "additional_policy_statements[*].effect must be \"Allow\" or \"Deny\"."
  }

  validation {
    condition = alltrue([for s in var.additional_policy_statements : length(s.principals) > 0 && alltrue([
      for p in s.principals : contains(["AWS", "Service", "Federated", "CanonicalUser", "*"], p.type) && length(p.identifiers) > 0
    ])])
    error_message = "additional_policy_statements[*].principals need at least one entry, each with type AWS, Service, Federated, CanonicalUser or \"*\" and at least one identifier."
  }

  validation {
    condition = alltrue([for s in var.additional_policy_statements : s.effect != "Allow" || alltrue([
      for p in s.principals : p.type != "*" && !contains(p.identifiers, "*")
    ])])
    error_message = "additional_policy_statements: an Allow statement must not grant to the \"*\" principal (public access is blocked on every Slipway bucket). Name the account, role or service principal instead."
  }

  validation {
    condition = alltrue([for s in var.additional_policy_statements : length(s.actions) > 0 && alltrue([
      for a in s.actions : can(regex("^[a-z0-9-]+:[A-Za-z0-9*]+$", a)) || a == "*"
    ])])
    error_message = "additional_policy_statements[*].actions must be non-empty lists of \"service:Action\" names, e.g. [\"s3:GetObject\"]."
  }

  validation {
    condition = alltrue([for s in var.additional_policy_statements : s.effect != "Allow" || alltrue([
      for a in s.actions : a != "*" && !endswith(a, ":*")
    ])])
    error_message = "additional_policy_statements: Allow statements must list concrete actions; \"*\" and \"s3:*\" are rejected (they are fine in a Deny)."
  }

  validation {
    condition = alltrue([for s in var.additional_policy_statements : length(s.resources) > 0 && alltrue([
      for r in s.resources : try(
        regex("^arn:aws[a-z-]*:s3:::(.+)$", r)[0] == var.bucket_name || startswith(regex("^arn:aws[a-z-]*:s3:::(.+)$", r)[0], "${var.bucket_name}/"),
        false,
      )
    ])])
    error_message = "additional_policy_statements[*].resources must be this bucket's ARN (arn:aws:s3:::<bucket_name>) or objects in it (arn:aws:s3:::<bucket_name>/<prefix>*); a bucket policy cannot grant on anything else."
  }

  validation {
    condition = alltrue([for s in var.additional_policy_statements : alltrue([
      for c in s.conditions : can(regex("^(ForAllValues:|ForAnyValue:)?[A-Za-z]+$", c.test)) && can(regex("^[A-Za-z0-9-]+:\\S+$", c.variable)) && length(c.values) > 0
    ])])
    error_message = "additional_policy_statements[*].conditions need an IAM operator as test (e.g. \"StringEquals\"), a context key as variable (e.g. \"aws:SourceArn\") and at least one value."
  }
}

variable "tags" {
  description = "Tags for the bucket (merged over the provider's default_tags)."
  type        = map(string)
  default     = {}
  nullable    = false

  validation {
    condition     = alltrue([for k, v in var.tags : length(k) >= 1 && length(k) <= 128 && length(v) <= 256 && !startswith(lower(k), "aws:")])
    error_message = "tags keys must be 1-128 characters and must not start with \"aws:\"; values at most 256 characters."
  }
}
