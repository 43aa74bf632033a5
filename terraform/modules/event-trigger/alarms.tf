locals {
  # Rules on the default bus publish metrics with RuleName only; rules on a custom bus with
  # EventBusName and RuleName. https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-monitoring.html
  rule_dimensions = merge(
    { RuleName = aws_cloudwatch_event_rule.this.name },
    var.event_bus_name == "default" ? {} : { EventBusName = var.event_bus_name },
  )

  alarm_specs = merge(
    {
      failed_invocations = {
        suffix      = "failed-invocations"
        namespace   = "AWS/Events"
        metric_name = "FailedInvocations"
        dimensions  = local.rule_dimensions
        statistic   = "Sum"
        threshold   = var.alarms.failed_invocations_threshold
        advice      = "EventBridge could not start state machine ${element(split(":", var.state_machine_arn), 6)} after every retry. Check the role's states:StartExecution permission, the state machine's existence, and the input transformer output (CloudTrail StartExecution errors)."
      }
    },
    var.create_dead_letter_queue ? {
      dead_letter_messages = {
        suffix      = "dlq-messages"
        namespace   = "AWS/SQS"
        metric_name = "ApproximateNumberOfMessagesVisible"
        dimensions  = { QueueName = aws_sqs_queue.dead_letter[0].name }
        statistic   = "Maximum"
        threshold   = var.alarms.dead_letter_messages_threshold
        advice      = "Events that did not start their execution are waiting in SQS queue ${local.dead_letter_queue_name} (the error is in the message attributes). Fix the cause, then redrive them (or replay them from the bus archive)."
      }
      # Events that could not even be dead-lettered are lost: the queue policy or queue is broken.
      dead_letter_delivery_failures = {
        suffix      = "dlq-delivery-failures"
        namespace   = "AWS/Events"
        metric_name = "InvocationsFailedToBeSentToDlq"
        dimensions  = local.rule_dimensions
        statistic   = "Sum"
        threshold   = 1
        advice      = "EventBridge could not write undeliverable events to SQS queue ${local.dead_letter_queue_name}: they are lost unless archived. Check the queue policy (events.amazonaws.com, aws:SourceArn = the rule) and the queue's encryption."
      }
    } : {},
  )
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each = local.alarm_specs

  alarm_name        = "${var.name}-${each.value.suffix}"
  alarm_description = "EventBridge rule ${var.name}: ${each.value.metric_name} >= ${each.value.threshold} in ${var.alarms.period_seconds}s. ${each.value.advice}${var.runbook == null ? "" : " Runbook: ${var.runbook}#${var.name}-${each.value.suffix}"}"

  namespace           = each.value.namespace
  metric_name         = each.value.metric_name
  dimensions          = each.value.dimensions
  statistic           = each.value.statistic
  period              = var.alarms.period_seconds
  evaluation_periods  = var.alarms.evaluation_periods
  threshold           = each.value.threshold
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"

  alarm_actions = var.alarm_actions
  ok_actions    = var.alarm_actions

  tags = var.tags
}
