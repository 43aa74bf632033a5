# Both offline-safe: answered from the provider configuration, no API call.
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  # The ARNs of the module's own log group and queue are built, not read back, so the whole
  # policy is known at plan time.
  arn_prefix    = "arn:${data.aws_partition.current.partition}:%s:${data.aws_region.current.name}:${var.account_id}"
  log_group_arn = "${format(local.arn_prefix, "logs")}:log-group:/aws/lambda/${var.function_name}"
  policy_dead_letter_arn = (var.create_dead_letter_queue
    ? "${format(local.arn_prefix, "sqs")}:${var.function_name}-dlq"
    : local.dead_letter_target_arn
  )

  # Confused-deputy protection: Lambda may assume the role only on behalf of this account.
  # aws:SourceAccount only: for the execution role AWS documents no aws:SourceArn (that key
  # applies where the function is the target of a resource-based policy), so a SourceArn
  # condition could stop Lambda from assuming the role.
  # https://docs.aws.amazon.com/lambda/latest/dg/permissions-managed-policies.html
  # https://docs.aws.amazon.com/lambda/latest/dg/permissions-source-function-arn.html
  assume_role_policy = {
    Version = "2012-10-17"
    Statement = [{
      Sid       = "LambdaAssumeRole"
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = var.account_id } }
    }]
  }

  module_statements = concat(
    [
      {
        # Lambda writes to the log group named in logging_config; streams live under "<arn>:*".
        # No logs:CreateLogGroup: the group is created (with retention) by this module.
        Sid      = "WriteLogs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = ["${local.log_group_arn}:*"]
      },
      {
        # X-Ray has no resource-level permissions for these actions: "*" is the only accepted value.
        # https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsx-ray.html
        Sid      = "WriteTraces"
        Effect   = "Allow"
        Action   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
        Resource = "*"
      },
    ],
    local.has_dead_letter_target ? [
      {
        Sid      = "SendToDeadLetterTarget"
        Effect   = "Allow"
        Action   = local.dead_letter_service == "sns" ? ["sns:Publish"] : ["sqs:SendMessage"]
        Resource = [local.policy_dead_letter_arn]
      },
    ] : [],
  )

  # Caller statements (already validated: concrete actions and ARNs). Condition is added only when
  # present, because IAM rejects "Condition": null; repeated operators are merged into one block.
  caller_statements = [
    for s in var.policy_statements : merge(
      {
        Sid      = s.sid
        Effect   = "Allow"
        Action   = s.actions
        Resource = s.resources
      },
      {
        for key, value in {
          Condition = {
            for test, variables in { for c in s.conditions : c.test => { (c.variable) = c.values }... } :
            test => merge(variables...)
          }
        } : key => value if length(s.conditions) > 0
      },
    )
  ]

  policy = {
    Version   = "2012-10-17"
    Statement = concat(local.module_statements, local.caller_statements)
  }
}

resource "aws_iam_role" "this" {
  name                 = var.function_name
  description          = "Execution role of Lambda function ${var.function_name} (managed by Terraform)."
  assume_role_policy   = jsonencode(local.assume_role_policy)
  permissions_boundary = var.permissions_boundary_arn

  tags = var.tags
}

resource "aws_iam_role_policy" "this" {
  name   = "least-privilege"
  role   = aws_iam_role.this.id
  policy = jsonencode(local.policy)
}
