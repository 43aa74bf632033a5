# Secure defaults and the generated bucket policy, asserted on a mock apply (no AWS calls).
mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = {
      partition = "aws"
    }
  }
  mock_resource "aws_s3_bucket" {
    defaults = {
      arn = "arn:aws:s3:::slipway-test-media"
    }
  }
}

variables {
  bucket_name = "slipway-test-media"
}

run "secure_defaults" {
  command = apply

  assert {
    condition     = aws_s3_bucket.this.bucket == "slipway-test-media" && aws_s3_bucket.this.force_destroy == false
    error_message = "The bucket keeps its objects on destroy unless force_destroy is set."
  }

  assert {
    condition     = aws_s3_bucket_ownership_controls.this.rule[0].object_ownership == "BucketOwnerEnforced"
    error_message = "ACLs must be disabled (BucketOwnerEnforced)."
  }

  assert {
    condition = alltrue([
      aws_s3_bucket_public_access_block.this.block_public_acls,
      aws_s3_bucket_public_access_block.this.block_public_policy,
      aws_s3_bucket_public_access_block.this.ignore_public_acls,
      aws_s3_bucket_public_access_block.this.restrict_public_buckets,
    ])
    error_message = "All four public access block flags must be true."
  }

  assert {
    condition = (
      one(aws_s3_bucket_server_side_encryption_configuration.this.rule).apply_server_side_encryption_by_default[0].sse_algorithm == "AES256" &&
      one(aws_s3_bucket_server_side_encryption_configuration.this.rule).apply_server_side_encryption_by_default[0].kms_master_key_id == null
    )
    error_message = "Default encryption must be SSE-S3 when no KMS key is given."
  }

  assert {
    condition     = aws_s3_bucket_versioning.this.versioning_configuration[0].status == "Enabled"
    error_message = "Versioning must be enabled by default."
  }

  assert {
    condition = (
      length(aws_s3_bucket_lifecycle_configuration.this) == 1 &&
      aws_s3_bucket_lifecycle_configuration.this[0].rule[0].id == "default" &&
      aws_s3_bucket_lifecycle_configuration.this[0].rule[0].status == "Enabled" &&
      aws_s3_bucket_lifecycle_configuration.this[0].rule[0].abort_incomplete_multipart_upload[0].days_after_initiation == 7 &&
      aws_s3_bucket_lifecycle_configuration.this[0].rule[0].noncurrent_version_expiration[0].noncurrent_days == 90 &&
      length(aws_s3_bucket_lifecycle_configuration.this[0].rule[0].expiration) == 0
    )
    error_message = "The default lifecycle aborts multipart uploads after 7 days and expires noncurrent versions after 90, and never expires current objects."
  }

  assert {
    condition     = length(aws_s3_bucket_logging.this) == 0 && length(aws_s3_bucket_notification.this) == 0
    error_message = "Access logging and EventBridge notifications are off unless asked for."
  }

  assert {
    condition     = aws_s3_bucket_policy.this.policy == output.policy_json
    error_message = "policy_json must be exactly the policy attached to the bucket."
  }

  assert {
    condition = [for s in jsondecode(output.policy_json).Statement : s if s.Sid == "DenyInsecureTransport"][0] == {
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = ["arn:aws:s3:::slipway-test-media", "arn:aws:s3:::slipway-test-media/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }
    error_message = "Plain-HTTP requests must be denied on the bucket and its objects."
  }

  assert {
    condition = [for s in jsondecode(output.policy_json).Statement : s if s.Sid == "DenyOutdatedTls"][0].Condition == {
      NumericLessThan = { "s3:TlsVersion" = "1.2" }
    }
    error_message = "TLS versions below 1.2 must be denied."
  }

  assert {
    condition     = alltrue([for s in jsondecode(output.policy_json).Statement : s.Effect == "Deny"])
    error_message = "The default policy grants nothing."
  }
}

run "kms_logging_eventbridge_and_rules" {
  command = apply

  variables {
    kms_key_arn               = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    versioning_enabled        = false
    eventbridge_notifications = true
    access_log_bucket         = "slipway-test-access-logs"
    lifecycle_rules = [
      {
        id              = "tmp"
        prefix          = "tmp/"
        expiration_days = 1
      },
      {
        id = "archive"
        transitions = [
          { days = 30, storage_class = "STANDARD_IA" },
          { days = 180, storage_class = "DEEP_ARCHIVE" },
        ]
      },
    ]
  }

  assert {
    condition = (
      one(aws_s3_bucket_server_side_encryption_configuration.this.rule).apply_server_side_encryption_by_default[0].sse_algorithm == "aws:kms" &&
      one(aws_s3_bucket_server_side_encryption_configuration.this.rule).apply_server_side_encryption_by_default[0].kms_master_key_id == "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab" &&
      one(aws_s3_bucket_server_side_encryption_configuration.this.rule).bucket_key_enabled == true
    )
    error_message = "A KMS key switches to SSE-KMS with an S3 Bucket Key."
  }

  assert {
    condition     = aws_s3_bucket_versioning.this.versioning_configuration[0].status == "Suspended"
    error_message = "versioning_enabled = false suspends versioning."
  }

  assert {
    condition     = aws_s3_bucket_notification.this[0].eventbridge == true
    error_message = "EventBridge notifications must be enabled when asked for."
  }

  assert {
    condition     = aws_s3_bucket_logging.this[0].target_bucket == "slipway-test-access-logs" && aws_s3_bucket_logging.this[0].target_prefix == "s3-access-logs/slipway-test-media/"
    error_message = "Access logs go to the given bucket under s3-access-logs/<bucket_name>/ by default."
  }

  assert {
    condition = (
      aws_s3_bucket_lifecycle_configuration.this[0].rule[0].filter[0].prefix == "tmp/" &&
      aws_s3_bucket_lifecycle_configuration.this[0].rule[0].expiration[0].days == 1 &&
      aws_s3_bucket_lifecycle_configuration.this[0].rule[0].abort_incomplete_multipart_upload[0].days_after_initiation == 7 &&
      length(aws_s3_bucket_lifecycle_configuration.this[0].rule[1].transition) == 2
    )
    error_message = "Caller lifecycle rules are rendered as given, with the multipart-abort default kept."
  }
}

run "additional_statements" {
  command = apply

  variables {
    access_log_bucket = "slipway-test-access-logs"
    access_log_prefix = "custom/"
    lifecycle_rules   = []
    additional_policy_statements = [
      {
        sid        = "AllowCloudFrontRead"
        principals = [{ type = "Service", identifiers = ["cloudfront.amazonaws.com"] }]
        actions    = ["s3:GetObject"]
        resources  = ["arn:aws:s3:::slipway-test-media/public/*"]
        conditions = [{ test = "StringEquals", variable = "AWS:SourceArn", values = ["arn:aws:cloudfront::123456789012:distribution/EDFDVBD6EXAMPLE"] }]
      },
      {
        sid        = "DenyDeleteFromOthers"
        effect     = "Deny"
        principals = [{ type = "*", identifiers = ["*"] }]
        actions    = ["s3:DeleteObject"]
        resources  = ["arn:aws:s3:::slipway-test-media/*"]
        conditions = [{ test = "StringNotEquals", variable = "aws:PrincipalAccount", values = ["123456789012"] }]
      },
    ]
  }

  assert {
    condition     = length(aws_s3_bucket_lifecycle_configuration.this) == 0
    error_message = "An empty lifecycle_rules list removes the lifecycle configuration."
  }

  assert {
    condition     = aws_s3_bucket_logging.this[0].target_prefix == "custom/"
    error_message = "A given access_log_prefix wins over the default."
  }

  assert {
    condition     = [for s in jsondecode(output.policy_json).Statement : s.Sid] == ["DenyInsecureTransport", "DenyOutdatedTls", "AllowCloudFrontRead", "DenyDeleteFromOthers"]
    error_message = "Additional statements come after the TLS denies, in order."
  }

  assert {
    condition = jsondecode(output.policy_json).Statement[2] == {
      Sid       = "AllowCloudFrontRead"
      Effect    = "Allow"
      Principal = { Service = ["cloudfront.amazonaws.com"] }
      Action    = ["s3:GetObject"]
      Resource  = ["arn:aws:s3:::slipway-test-media/public/*"]
      Condition = { StringEquals = { "AWS:SourceArn" = ["arn:aws:cloudfront::123456789012:distribution/EDFDVBD6EXAMPLE"] } }
    }
    error_message = "An Allow statement is rendered with its principal map and conditions."
  }

  assert {
    condition     = jsondecode(output.policy_json).Statement[3].Principal == { AWS = ["*"] }
    error_message = "A \"*\" principal (Deny only) is rendered as { AWS = [\"*\"] }."
  }
}
