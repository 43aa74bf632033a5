output "rule_name" {
  description = "Name of the EventBridge rule."
  value       = aws_cloudwatch_event_rule.this.name
}

output "rule_arn" {
  description = "ARN of the EventBridge rule (rule/<name> on the default bus, rule/<bus>/<name> on a custom bus). Built from account_id, so known at plan time."
  value       = local.rule_arn
}

output "role_arn" {
  description = "ARN of the role EventBridge assumes to start the state machine."
  value       = aws_iam_role.this.arn
}

output "dead_letter_queue_arn" {
  description = "ARN of the SQS queue receiving events that could not start an execution; null when create_dead_letter_queue is false."
  value       = local.dead_letter_queue_arn
}

output "dead_letter_queue_policy_json" {
  description = "The dead-letter queue's resource policy (JSON), for review and governance checks; null without the queue."
  value       = var.create_dead_letter_queue ? jsonencode(local.dead_letter_queue_policy) : null
}

output "policy_json" {
  description = "The role's inline policy document (JSON), for review and governance checks."
  value       = jsonencode(local.policy)
}

output "alarm_arns" {
  description = "ARNs of the CloudWatch alarms, by kind: failed_invocations, and with the queue dead_letter_messages and dead_letter_delivery_failures."
  value       = { for kind, alarm in aws_cloudwatch_metric_alarm.this : kind => alarm.arn }
}

output "alarm_names" {
  description = "Names of every CloudWatch alarm of the module, known at plan (a composite alarm's rule, e.g. domain-observability's alarm_names)."
  value       = [for a in aws_cloudwatch_metric_alarm.this : a.alarm_name]
}
