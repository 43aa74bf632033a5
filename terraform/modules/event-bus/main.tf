# Offline-safe: answered from the provider configuration, no API call.
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  # Archive names are capped at 48 characters; bus names at 256. Long names keep their
  # (prefix-scoped) start and get a stable hash so two long names never collide.
  archive_name = length(var.name) <= 40 ? "${var.name}-archive" : "${substr(var.name, 0, 31)}-${substr(sha1(var.name), 0, 8)}-archive"

  # With account_id the ARNs are built, not read back, so callers' policies are known at plan time.
  arn_prefix  = var.account_id == null ? null : "arn:${data.aws_partition.current.partition}:events:${data.aws_region.current.name}:${var.account_id}"
  bus_arn     = var.account_id == null ? aws_cloudwatch_event_bus.this.arn : "${local.arn_prefix}:event-bus/${var.name}"
  archive_arn = var.account_id == null ? aws_cloudwatch_event_archive.this.arn : "${local.arn_prefix}:archive/${local.archive_name}"
}

resource "aws_cloudwatch_event_bus" "this" {
  # No description argument: it needs provider 5.76+, and this module supports 5.70.
  name = var.name

  # null = AWS owned key. With a customer managed key the key policy must let
  # events.amazonaws.com use it (README, "Notes"), or publishing to the bus fails.
  kms_key_identifier = var.kms_key_arn

  tags = var.tags
}

# Not configurable beyond retention: every event that reaches the bus is archived, so any period
# within the retention can be replayed to the bus (and through it, to every rule).
resource "aws_cloudwatch_event_archive" "this" {
  name             = local.archive_name
  description      = "Every event published to event bus ${var.name}, kept ${var.archive_retention_days} days for replay (managed by Terraform)."
  event_source_arn = aws_cloudwatch_event_bus.this.arn
  retention_days   = var.archive_retention_days
}
