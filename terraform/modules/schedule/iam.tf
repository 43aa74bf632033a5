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

  # Scheduler invokes both target kinds with this role (a Lambda target needs no resource-based
  # permission). Exactly the target's ARN: IAM matches lambda:InvokeFunction on the ARN Scheduler
  # calls, so an unqualified ARN does not grant its versions or aliases, and a qualified one
  # grants only that alias or version (no ":*").
  # https://docs.aws.amazon.com/scheduler/latest/UserGuide/setting-up.html#setting-up-execution-role
  target_statement = local.starts_state_machine ? {
    Sid      = "StartStateMachineExecution"
    Effect   = "Allow"
    Action   = ["states:StartExecution"]
    Resource = [var.state_machine_arn]
    } : {
    Sid      = "InvokeFunction"
    Effect   = "Allow"
    Action   = ["lambda:InvokeFunction"]
    Resource = [var.function_arn]
  }

  policy = {
    Version = "2012-10-17"
    Statement = concat(
      [local.target_statement],
      # Scheduler sends dead letters with the execution role, not through a queue policy.
      # https://docs.aws.amazon.com/scheduler/latest/UserGuide/configuring-schedule-dlq.html
      [{
        Sid      = "SendDeadLetters"
        Effect   = "Allow"
        Action   = ["sqs:SendMessage"]
        Resource = [local.dead_letter_arn]
      }],
      # The key encrypts the input (the role decrypts it to invoke) and the created queue (a
      # producer of an SSE-KMS queue needs kms:GenerateDataKey and kms:Decrypt).
      # https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html
      var.kms_key_arn == null ? [] : [{
        Sid      = "UseScheduleKey"
        Effect   = "Allow"
        Action   = local.create_queue ? ["kms:Decrypt", "kms:GenerateDataKey"] : ["kms:Decrypt"]
        Resource = [var.kms_key_arn]
      }],
    )
  }
}

resource "aws_iam_role" "this" {
  name                 = local.role_name
  description          = "EventBridge Scheduler: ${local.target_text} (schedule ${var.name})."
  assume_role_policy   = jsonencode(local.assume_role_policy)
  permissions_boundary = var.permissions_boundary_arn

  tags = var.tags
}

resource "aws_iam_role_policy" "this" {
  # The state machine's name is kept from before Lambda targets: renaming would replace it.
  name   = local.starts_state_machine ? "start-execution" : "invoke-function"
  role   = aws_iam_role.this.id
  policy = jsonencode(local.policy)
}
