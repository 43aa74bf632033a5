output "schedule_arn" {
  description = "ARN of the schedule."
  value       = aws_scheduler_schedule.this.arn
}

output "role_arn" {
  description = "ARN of the role the schedule assumes to reach its target and write dead letters."
  value       = aws_iam_role.this.arn
}

output "policy_json" {
  description = "The role's policy: states:StartExecution on the one state machine or lambda:InvokeFunction on the one function, sqs:SendMessage on the dead-letter queue, and kms:Decrypt (plus kms:GenerateDataKey for the created queue) when a key is set."
  value       = jsonencode(local.policy)
}

output "dead_letter_queue_arn" {
  description = "ARN of the SQS queue receiving the invocations Scheduler could not deliver: the created <name>-dlq, or dead_letter_queue_arn. Known at plan time."
  value       = local.dead_letter_arn
}

output "alarm_arns" {
  description = "ARNs of the CloudWatch alarms, by kind: dlq_depth for the created queue; empty when dead_letter_queue_arn was given."
  value       = { for a in aws_cloudwatch_metric_alarm.dlq_depth : "dlq_depth" => a.arn }
}

output "alarm_names" {
  description = "Names of every CloudWatch alarm of the module, known at plan (a composite alarm's rule, e.g. domain-observability's alarm_names)."
  value       = aws_cloudwatch_metric_alarm.dlq_depth[*].alarm_name
}
