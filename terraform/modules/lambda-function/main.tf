locals {
  # One dead-letter target at most: the queue this module creates, or the caller's queue/topic.
  has_dead_letter_target = var.create_dead_letter_queue || var.dead_letter_target_arn != null
  dead_letter_target_arn = var.create_dead_letter_queue ? aws_sqs_queue.dead_letter[0].arn : var.dead_letter_target_arn
  # Decided from inputs, not from the (unknown until apply) queue ARN, so plans stay readable.
  dead_letter_service = var.create_dead_letter_queue ? "sqs" : (var.dead_letter_target_arn == null ? null : split(":", var.dead_letter_target_arn)[2])
}

resource "aws_lambda_function" "this" {
  function_name = var.function_name
  description   = var.description
  role          = aws_iam_role.this.arn

  handler       = var.handler
  runtime       = var.runtime
  architectures = [var.architecture]
  memory_size   = var.memory_size
  timeout       = var.timeout

  # /tmp, for functions that spill to disk (default 512 MB, as Lambda without the block).
  ephemeral_storage {
    size = var.ephemeral_storage_size
  }

  reserved_concurrent_executions = var.reserved_concurrent_executions

  # Exactly one code source (validated on var.filename); the hash is what triggers a code update.
  filename         = var.filename
  s3_bucket        = var.s3_bucket
  s3_key           = var.s3_key
  source_code_hash = var.source_code_hash

  dynamic "environment" {
    # An empty environment block shows a perpetual diff, so omit it when there is nothing to set.
    for_each = length(var.environment_variables) > 0 ? [var.environment_variables] : []
    content {
      variables = environment.value
    }
  }

  # Not configurable: every Slipway function is traced (Powertools Tracer captures the AWS clients).
  tracing_config {
    mode = "Active"
  }

  # Not configurable beyond the levels: JSON logs into the module's own log group, so retention
  # and encryption are governed here and Powertools' structured keys stay queryable.
  logging_config {
    log_format            = "JSON"
    log_group             = aws_cloudwatch_log_group.this.name
    application_log_level = var.application_log_level
    system_log_level      = var.system_log_level
  }

  # With async_invocation the same target is the on-failure destination instead (async.tf).
  dynamic "dead_letter_config" {
    for_each = local.has_dead_letter_target && var.async_invocation == null ? [local.dead_letter_target_arn] : []
    content {
      target_arn = dead_letter_config.value
    }
  }

  tags = var.tags

  # The log group must exist first (or Lambda creates an unmanaged one with infinite retention) and
  # the role must be able to write logs and reach the dead-letter target before the first invoke.
  depends_on = [
    aws_cloudwatch_log_group.this,
    aws_iam_role_policy.this,
  ]
}

# Failed asynchronous invocations land here after Lambda's retries, so bad input never vanishes.
resource "aws_sqs_queue" "dead_letter" {
  count = var.create_dead_letter_queue ? 1 : 0

  name                      = "${var.function_name}-dlq"
  message_retention_seconds = 1209600 # 14 days, SQS's maximum: time to inspect and redrive.
  sqs_managed_sse_enabled   = true

  tags = var.tags
}
