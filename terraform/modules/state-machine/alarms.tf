locals {
  # metric name => (alarm suffix, threshold, what on-call should do)
  alarm_specs = {
    failed = {
      metric_name = "ExecutionsFailed"
      suffix      = "executions-failed"
      threshold   = var.alarms.failed_threshold
      advice      = "Open the failed executions in the Step Functions console (or log group /aws/vendedlogs/states/${var.name}) and follow the X-Ray trace to the failing state."
    }
    timed_out = {
      metric_name = "ExecutionsTimedOut"
      suffix      = "executions-timed-out"
      threshold   = var.alarms.timed_out_threshold
      advice      = "An execution exceeded TimeoutSeconds; check for a stuck Task or a slow dependency in X-Ray."
    }
    throttled = {
      metric_name = "ExecutionThrottled"
      suffix      = "execution-throttled"
      threshold   = var.alarms.throttled_threshold
      advice      = "StartExecution or state transitions were throttled; check the Step Functions quotas for the account and region."
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each = local.alarm_specs

  alarm_name        = "${var.name}-${each.value.suffix}"
  alarm_description = "State machine ${var.name}: ${each.value.metric_name} >= ${each.value.threshold} in ${var.alarms.period_seconds}s. ${each.value.advice}${var.runbook == null ? "" : " Runbook: ${var.runbook}#${var.name}-${each.value.suffix}"}"

  namespace           = "AWS/States"
  metric_name         = each.value.metric_name
  dimensions          = { StateMachineArn = aws_sfn_state_machine.this.arn }
  statistic           = "Sum"
  period              = var.alarms.period_seconds
  evaluation_periods  = var.alarms.evaluation_periods
  threshold           = each.value.threshold
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"

  alarm_actions = var.alarm_actions
  ok_actions    = var.alarm_actions

  tags = var.tags
}
