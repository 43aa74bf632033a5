locals {
  # AppSync publishes per-API metrics with the GraphQLAPIId dimension.
  # https://docs.aws.amazon.com/appsync/latest/devguide/monitoring.html#cw-metrics
  alarm_specs = {
    errors_5xx = {
      metric_name = "5XXError"
      statistic   = "Sum"
      threshold   = var.alarms.errors_5xx
      description = "AppSync API ${var.name}: more than ${var.alarms.errors_5xx} requests failed with a server error (5XX) in 5 minutes. Look at the API's log group for the failing fields and at the resolver Lambdas' errors."
    }
    latency_p99 = {
      metric_name = "Latency"
      statistic   = null
      threshold   = var.alarms.latency_p99_ms
      description = "AppSync API ${var.name}: p99 latency above ${var.alarms.latency_p99_ms} ms over 5 minutes. Check the resolver Lambdas' duration and the services they call (X-Ray service map)."
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each = local.alarm_specs

  alarm_name          = "${var.name}-${replace(each.key, "_", "-")}"
  alarm_description   = "${each.value.description}${var.runbook == null ? "" : " Runbook: ${var.runbook}#${var.name}-${replace(each.key, "_", "-")}"}"
  namespace           = "AWS/AppSync"
  metric_name         = each.value.metric_name
  dimensions          = { GraphQLAPIId = aws_appsync_graphql_api.this.id }
  statistic           = each.value.statistic
  extended_statistic  = each.value.statistic == null ? "p99" : null
  period              = 300
  evaluation_periods  = 1
  threshold           = each.value.threshold
  comparison_operator = "GreaterThanThreshold"
  # No requests, no data: nothing is failing.
  treat_missing_data = "notBreaching"

  alarm_actions = var.alarm_actions
  ok_actions    = var.alarm_actions

  tags = var.tags
}
