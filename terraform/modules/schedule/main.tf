# Offline-safe: answered from the provider configuration, no API call.
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  # Built, not read back (the schedule needs the role first), and so known at plan time.
  # Schedules in the default group have ARNs schedule/default/<name>.
  arn_prefix   = "arn:${data.aws_partition.current.partition}:%s:${data.aws_region.current.name}:${var.account_id}"
  schedule_arn = "${format(local.arn_prefix, "scheduler")}:schedule/default/${var.name}"

  # Exactly one of the two is set (validated on function_arn).
  starts_state_machine = var.state_machine_arn != null
  target_arn           = local.starts_state_machine ? var.state_machine_arn : var.function_arn
  # The state machine's or the function's name (a function qualifier stays out of it).
  target_label = element(split(":", local.target_arn), 6)
  target_text  = local.starts_state_machine ? "starts ${local.target_label}" : "invokes Lambda ${local.target_label}"

  # The created queue's ARN is built like the schedule's, so the role policy and the schedule's
  # dead_letter_config are readable in `terraform plan` (governance checks the plan JSON).
  create_queue    = var.dead_letter_queue_arn == null
  dead_letter_arn = local.create_queue ? "${format(local.arn_prefix, "sqs")}:${var.name}-dlq" : var.dead_letter_queue_arn
}

resource "aws_scheduler_schedule" "this" {
  name        = var.name
  description = coalesce(var.description, local.starts_state_machine ? "Starts a Slipway state machine (managed by Terraform)." : "Invokes a Slipway Lambda function (managed by Terraform).")
  group_name  = "default"
  state       = "ENABLED"

  schedule_expression          = var.schedule_expression
  schedule_expression_timezone = var.timezone
  kms_key_arn                  = var.kms_key_arn

  # A nightly batch starts when it says, not somewhere in a window.
  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = local.target_arn
    role_arn = aws_iam_role.this.arn
    input    = var.input

    # A StartExecution or Invoke the target did not accept (throttling, a deploy in progress, a
    # permission not yet propagated) is retried with backoff, and only then dead-lettered. A
    # Lambda target is invoked asynchronously: once Lambda has queued the event, the function's
    # own errors are retried by Lambda and end in the function's dead-letter queue
    # (lambda-function module), not in this one.
    retry_policy {
      maximum_retry_attempts       = var.maximum_retry_attempts
      maximum_event_age_in_seconds = var.maximum_event_age_in_seconds
    }

    # Not optional: without it Scheduler drops the invocation once the retries are spent, and
    # the scheduled run silently does not happen (SLW-SCHED-002).
    # https://docs.aws.amazon.com/scheduler/latest/UserGuide/configuring-schedule-dlq.html
    dead_letter_config {
      arn = local.dead_letter_arn
    }
  }

  # The first invocation must find a role allowed to reach the target and a queue to write a
  # dead letter to.
  depends_on = [
    aws_iam_role_policy.this,
    aws_sqs_queue.dead_letter,
  ]
}

# Invocations Scheduler could not deliver after every retry land here, with the error and the
# target's response, so no scheduled run is lost without a trace. Replay them after fixing the
# cause (the message body holds the invocation's input).
resource "aws_sqs_queue" "dead_letter" {
  count = local.create_queue ? 1 : 0

  name                      = "${var.name}-dlq"
  message_retention_seconds = 1209600 # 14 days, SQS's maximum: time to inspect and replay.

  # SSE-SQS unless a customer managed key is given. Scheduler writes with the execution role, so
  # with a key the role needs kms:GenerateDataKey and kms:Decrypt on it (iam.tf).
  # (The provider refuses sqs_managed_sse_enabled next to kms_master_key_id, even as false.)
  sqs_managed_sse_enabled = var.kms_key_arn == null ? true : null
  kms_master_key_id       = var.kms_key_arn

  tags = var.tags
}
