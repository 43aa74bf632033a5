locals {
  # The AWS provider (5.x) calls states:ValidateStateMachineDefinition while *planning* whenever the
  # definition is known, so a known definition makes every offline plan (fake credentials, no
  # network) fail. Appending an empty string derived from the log group ARN keeps the deployed
  # bytes identical to var.definition but unknown until the log group exists: a new state machine
  # plans offline, and AWS still validates the definition at apply and on later plans of changes.
  # Provider source: internal/service/sfn/state_machine.go, stateMachineDefinitionValidate.
  definition = "${var.definition}${substr(aws_cloudwatch_log_group.this.arn, 0, 0)}"
}

resource "aws_sfn_state_machine" "this" {
  name       = var.name
  type       = var.type
  role_arn   = aws_iam_role.this.arn
  definition = local.definition

  # Not configurable: full execution history (with payloads, which Slipway keeps small: S3
  # pointers, not bytes) in the module's log group, so a failed run can always be explained.
  logging_configuration {
    level                  = "ALL"
    include_execution_data = true
    log_destination        = "${aws_cloudwatch_log_group.this.arn}:*"
  }

  # Not configurable: X-Ray joins the flow and its Lambda invocations into one service map.
  tracing_configuration {
    enabled = true
  }

  tags = var.tags

  # Step Functions checks at create time that the role can deliver logs and invoke its targets.
  depends_on = [aws_iam_role_policy.this]
}
