locals {
  # CloudWatch alarm names are capped at 255 characters and table names may use all 255: long
  # names keep their start and get a stable hash, so "-write-throttles" always fits.
  alarm_prefix = length(var.table_name) <= 239 ? var.table_name : "${substr(var.table_name, 0, 230)}-${substr(sha1(var.table_name), 0, 8)}"
}

# On-demand tables still throttle: above twice the previous peak within 30 minutes, or on a hot
# partition key. Any throttled request is worth a look.
resource "aws_cloudwatch_metric_alarm" "read_throttles" {
  alarm_name        = "${local.alarm_prefix}-read-throttles"
  alarm_description = "DynamoDB table ${var.table_name} throttled at least one read in 5 minutes. Look for a hot partition key (CloudWatch Contributor Insights) or a traffic spike above twice the previous peak.${var.runbook == null ? "" : " Runbook: ${var.runbook}#${local.alarm_prefix}-read-throttles"}"

  namespace           = "AWS/DynamoDB"
  metric_name         = "ReadThrottleEvents"
  dimensions          = { TableName = aws_dynamodb_table.this.name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"

  alarm_actions = var.alarm_actions
  ok_actions    = var.alarm_actions

  tags = var.tags
}

resource "aws_cloudwatch_metric_alarm" "write_throttles" {
  alarm_name        = "${local.alarm_prefix}-write-throttles"
  alarm_description = "DynamoDB table ${var.table_name} throttled at least one write in 5 minutes. Look for a hot partition key (CloudWatch Contributor Insights) or a traffic spike above twice the previous peak.${var.runbook == null ? "" : " Runbook: ${var.runbook}#${local.alarm_prefix}-write-throttles"}"

  namespace           = "AWS/DynamoDB"
  metric_name         = "WriteThrottleEvents"
  dimensions          = { TableName = aws_dynamodb_table.this.name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"

  alarm_actions = var.alarm_actions
  ok_actions    = var.alarm_actions

  tags = var.tags
}

# SystemErrors exists only per (TableName, Operation): an alarm on TableName alone would watch a
# metric that is never published and stay silent. A Metrics Insights query sums every operation
# of the table into one series.
# https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/metrics-dimensions.html
# https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create_Metrics_Insights_Alarm.html
resource "aws_cloudwatch_metric_alarm" "system_errors" {
  alarm_name        = "${local.alarm_prefix}-system-errors"
  alarm_description = "DynamoDB returned HTTP 500 to at least one request on table ${var.table_name} in 5 minutes. SDKs retry these; check the AWS Health Dashboard if they persist.${var.runbook == null ? "" : " Runbook: ${var.runbook}#${local.alarm_prefix}-system-errors"}"

  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"

  metric_query {
    id          = "errors"
    expression  = "SELECT SUM(SystemErrors) FROM SCHEMA(\"AWS/DynamoDB\", Operation, TableName) WHERE TableName = '${aws_dynamodb_table.this.name}'"
    label       = "SystemErrors of ${var.table_name}"
    period      = 300
    return_data = true
  }

  alarm_actions = var.alarm_actions
  ok_actions    = var.alarm_actions

  tags = var.tags
}
