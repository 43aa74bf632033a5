# Offline-safe: answered from the provider configuration, no API call.
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  partition = data.aws_partition.current.partition
  region    = data.aws_region.current.name
  # Built from known parts, so callers' alarm_actions are readable in the plan.
  topic_arn = "arn:${local.partition}:sns:${local.region}:${var.account_id}:${var.name}"
  # Only CloudWatch alarms of this account and region may publish (confused deputy).
  alarm_source_arn = "arn:${local.partition}:cloudwatch:${local.region}:${var.account_id}:alarm:*"
  cloudwatch_condition = {
    StringEquals = { "aws:SourceAccount" = var.account_id }
    ArnLike      = { "aws:SourceArn" = local.alarm_source_arn }
  }

  # jsonencode, not aws_iam_policy_document: known at plan, and the same under mock_provider.
  topic_policy = {
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "CloudWatchAlarmsPublish"
        Effect    = "Allow"
        Principal = { Service = "cloudwatch.amazonaws.com" }
        Action    = "sns:Publish"
        Resource  = local.topic_arn
        Condition = local.cloudwatch_condition
      },
      # https://docs.aws.amazon.com/sns/latest/dg/sns-security-best-practices.html#enforce-encryption-data-in-transit
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = "*"
        Action    = "sns:Publish"
        Resource  = local.topic_arn
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
    ]
  }
}

resource "aws_sns_topic" "this" {
  name = var.name
  # The alias, not the key's id: known at plan time (governance and reviews read it), and the
  # reference makes the alias exist before the topic.
  kms_master_key_id = aws_kms_alias.this.name

  tags = var.tags
}

resource "aws_sns_topic_policy" "this" {
  arn    = aws_sns_topic.this.arn
  policy = jsonencode(local.topic_policy)
}

resource "aws_sns_topic_subscription" "this" {
  for_each = { for s in var.subscriptions : "${s.protocol}:${s.endpoint}" => s }

  topic_arn = aws_sns_topic.this.arn
  protocol  = each.value.protocol
  endpoint  = each.value.endpoint
  # Email and https endpoints confirm out of band; Terraform keeps waiting for none of them.
  endpoint_auto_confirms = each.value.protocol == "https" ? false : null
}
