locals {
  # Only EventBridge, and only on behalf of this rule, may put messages into the queue.
  # https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html
  dead_letter_queue_policy = !local.create_queue ? null : {
    Version = "2012-10-17"
    Statement = [{
      Sid       = "EventBridgeDeadLetters"
      Effect    = "Allow"
      Principal = { Service = "events.amazonaws.com" }
      Action    = "sqs:SendMessage"
      Resource  = local.dead_letter_arn
      Condition = { ArnEquals = { "aws:SourceArn" = local.rule_arn } }
    }]
  }
}

# EventBridge invokes a Lambda target through the function's resource-based policy, not a role.
# source_arn is this rule exactly: without it any rule, in any account, that knows the function's
# ARN could invoke it (confused deputy; SLW-LAMBDA-008).
# https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-lambda-permissions
resource "aws_lambda_permission" "this" {
  statement_id  = "events-${var.name}"
  action        = "lambda:InvokeFunction"
  function_name = var.function_name
  principal     = "events.amazonaws.com"
  source_arn    = local.rule_arn
}
