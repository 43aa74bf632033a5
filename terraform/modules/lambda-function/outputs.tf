output "function_name" {
  description = "Name of the Lambda function."
  value       = aws_lambda_function.this.function_name
}

output "function_arn" {
  description = "Unqualified ARN of the Lambda function (use it in IAM policies and event source mappings)."
  value       = aws_lambda_function.this.arn
}

output "invoke_arn" {
  description = "ARN used by API Gateway to invoke the function."
  value       = aws_lambda_function.this.invoke_arn
}

output "role_arn" {
  description = "ARN of the function's execution role."
  value       = aws_iam_role.this.arn
}

output "role_name" {
  description = "Name of the function's execution role (attach further inline policies only through policy_statements)."
  value       = aws_iam_role.this.name
}

output "log_group_name" {
  description = "Name of the function's CloudWatch log group (/aws/lambda/<function_name>)."
  value       = aws_cloudwatch_log_group.this.name
}

output "log_group_arn" {
  description = "ARN of the function's CloudWatch log group (without the trailing \":*\")."
  value       = aws_cloudwatch_log_group.this.arn
}

output "dead_letter_target_arn" {
  description = "ARN of the SQS queue or SNS topic receiving failed asynchronous invocations; null when there is none."
  value       = local.has_dead_letter_target ? local.dead_letter_target_arn : null
}

output "alarm_arns" {
  description = "ARNs of the CloudWatch alarms, by kind: errors, throttles, duration_p99 and (when the module created the queue) dead_letter_messages."
  value = merge(
    {
      errors       = aws_cloudwatch_metric_alarm.errors.arn
      throttles    = aws_cloudwatch_metric_alarm.throttles.arn
      duration_p99 = aws_cloudwatch_metric_alarm.duration_p99.arn
    },
    { for a in aws_cloudwatch_metric_alarm.dead_letter_messages : "dead_letter_messages" => a.arn },
  )
}

output "policy_json" {
  description = "The execution role's inline policy document (JSON), for review and governance checks."
  value       = jsonencode(local.policy)
}

output "on_failure_destination_arn" {
  description = "ARN of the on-failure destination of asynchronous invocations (the dead-letter target) when async_invocation is set; null otherwise."
  value       = var.async_invocation == null ? null : local.policy_dead_letter_arn
}

output "alarm_names" {
  description = "Names of every CloudWatch alarm of the module, known at plan (a composite alarm's rule, e.g. domain-observability's alarm_names)."
  value       = concat([aws_cloudwatch_metric_alarm.errors.alarm_name, aws_cloudwatch_metric_alarm.throttles.alarm_name, aws_cloudwatch_metric_alarm.duration_p99.alarm_name], aws_cloudwatch_metric_alarm.dead_letter_messages[*].alarm_name, [for a in aws_cloudwatch_metric_alarm.ratio : a.alarm_name])
}
