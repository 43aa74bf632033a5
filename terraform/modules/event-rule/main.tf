locals {
  # With account_id the ARNs of the rule and of the created queue are built, not read back, so
  # the permission's source_arn and the queue policy are known at plan time (as in
  # event-trigger). They take the partition and Region of the target function, not of
  # data.aws_region: a module call with depends_on (the stacks' calls) defers data sources to
  # the apply, which would leave them unknown in the plan. EventBridge
  # delivers to Lambda functions of its own Region only, and the rule's postcondition compares
  # the built ARN with the real one at apply. Rules on a custom bus have ARNs
  # rule/<bus>/<name>; on the default bus rule/<name>.
  function_parts  = split(":", var.function_arn)
  arn_prefix      = var.account_id == null ? null : "arn:${local.function_parts[1]}:%s:${local.function_parts[3]}:${var.account_id}"
  built_rule_arn  = var.account_id == null ? null : "${format(local.arn_prefix, "events")}:rule/${var.event_bus_name == "default" ? "" : "${var.event_bus_name}/"}${var.name}"
  rule_arn        = var.account_id == null ? aws_cloudwatch_event_rule.this.arn : local.built_rule_arn
  function_label  = element(split(":", var.function_arn), 6)
  create_queue    = var.dead_letter_queue_arn == null
  dead_letter_arn = local.create_queue ? (var.account_id == null ? aws_sqs_queue.dead_letter[0].arn : "${format(local.arn_prefix, "sqs")}:${var.name}-dlq") : var.dead_letter_queue_arn
}

resource "aws_cloudwatch_event_rule" "this" {
  name           = var.name
  description    = coalesce(var.description, "Delivers matching events to Lambda ${local.function_label} (managed by Terraform).")
  event_bus_name = var.event_bus_name
  event_pattern  = var.event_pattern
  state          = "ENABLED"

  tags = var.tags

  lifecycle {
    # A wrong account_id would scope the permission and the queue policy to a rule that does not
    # exist: every delivery would be refused. Caught on the first apply instead.
    postcondition {
      condition     = local.built_rule_arn == null || self.arn == local.built_rule_arn
      error_message = "The rule's ARN is not the one built from account_id and the function's Region (${coalesce(local.built_rule_arn, "-")}); set account_id to the account the provider deploys to, and deploy the rule in the function's Region."
    }
  }
}

resource "aws_cloudwatch_event_target" "this" {
  rule           = aws_cloudwatch_event_rule.this.name
  event_bus_name = aws_cloudwatch_event_rule.this.event_bus_name
  target_id      = "lambda"
  arn            = var.function_arn

  dynamic "input_transformer" {
    for_each = var.input_transformer == null ? [] : [var.input_transformer]
    content {
      # An empty map shows a perpetual diff; a template may use only predefined variables.
      input_paths    = length(input_transformer.value.input_paths) > 0 ? input_transformer.value.input_paths : null
      input_template = input_transformer.value.input_template
    }
  }

  # Not optional: an Invoke that Lambda did not accept (throttled, a service error, a permission
  # not yet propagated) is retried with backoff, and only then dead-lettered. EventBridge invokes
  # asynchronously: once Lambda has queued the event, the function's own errors are retried by
  # Lambda and end in the function's dead-letter queue (lambda-function module), not in this one.
  retry_policy {
    maximum_retry_attempts       = var.maximum_retry_attempts
    maximum_event_age_in_seconds = var.maximum_event_age_in_seconds
  }

  # Not optional either: without it EventBridge drops an event once the retries are spent, and
  # only the FailedInvocations metric would say one existed (SLW-EVT-001).
  dead_letter_config {
    arn = local.dead_letter_arn
  }

  # The first matching event must find the function allowed to be invoked by this rule and a
  # queue that accepts EventBridge's dead letters.
  depends_on = [
    aws_lambda_permission.this,
    aws_sqs_queue_policy.dead_letter,
  ]
}

# Events EventBridge could not hand to Lambda after every retry land here, with the error in the
# message attributes (ERROR_CODE, ERROR_MESSAGE, RULE_ARN, TARGET_ARN), so no event is lost.
# Redrive them to the bus after fixing the cause.
resource "aws_sqs_queue" "dead_letter" {
  count = local.create_queue ? 1 : 0

  name                      = "${var.name}-dlq"
  message_retention_seconds = 1209600 # 14 days, SQS's maximum: time to inspect and redrive.

  # SSE-SQS unless a customer managed key is given; the AWS managed key aws/sqs is never used,
  # because its key policy cannot be changed to let EventBridge write.
  # (The provider refuses sqs_managed_sse_enabled next to kms_master_key_id, even as false.)
  sqs_managed_sse_enabled = var.kms_key_arn == null ? true : null
  kms_master_key_id       = var.kms_key_arn

  tags = var.tags
}

resource "aws_sqs_queue_policy" "dead_letter" {
  count = local.create_queue ? 1 : 0

  queue_url = aws_sqs_queue.dead_letter[0].id
  policy    = jsonencode(local.dead_letter_queue_policy)
}
