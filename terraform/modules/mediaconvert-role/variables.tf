variable "name" {
  description = "Name of the IAM role MediaConvert assumes for a job (the job's Role). Slipway stacks use slipway-<env>-<flow>-mediaconvert."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.name))
    error_message = "name must be 1-64 characters of letters, digits or +=,.@_- (IAM role name rules), e.g. \"slipway-dev-media-mediaconvert\"."
  }
}

variable "input_object_arns" {
  description = "S3 object ARNs or prefixes MediaConvert may read (s3:GetObject), e.g. [\"arn:aws:s3:::slipway-dev-media/uploads/*\"]. A trailing * covers a prefix; no other wildcards."
  type        = list(string)
  nullable    = false

  validation {
    condition     = length(var.input_object_arns) > 0
    error_message = "input_object_arns must list at least one object ARN or prefix: a MediaConvert job always reads its input from S3."
  }

  validation {
    condition     = alltrue([for arn in var.input_object_arns : can(regex("^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/[^*?]+\\*?$", arn))])
    error_message = "input_object_arns must be S3 object ARNs with a bucket name and a key prefix, e.g. arn:aws:s3:::slipway-dev-media/uploads/*; \"*\", a whole bucket (\"bucket/*\"), wildcards in the bucket name and \"*\" or \"?\" before the end are rejected."
  }
}

variable "output_object_arns" {
  description = "S3 object ARNs or prefixes MediaConvert may write (s3:PutObject), e.g. [\"arn:aws:s3:::slipway-dev-media/derived/*\"]. A trailing * covers a prefix; no other wildcards."
  type        = list(string)
  nullable    = false

  validation {
    condition     = length(var.output_object_arns) > 0
    error_message = "output_object_arns must list at least one object ARN prefix: a MediaConvert job always writes its outputs to S3."
  }

  validation {
    condition     = alltrue([for arn in var.output_object_arns : can(regex("^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/[^*?]+\\*?$", arn))])
    error_message = "output_object_arns must be S3 object ARNs with a bucket name and a key prefix, e.g. arn:aws:s3:::slipway-dev-media/derived/*; \"*\", a whole bucket (\"bucket/*\"), wildcards in the bucket name and \"*\" or \"?\" before the end are rejected."
  }
}

variable "kms_key_arns" {
  description = "KMS key ARNs of SSE-KMS input/output buckets. MediaConvert gets kms:Decrypt and kms:GenerateDataKey on exactly these keys. Empty (SSE-S3 buckets) omits the statement."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for arn in var.kms_key_arns : can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", arn))])
    error_message = "kms_key_arns must be KMS key ARNs (arn:aws:kms:<region>:<account>:key/<key-id>); aliases and \"*\" are not accepted."
  }
}

variable "account_id" {
  description = "AWS account the MediaConvert jobs run in. The trust policy lets MediaConvert assume the role only on behalf of this account (aws:SourceAccount), known at plan time."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be the 12-digit AWS account id the MediaConvert jobs run in, e.g. \"123456789012\" (quote it to keep leading zeros)."
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

variable "tags" {
  description = "Tags for the role (merged over the provider's default_tags)."
  type        = map(string)
  default     = {}
  nullable    = false

  validation {
    condition     = alltrue([for k, v in var.tags : length(k) >= 1 && length(k) <= 128 && length(v) <= 256 && !startswith(lower(k), "aws:")])
    error_message = "tags keys must be 1-128 characters and must not start with \"aws:\"; values at most 256 characters."
  }
}
