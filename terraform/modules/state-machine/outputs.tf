output "state_machine_arn" {
  description = "ARN of the state machine (StartExecution target)."
  value       = aws_sfn_state_machine.this.arn
}

output "state_machine_name" {
  description = "Name of the state machine."
  value       = aws_sfn_state_machine.this.name
}

output "role_arn" {
  description = "ARN of the state machine's execution role."
  value       = aws_iam_role.this.arn
}

output "log_group_name" {
  description = "Name of the execution-history log group (/aws/vendedlogs/states/<name>)."
  value       = aws_cloudwatch_log_group.this.name
}

output "alarm_arns" {
  description = "ARNs of the CloudWatch alarms, by kind: failed, timed_out, throttled."
  value       = { for kind, alarm in aws_cloudwatch_metric_alarm.this : kind => alarm.arn }
}

output "policy_json" {
  description = "The execution role's inline policy document (JSON), for review and governance checks."
  value       = jsonencode(local.policy)
}

output "alarm_names" {
  description = "Names of every CloudWatch alarm of the module, known at plan (a composite alarm's rule, e.g. domain-observability's alarm_names)."
  value       = [for a in aws_cloudwatch_metric_alarm.this : a.alarm_name]
}
