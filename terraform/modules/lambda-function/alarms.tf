locals {
  alarm_dimensions = { FunctionName = aws_lambda_function.this.function_name }
  # Default p99 threshold: 80% of the timeout, i.e. "we are close to timing out".
  duration_p99_threshold_ms = coalesce(var.alarms.duration_p99_threshold_ms, var.timeout * 1000 * 0.8)
}

resource "aws_cloudwatch_metric_alarm" "errors" {
  alarm_name        = "${var.function_name}-errors"
  alarm_description = "Lambda ${var.function_name} reported at least ${var.alarms.errors_threshold} error(s) in ${var.alarms.period_seconds}s. Look at log group /aws/lambda/${var.function_name} (level ERROR) and the X-Ray traces of the failed invocations.${var.runbook == null ? "" : " Runbook: ${var.runbook}#${var.function_name}-errors"}"

  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = local.alarm_dimensions
  statistic           = "Sum"
  period              = var.alarms.period_seconds
  evaluation_periods  = var.alarms.evaluation_periods
  threshold           = var.alarms.errors_threshold
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"

  alarm_actions = var.alarm_actions
  ok_actions    = var.alarm_actions

  tags = var.tags
}

resource "aws_cloudwatch_metric_alarm" "throttles" {
  alarm_name        = "${var.function_name}-throttles"
  alarm_description = "Lambda ${var.function_name} was throttled at least ${var.alarms.throttles_threshold} time(s) in ${var.alarms.period_seconds}s. Check reserved concurrency and the account's concurrency limit.${var.runbook == null ? "" : " Runbook: ${var.runbook}#${var.function_name}-throttles"}"

  namespace           = "AWS/Lambda"
  metric_name         = "Throttles"
  dimensions          = local.alarm_dimensions
  statistic           = "Sum"
  period              = var.alarms.period_seconds
  evaluation_periods  = var.alarms.evaluation_periods
  threshold           = var.alarms.throttles_threshold
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"

  alarm_actions = var.alarm_actions
  ok_actions    = var.alarm_actions

  tags = var.tags
}

resource "aws_cloudwatch_metric_alarm" "duration_p99" {
  alarm_name        = "${var.function_name}-duration-p99"
  alarm_description = "p99 duration of Lambda ${var.function_name} exceeded ${local.duration_p99_threshold_ms} ms (timeout ${var.timeout}s). Check slow dependencies in X-Ray, or raise memory/timeout.${var.runbook == null ? "" : " Runbook: ${var.runbook}#${var.function_name}-duration-p99"}"

  namespace           = "AWS/Lambda"
  metric_name         = "Duration"
  dimensions          = local.alarm_dimensions
  extended_statistic  = "p99"
  period              = var.alarms.period_seconds
  evaluation_periods  = var.alarms.evaluation_periods
  threshold           = local.duration_p99_threshold_ms
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"

  alarm_actions = var.alarm_actions
  ok_actions    = var.alarm_actions

  tags = var.tags
}

# Only for the queue this module owns: a message here is an event that failed every retry.
resource "aws_cloudwatch_metric_alarm" "dead_letter_messages" {
  count = var.create_dead_letter_queue ? 1 : 0

  alarm_name        = "${var.function_name}-dlq-messages"
  alarm_description = "Failed asynchronous invocations of Lambda ${var.function_name} are waiting in SQS queue ${aws_sqs_queue.dead_letter[0].name}. Inspect them, fix the cause, then redrive.${var.runbook == null ? "" : " Runbook: ${var.runbook}#${var.function_name}-dlq-messages"}"

  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = aws_sqs_queue.dead_letter[0].name }
  statistic           = "Maximum"
  period              = var.alarms.period_seconds
  evaluation_periods  = var.alarms.evaluation_periods
  threshold           = var.alarms.dead_letter_messages_threshold
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"

  alarm_actions = var.alarm_actions
  ok_actions    = var.alarm_actions

  tags = var.tags
}

# Ratios of the function's own Powertools metrics (EMF), e.g. rejected rows / input rows: a data
# quality alarm that fires on what the code counts, not on errors it raises.
resource "aws_cloudwatch_metric_alarm" "ratio" {
  for_each = { for a in var.metric_ratio_alarms : a.name => a }

  alarm_name        = "${var.function_name}-${each.key}-ratio"
  alarm_description = "${each.value.numerator} / ${each.value.denominator} of ${coalesce(var.service_name, var.function_name)} was above ${each.value.threshold} over ${each.value.period_seconds}s. Look at the function's logs and the quarantined data it reports.${var.runbook == null ? "" : " Runbook: ${var.runbook}#${var.function_name}-${each.key}-ratio"}"

  evaluation_periods  = 1
  threshold           = each.value.threshold
  comparison_operator = "GreaterThanThreshold"
  # No input in the period means nothing was rejected either.
  treat_missing_data = "notBreaching"

  metric_query {
    id          = "ratio"
    expression  = "IF(input > 0, part / input, 0)"
    label       = "${each.value.numerator} / ${each.value.denominator}"
    return_data = true
  }
  metric_query {
    id = "part"
    metric {
      namespace   = var.metrics_namespace
      metric_name = each.value.numerator
      dimensions  = { service = coalesce(var.service_name, var.function_name) }
      period      = each.value.period_seconds
      stat        = "Sum"
    }
  }
  metric_query {
    id = "input"
    metric {
      namespace   = var.metrics_namespace
      metric_name = each.value.denominator
      dimensions  = { service = coalesce(var.service_name, var.function_name) }
      period      = each.value.period_seconds
      stat        = "Sum"
    }
  }

  alarm_actions = var.alarm_actions
  ok_actions    = var.alarm_actions

  tags = var.tags

  lifecycle {
    precondition {
      condition     = var.metrics_namespace != null
      error_message = "metric_ratio_alarms needs metrics_namespace (the Powertools namespace, e.g. \"Slipway/etl\")."
    }
  }
}
