locals {
  # The ARNs of the module's own rule and queue are built, not read back, so the role's trust
  # policy, the role policy and the queue policy are all known at plan time. Partition and Region
  # come from the target state machine's ARN (the rule lives beside it), not from data sources:
  # the stacks call this module with depends_on (the state machine), and Terraform defers a
  # module's data sources to apply when its depends_on has changes pending, which would leave
  # every policy below unknown in the plan (governance could not verify them).
  # Rules on a custom bus have ARNs of the form rule/<bus>/<rule>; on the default bus rule/<rule>.
  machine_parts = split(":", var.state_machine_arn)
  arn_prefix    = "arn:${local.machine_parts[1]}:%s:${local.machine_parts[3]}:${var.account_id}"
  rule_arn      = "${format(local.arn_prefix, "events")}:rule/${var.event_bus_name == "default" ? "" : "${var.event_bus_name}/"}${var.name}"

  dead_letter_queue_name = "${var.name}-dlq"
  dead_letter_queue_arn  = var.create_dead_letter_queue ? "${format(local.arn_prefix, "sqs")}:${local.dead_letter_queue_name}" : null

  has_input_transformer = var.input_template != null
}

resource "aws_cloudwatch_event_rule" "this" {
  name           = var.name
  description    = "Starts state machine ${element(split(":", var.state_machine_arn), 6)} for matching events (managed by Terraform)."
  event_bus_name = var.event_bus_name
  event_pattern  = var.event_pattern
  state          = "ENABLED"

  tags = var.tags
}

resource "aws_cloudwatch_event_target" "this" {
  rule           = aws_cloudwatch_event_rule.this.name
  event_bus_name = aws_cloudwatch_event_rule.this.event_bus_name
  target_id      = "start-execution"
  arn            = var.state_machine_arn
  role_arn       = aws_iam_role.this.arn

  dynamic "input_transformer" {
    for_each = local.has_input_transformer ? [var.input_template] : []
    content {
      # An empty map shows a perpetual diff; a template may use only predefined variables.
      input_paths    = length(var.input_paths) > 0 ? var.input_paths : null
      input_template = input_transformer.value
    }
  }

  # Not optional: a transient StartExecution failure (throttling, a deploy in progress) is retried
  # with backoff, and only then dead-lettered.
  retry_policy {
    maximum_retry_attempts       = var.maximum_retry_attempts
    maximum_event_age_in_seconds = var.maximum_event_age_in_seconds
  }

  dynamic "dead_letter_config" {
    for_each = var.create_dead_letter_queue ? [aws_sqs_queue.dead_letter[0].arn] : []
    content {
      arn = dead_letter_config.value
    }
  }

  # The first matching event must find a role allowed to start the execution and a queue that
  # accepts EventBridge's dead letters.
  depends_on = [
    aws_iam_role_policy.this,
    aws_sqs_queue_policy.dead_letter,
  ]
}

# Events EventBridge could not deliver after every retry land here (with the error in the message
# attributes), so an upload never silently fails to start its flow. Redrive after fixing the cause.
resource "aws_sqs_queue" "dead_letter" {
  count = var.create_dead_letter_queue ? 1 : 0

  name                      = local.dead_letter_queue_name
  message_retention_seconds = 1209600 # 14 days, SQS's maximum: time to inspect and redrive.
  # SSE-SQS: EventBridge can write to it without a KMS key policy (an AWS managed KMS key would
  # refuse EventBridge).
  sqs_managed_sse_enabled = true

  tags = var.tags
}

resource "aws_sqs_queue_policy" "dead_letter" {
  count = var.create_dead_letter_queue ? 1 : 0

  queue_url = aws_sqs_queue.dead_letter[0].id
  policy    = jsonencode(local.dead_letter_queue_policy)
}
