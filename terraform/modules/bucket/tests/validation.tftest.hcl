# Every constrained input rejects bad values at plan time with its own message.
# Prepare: the valid fixture below. Act: each run breaks one field. Assess: expect_failures.
mock_provider "aws" {}

variables {
  bucket_name = "slipway-test-media"
}

run "valid_fixture_plans" {
  command = plan
}

run "rejects_name_too_short" {
  command = plan

  variables {
    bucket_name = "ab"
  }

  expect_failures = [var.bucket_name]
}

run "rejects_name_too_long" {
  command = plan

  variables {
    bucket_name = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
  }

  expect_failures = [var.bucket_name]
}

run "rejects_name_uppercase" {
  command = plan

  variables {
    bucket_name = "Slipway-Test-Media"
  }

  expect_failures = [var.bucket_name]
}

run "rejects_name_underscore" {
  command = plan

  variables {
    bucket_name = "slipway_test_media"
  }

  expect_failures = [var.bucket_name]
}

run "rejects_name_ends_with_hyphen" {
  command = plan

  variables {
    bucket_name = "slipway-test-media-"
  }

  expect_failures = [var.bucket_name]
}

run "rejects_name_adjacent_dots" {
  command = plan

  variables {
    bucket_name = "slipway..media"
  }

  expect_failures = [var.bucket_name]
}

run "rejects_name_ip_address" {
  command = plan

  variables {
    bucket_name = "192.168.5.4"
  }

  expect_failures = [var.bucket_name]
}

run "rejects_name_xn_prefix" {
  command = plan

  variables {
    bucket_name = "xn--slipway-media"
  }

  expect_failures = [var.bucket_name]
}

run "rejects_name_s3alias_suffix" {
  command = plan

  variables {
    bucket_name = "slipway-media-s3alias"
  }

  expect_failures = [var.bucket_name]
}

run "rejects_kms_key_alias" {
  command = plan

  variables {
    kms_key_arn = "alias/aws/s3"
  }

  expect_failures = [var.kms_key_arn]
}

run "rejects_lifecycle_duplicate_ids" {
  command = plan

  variables {
    lifecycle_rules = [{ id = "a" }, { id = "a" }]
  }

  expect_failures = [var.lifecycle_rules]
}

run "rejects_lifecycle_empty_id" {
  command = plan

  variables {
    lifecycle_rules = [{ id = "" }]
  }

  expect_failures = [var.lifecycle_rules]
}

run "rejects_lifecycle_zero_days" {
  command = plan

  variables {
    lifecycle_rules = [{ id = "a", expiration_days = 0 }]
  }

  expect_failures = [var.lifecycle_rules]
}

run "rejects_lifecycle_negative_noncurrent_days" {
  command = plan

  variables {
    lifecycle_rules = [{ id = "a", noncurrent_version_expiration_days = -1 }]
  }

  expect_failures = [var.lifecycle_rules]
}

run "rejects_lifecycle_fractional_abort_days" {
  command = plan

  variables {
    lifecycle_rules = [{ id = "a", abort_incomplete_multipart_upload_days = 1.5 }]
  }

  expect_failures = [var.lifecycle_rules]
}

run "rejects_lifecycle_unknown_storage_class" {
  command = plan

  variables {
    lifecycle_rules = [{ id = "a", transitions = [{ days = 30, storage_class = "COLD" }] }]
  }

  expect_failures = [var.lifecycle_rules]
}

run "rejects_lifecycle_standard_ia_too_early" {
  command = plan

  variables {
    lifecycle_rules = [{ id = "a", transitions = [{ days = 7, storage_class = "STANDARD_IA" }] }]
  }

  expect_failures = [var.lifecycle_rules]
}

run "rejects_lifecycle_prefix_leading_slash" {
  command = plan

  variables {
    lifecycle_rules = [{ id = "a", prefix = "/tmp/" }]
  }

  expect_failures = [var.lifecycle_rules]
}

run "rejects_access_log_bucket_is_arn" {
  command = plan

  variables {
    access_log_bucket = "arn:aws:s3:::slipway-test-logs"
  }

  expect_failures = [var.access_log_bucket]
}

