locals {
  # Rules on the default bus publish metrics with RuleName only; rules on a custom bus with
  # EventBusName and RuleName. https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-monitoring.html
  rule_dimensions = merge(
    { RuleName = aws_cloudwatch_event_rule.this.name },
    var.event_bus_name == "default" ? {} : { EventBusName = var.event_bus_name },
  )

  alarm_specs = merge(
    {
      # Invocations that failed permanently: the retries are spent and the event went to the queue.
      failed_invocations = {
        suffix      = "failed-invocations"
        namespace   = "AWS/Events"
        metric_name = "FailedInvocations"
        dimensions  = local.rule_dimensions
        statistic   = "Sum"
        advice      = "EventBridge gave up handing events to Lambda ${local.function_label} after ${var.maximum_retry_attempts} retries or ${var.maximum_event_age_in_seconds}s; they are in the dead-letter queue. Check that the function exists, its resource policy (statement events-${var.name}) and its throttles."
      }
      # Events that could not even be dead-lettered are lost: the queue or its policy is broken.
      dlq_delivery_failures = {
        suffix      = "dlq-delivery-failures"
        namespace   = "AWS/Events"
        metric_name = "InvocationsFailedToBeSentToDlq"
        dimensions  = local.rule_dimensions
        statistic   = "Sum"
        advice      = "EventBridge could not write undeliverable events to the dead-letter queue: they are lost unless the bus archives them. Check the queue policy (events.amazonaws.com, aws:SourceArn = the rule) and the queue's KMS key policy."
      }
    },
    # A queue given by the caller is alarmed by its owner (it may serve several rules).
    local.create_queue ? {
      dlq_depth = {
        suffix      = "dlq-depth"
        namespace   = "AWS/SQS"
        metric_name = "ApproximateNumberOfMessagesVisible"
        dimensions  = { QueueName = aws_sqs_queue.dead_letter[0].name }
        statistic   = "Maximum"
        advice      = "Events for Lambda ${local.function_label} are waiting in SQS queue ${var.name}-dlq (the error is in the message attributes). Fix the cause, then redrive them."
      }
    } : {},
  )
}

# Any occurrence is worth a look: each one is an event that did not reach its function.
resource "aws_cloudwatch_metric_alarm" "this" {
  for_each = local.alarm_specs

  alarm_name        = "${var.name}-${each.value.suffix}"
  alarm_description = "EventBridge rule ${var.name}: ${each.value.metric_name} > 0 in 5 minutes. ${each.value.advice}${var.runbook == null ? "" : " Runbook: ${var.runbook}#${var.name}-${each.value.suffix}"}"

  namespace           = each.value.namespace
  metric_name         = each.value.metric_name
  dimensions          = each.value.dimensions
  statistic           = each.value.statistic
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  # EventBridge publishes FailedInvocations only when it is not zero: no data means no failure.
  treat_missing_data = "notBreaching"

  alarm_actions = var.alarm_actions
  ok_actions    = var.alarm_actions

  tags = var.tags
}
