output "rule_name" {
  description = "Name of the EventBridge rule."
  value       = aws_cloudwatch_event_rule.this.name
}

output "rule_arn" {
  description = "ARN of the EventBridge rule (rule/<name> on the default bus, rule/<bus>/<name> on a custom bus): the Lambda permission's source_arn. Known at plan time when account_id is set."
  value       = local.rule_arn
}

output "dead_letter_queue_arn" {
  description = "ARN of the SQS queue receiving the events EventBridge could not deliver: the created <name>-dlq, or dead_letter_queue_arn."
  value       = local.dead_letter_arn
}

output "dead_letter_queue_policy_json" {
  description = "The created queue's resource policy (JSON), for review and governance checks; null when dead_letter_queue_arn was given."
  value       = local.create_queue ? jsonencode(local.dead_letter_queue_policy) : null
}

output "alarm_arns" {
  description = "ARNs of the CloudWatch alarms, by kind: failed_invocations, dlq_delivery_failures and, for the created queue, dlq_depth."
  value       = { for kind, alarm in aws_cloudwatch_metric_alarm.this : kind => alarm.arn }
}

output "alarm_names" {
  description = "Names of every CloudWatch alarm of the module, known at plan (a composite alarm's rule, e.g. domain-observability's alarm_names)."
  value       = [for a in aws_cloudwatch_metric_alarm.this : a.alarm_name]
}
