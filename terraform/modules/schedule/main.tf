# Offline-safe: answered from the provider configuration, no API call.
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  # Built, not read back (the schedule needs the role first), and so known at plan time.
  # Schedules in the default group have ARNs schedule/default/<name>.
  schedule_arn = "arn:${data.aws_partition.current.partition}:scheduler:${data.aws_region.current.name}:${var.account_id}:schedule/default/${var.name}"
}

resource "aws_scheduler_schedule" "this" {
  name        = var.name
  description = var.description
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
    arn      = var.state_machine_arn
    role_arn = aws_iam_role.this.arn
    input    = var.input

    # A failed StartExecution (throttling, a deploy in progress) is retried with backoff.
    retry_policy {
      maximum_retry_attempts       = var.maximum_retry_attempts
      maximum_event_age_in_seconds = var.maximum_event_age_in_seconds
    }
  }

  # The first invocation must find a role allowed to start the execution.
  depends_on = [aws_iam_role_policy.this]
}
