# A queue given by the caller is alarmed by its owner (it may serve several schedules).
#
# Scheduler's own failure metrics (AWS/Scheduler InvocationDroppedCount,
# InvocationsFailedToBeSentToDeadLetterCount, TargetErrorCount) have a ScheduleGroup dimension
# at most, no schedule one: on the shared "default" group an alarm here would fire for every
# schedule of the account. They are left to an account-level alarm (README).
# https://docs.aws.amazon.com/scheduler/latest/UserGuide/monitoring-cloudwatch.html
resource "aws_cloudwatch_metric_alarm" "dlq_depth" {
  count = local.create_queue ? 1 : 0

  alarm_name        = "${var.name}-dlq-depth"
  alarm_description = "Schedule ${var.name}: ApproximateNumberOfMessagesVisible > 0 in 5 minutes on SQS queue ${var.name}-dlq. A scheduled run did not reach ${local.target_label} after ${var.maximum_retry_attempts} retries or ${var.maximum_event_age_in_seconds}s (the error is in the message). Check the target exists and role ${local.role_name} may reach it, then replay the message.${var.runbook == null ? "" : " Runbook: ${var.runbook}#${var.name}-dlq-depth"}"

  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = aws_sqs_queue.dead_letter[0].name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  # SQS stops publishing for a queue that stays empty for hours: no data means no message.
  treat_missing_data = "notBreaching"

  alarm_actions = var.alarm_actions
  ok_actions    = var.alarm_actions

  tags = var.tags
}
