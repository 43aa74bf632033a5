locals {
  # IAM role names are capped at 64 characters: long names keep their (prefix-scoped) start and
  # get a stable hash.
  role_name = length(var.name) <= 54 ? "${var.name}-scheduler" : "${substr(var.name, 0, 45)}-${substr(sha1(var.name), 0, 8)}-sch"

  # Confused-deputy protection: only this schedule, from this account, may use the role.
  # https://docs.aws.amazon.com/scheduler/latest/UserGuide/cross-service-confused-deputy-prevention.html
  assume_role_policy = {
    Version = "2012-10-17"
    Statement = [{
      Sid       = "SchedulerAssumeRole"
      Effect    = "Allow"
      Principal = { Service = "scheduler.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = {
        ArnEquals    = { "aws:SourceArn" = local.schedule_arn }
        StringEquals = { "aws:SourceAccount" = var.account_id }
      }
    }]
  }

  policy = {
    Version = "2012-10-17"
    Statement = concat(
      [{
        Sid      = "StartStateMachineExecution"
        Effect   = "Allow"
        Action   = ["states:StartExecution"]
        Resource = [var.state_machine_arn]
      }],
      var.kms_key_arn == null ? [] : [{
        Sid      = "DecryptScheduleInput"
        Effect   = "Allow"
        Action   = ["kms:Decrypt"]
        Resource = [var.kms_key_arn]
      }],
    )
  }
}

resource "aws_iam_role" "this" {
  name                 = local.role_name
  description          = "EventBridge Scheduler: starts ${element(split(":", var.state_machine_arn), 6)} (schedule ${var.name})."
  assume_role_policy   = jsonencode(local.assume_role_policy)
  permissions_boundary = var.permissions_boundary_arn

  tags = var.tags
}

resource "aws_iam_role_policy" "this" {
  name   = "start-execution"
  role   = aws_iam_role.this.id
  policy = jsonencode(local.policy)
}
