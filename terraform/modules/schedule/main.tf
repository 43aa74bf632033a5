# Offline-safe: answered from the provider configuration, no API call. Only checked against the
# target's Region (the schedule's precondition): a call with depends_on defers this read to the
# apply, so nothing the plan must show is built from it.
data "aws_region" "current" {}

locals {
  # Exactly one of the two is set (validated on function_arn).
  starts_state_machine = var.state_machine_arn != null
  target_arn           = local.starts_state_machine ? var.state_machine_arn : var.function_arn
  target_parts         = split(":", local.target_arn)
  # The state machine's or the function's name (a function qualifier stays out of it).
  target_label = local.target_parts[6]
  target_text  = local.starts_state_machine ? "starts ${local.target_label}" : "invokes Lambda ${local.target_label}"

  # A templated target (Step Functions, Lambda) is in the schedule's account (validated on
  # account_id) and Region (the precondition below), so the schedule's and the queue's ARNs are
  # built from the target's partition and Region: known at plan time (governance checks the
  # plan JSON), even when the call's depends_on defers the module's data sources.
  # Schedules in the default group have ARNs schedule/default/<name>.
  arn_prefix   = "arn:${local.target_parts[1]}:%s:${local.target_parts[3]}:${var.account_id}"
  schedule_arn = "${format(local.arn_prefix, "scheduler")}:schedule/default/${var.name}"

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

  # Off by default: a nightly batch or an hourly job starts when it says. A window lets
  # Scheduler spread the invocation within it, for jobs that need not run on the minute.
  # https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-flexible-time-windows.html
  flexible_time_window {
    mode                      = var.flexible_window_minutes == null ? "OFF" : "FLEXIBLE"
    maximum_window_in_minutes = var.flexible_window_minutes
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

  lifecycle {
    # The built ARNs (trust policy, queue, role policy) name the target's Region: a provider in
    # another Region would create a schedule its role does not trust. Checked at apply when the
    # Region is only known then.
    precondition {
      condition     = data.aws_region.current.name == local.target_parts[3]
      error_message = "The target ${local.target_arn} is in ${local.target_parts[3]}, but the provider deploys this schedule to ${data.aws_region.current.name}: a schedule starts or invokes targets in its own Region. Deploy the schedule with a provider in the target's Region."
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