run "rejects_access_log_bucket_is_self" {
  command = plan

  variables {
    access_log_bucket = "slipway-test-media"
  }

  expect_failures = [var.access_log_bucket]
}

run "rejects_access_log_prefix_without_slash" {
  command = plan

  variables {
    access_log_bucket = "slipway-test-logs"
    access_log_prefix = "logs"
  }

  expect_failures = [var.access_log_prefix]
}

run "rejects_statement_bad_sid" {
  command = plan

  variables {
    additional_policy_statements = [{ sid = "allow-read", principals = [{ type = "AWS", identifiers = ["arn:aws:iam::123456789012:root"] }], actions = ["s3:GetObject"], resources = ["arn:aws:s3:::slipway-test-media/*"] }]
  }

  expect_failures = [var.additional_policy_statements]
}

run "rejects_statement_reserved_sid" {
  command = plan

  variables {
    additional_policy_statements = [{ sid = "DenyInsecureTransport", effect = "Deny", principals = [{ type = "*", identifiers = ["*"] }], actions = ["s3:*"], resources = ["arn:aws:s3:::slipway-test-media/*"] }]
  }

  expect_failures = [var.additional_policy_statements]
}

run "rejects_statement_bad_effect" {
  command = plan

  variables {
    additional_policy_statements = [{ sid = "Read", effect = "allow", principals = [{ type = "AWS", identifiers = ["arn:aws:iam::123456789012:root"] }], actions = ["s3:GetObject"], resources = ["arn:aws:s3:::slipway-test-media/*"] }]
  }

  expect_failures = [var.additional_policy_statements]
}

run "rejects_statement_bad_principal_type" {
  command = plan

  variables {
    additional_policy_statements = [{ sid = "Read", principals = [{ type = "User", identifiers = ["me"] }], actions = ["s3:GetObject"], resources = ["arn:aws:s3:::slipway-test-media/*"] }]
  }

  expect_failures = [var.additional_policy_statements]
}

run "rejects_statement_public_allow" {
  command = plan

  variables {
    additional_policy_statements = [{ sid = "PublicRead", principals = [{ type = "*", identifiers = ["*"] }], actions = ["s3:GetObject"], resources = ["arn:aws:s3:::slipway-test-media/*"] }]
  }

  expect_failures = [var.additional_policy_statements]
}

run "rejects_statement_allow_wildcard_action" {
  command = plan

  variables {
    additional_policy_statements = [{ sid = "All", principals = [{ type = "AWS", identifiers = ["arn:aws:iam::123456789012:root"] }], actions = ["s3:*"], resources = ["arn:aws:s3:::slipway-test-media/*"] }]
  }

  expect_failures = [var.additional_policy_statements]
}

run "rejects_statement_other_bucket" {
  command = plan

  variables {
    additional_policy_statements = [{ sid = "Read", principals = [{ type = "AWS", identifiers = ["arn:aws:iam::123456789012:root"] }], actions = ["s3:GetObject"], resources = ["arn:aws:s3:::slipway-test-media-other/*"] }]
  }

  expect_failures = [var.additional_policy_statements]
}

run "rejects_statement_resource_star" {
  command = plan

  variables {
    additional_policy_statements = [{ sid = "Read", principals = [{ type = "AWS", identifiers = ["arn:aws:iam::123456789012:root"] }], actions = ["s3:GetObject"], resources = ["*"] }]
  }

  expect_failures = [var.additional_policy_statements]
}

run "rejects_statement_condition_incomplete" {
  command = plan

  variables {
    additional_policy_statements = [{ sid = "Read", principals = [{ type = "AWS", identifiers = ["arn:aws:iam::123456789012:root"] }], actions = ["s3:GetObject"], resources = ["arn:aws:s3:::slipway-test-media/*"], conditions = [{ test = "StringEquals", variable = "", values = ["x"] }] }]
  }

  expect_failures = [var.additional_policy_statements]
}

run "rejects_tag_key_aws_prefix" {
  command = plan

  variables {
    tags = { "aws:cloudformation:stack-name" = "x" }
  }

  expect_failures = [var.tags]
}
