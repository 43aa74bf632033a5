output "table_name" {
  description = "Name of the table (TableName of the SDK calls; give it to the Lambda through an environment variable)."
  value       = aws_dynamodb_table.this.name
}

output "table_arn" {
  description = "ARN of the table (dynamodb:* resource; append \"/index/*\" for its GSIs)."
  value       = aws_dynamodb_table.this.arn
}

output "alarm_arns" {
  description = "ARNs of the CloudWatch alarms, by kind: read_throttles, write_throttles and system_errors."
  value = {
    read_throttles  = aws_cloudwatch_metric_alarm.read_throttles.arn
    write_throttles = aws_cloudwatch_metric_alarm.write_throttles.arn
    system_errors   = aws_cloudwatch_metric_alarm.system_errors.arn
  }
}

output "alarm_names" {
  description = "Names of every CloudWatch alarm of the module, known at plan (a composite alarm's rule, e.g. domain-observability's alarm_names)."
  value       = [aws_cloudwatch_metric_alarm.read_throttles.alarm_name, aws_cloudwatch_metric_alarm.write_throttles.alarm_name, aws_cloudwatch_metric_alarm.system_errors.alarm_name]
}
