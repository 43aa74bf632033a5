# Every constrained input rejects bad values at plan time with its own message.
# Prepare: the valid fixture below. Act: each run breaks one field. Assess: expect_failures.
mock_provider "aws" {}

variables {
  name = "slipway-test-media"
}

run "valid_fixture_plans" {
  command = plan
}

run "rejects_name_default" {
  command = plan

  variables {
    name = "default"
  }

  expect_failures = [var.name]
}

run "rejects_name_partner_prefix" {
  command = plan

  variables {
    name = "aws.partner/example.com/123"
  }

  expect_failures = [var.name]
}

run "rejects_name_bad_chars" {
  command = plan

  variables {
    name = "slipway test/media"
  }

  expect_failures = [var.name]
}

run "rejects_name_empty" {
  command = plan

  variables {
    name = ""
  }

  expect_failures = [var.name]
}

run "rejects_archive_retention_forever" {
  command = plan

  variables {
    archive_retention_days = 0
  }

  expect_failures = [var.archive_retention_days]
}

run "rejects_archive_retention_fractional" {
  command = plan

  variables {
    archive_retention_days = 1.5
  }

  expect_failures = [var.archive_retention_days]
}

run "rejects_archive_retention_too_long" {
  command = plan

  variables {
    archive_retention_days = 3654
  }

  expect_failures = [var.archive_retention_days]
}

run "rejects_kms_key_alias" {
  command = plan

  variables {
    kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:alias/events"
  }

  expect_failures = [var.kms_key_arn]
}

run "rejects_kms_key_id_only" {
  command = plan

  variables {
    kms_key_arn = "1234abcd-12ab-34cd-56ef-1234567890ab"
  }

  expect_failures = [var.kms_key_arn]
}

run "rejects_account_id_not_12_digits" {
  command = plan

  variables {
    account_id = "12345678901"
  }

  expect_failures = [var.account_id]
}

run "rejects_tag_key_aws_prefix" {
  command = plan

  variables {
    tags = { "aws:owner" = "me" }
  }

  expect_failures = [var.tags]
}
