locals {
  # IAM role names are capped at 64 characters; rule names at 64. Long names keep their
  # (prefix-scoped) start and get a stable hash so two long names never collide.
  role_name = length(var.name) <= 57 ? "${var.name}-events" : "${substr(var.name, 0, 48)}-${substr(sha1(var.name), 0, 8)}-events"

  # Confused-deputy protection: only this rule, in this account, may use the role.
  # aws:SourceArn is the rule that sent the event; aws:SourceAccount its account.
  # https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-conditions.html
  assume_role_policy = {
    Version = "2012-10-17"
    Statement = [{
      Sid       = "EventBridgeAssumeRole"
      Effect    = "Allow"
      Principal = { Service = "events.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = {
        ArnEquals    = { "aws:SourceArn" = local.rule_arn }
        StringEquals = { "aws:SourceAccount" = var.account_id }
      }
    }]
  }

  policy = {
    Version = "2012-10-17"
    Statement = [{
      Sid      = "StartStateMachineExecution"
      Effect   = "Allow"
      Action   = ["states:StartExecution"]
      Resource = [var.state_machine_arn]
    }]
  }

  # Only EventBridge, and only on behalf of this rule, may put messages into the queue.
  # https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html
  dead_letter_queue_policy = !var.create_dead_letter_queue ? null : {
    Version = "2012-10-17"
    Statement = [{
      Sid       = "EventBridgeDeadLetters"
      Effect    = "Allow"
      Principal = { Service = "events.amazonaws.com" }
      Action    = "sqs:SendMessage"
      Resource  = local.dead_letter_queue_arn
      Condition = { ArnEquals = { "aws:SourceArn" = local.rule_arn } }
    }]
  }
}

resource "aws_iam_role" "this" {
  name                 = local.role_name
  description          = "Lets EventBridge rule ${var.name} start its state machine (managed by Terraform)."
  assume_role_policy   = jsonencode(local.assume_role_policy)
  permissions_boundary = var.permissions_boundary_arn

  tags = var.tags
}

resource "aws_iam_role_policy" "this" {
  name   = "least-privilege"
  role   = aws_iam_role.this.id
  policy = jsonencode(local.policy)
}
