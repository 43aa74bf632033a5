# Secure defaults, asserted on a mock apply (no AWS calls, no credentials).
mock_provider "aws" {
  # Offline-safe data sources, pinned so built ARNs are predictable.
  mock_data "aws_partition" {
    defaults = {
      partition = "aws"
    }
  }
  mock_data "aws_region" {
    defaults = {
      name = "eu-west-1"
    }
  }
  # aws_cloudwatch_event_archive validates event_source_arn even under a mock.
  mock_resource "aws_cloudwatch_event_bus" {
    defaults = {
      arn = "arn:aws:events:eu-west-1:123456789012:event-bus/slipway-test-media"
    }
  }
  mock_resource "aws_cloudwatch_event_archive" {
    defaults = {
      arn = "arn:aws:events:eu-west-1:123456789012:archive/slipway-test-media-archive"
    }
  }
}

variables {
  name = "slipway-test-media"
}

run "secure_defaults" {
  command = apply

  assert {
    condition     = aws_cloudwatch_event_bus.this.name == "slipway-test-media" && aws_cloudwatch_event_bus.this.kms_key_identifier == null
    error_message = "The bus is named as given and uses an AWS owned key by default."
  }

  assert {
    condition = (
      aws_cloudwatch_event_archive.this.name == "slipway-test-media-archive" &&
      aws_cloudwatch_event_archive.this.event_source_arn == "arn:aws:events:eu-west-1:123456789012:event-bus/slipway-test-media" &&
      aws_cloudwatch_event_archive.this.retention_days == 30 &&
      aws_cloudwatch_event_archive.this.event_pattern == null
    )
    error_message = "Every event on the bus must be archived for 30 days by default, so it can be replayed."
  }

  assert {
    condition     = output.bus_name == "slipway-test-media" && output.bus_arn == aws_cloudwatch_event_bus.this.arn && output.archive_arn == aws_cloudwatch_event_archive.this.arn
    error_message = "Without account_id the outputs are the ARNs AWS returns."
  }
}

run "kms_retention_and_long_name" {
  command = apply

  variables {
    name                   = "slipway-test-a-very-long-event-bus-name-for-the-media-domain"
    kms_key_arn            = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    archive_retention_days = 365
    tags                   = { domain = "media" }
  }

  assert {
    condition     = aws_cloudwatch_event_bus.this.kms_key_identifier == "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    error_message = "The given KMS key must encrypt the bus."
  }

  assert {
    condition     = aws_cloudwatch_event_archive.this.retention_days == 365
    error_message = "archive_retention_days must reach the archive."
  }

  assert {
    condition = (
      length(aws_cloudwatch_event_archive.this.name) <= 48 &&
      startswith(aws_cloudwatch_event_archive.this.name, "slipway-test-a-very-long") &&
      endswith(aws_cloudwatch_event_archive.this.name, "-archive") &&
      can(regex("^[A-Za-z0-9._-]+$", aws_cloudwatch_event_archive.this.name))
    )
    error_message = "Long names give an archive name within EventBridge's 48 characters that keeps the prefix."
  }

  assert {
    condition     = aws_cloudwatch_event_bus.this.tags == tomap({ domain = "media" })
    error_message = "Tags must reach the bus."
  }
}
