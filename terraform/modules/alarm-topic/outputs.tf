output "topic_arn" {
  description = "ARN of the alarm topic, built from known values (the alarm_actions and ok_actions of every alarm)."
  value       = local.topic_arn
}

output "topic_name" {
  description = "Name of the alarm topic."
  value       = aws_sns_topic.this.name
}

output "kms_key_arn" {
  description = "ARN of the customer managed key that encrypts the topic."
  value       = aws_kms_key.this.arn
}

output "kms_alias_name" {
  description = "Alias of the topic's key (alias/<name>), the topic's kms_master_key_id."
  value       = aws_kms_alias.this.name
}

output "subscription_arns" {
  description = "ARN of each subscription by \"<protocol>:<endpoint>\" (\"pending confirmation\" until an email or https endpoint confirms)."
  value       = { for k, s in aws_sns_topic_subscription.this : k => s.arn }
}
