output "schedule_arn" {
  description = "ARN of the schedule."
  value       = aws_scheduler_schedule.this.arn
}

output "role_arn" {
  description = "ARN of the role the schedule assumes to start the state machine."
  value       = aws_iam_role.this.arn
}

output "policy_json" {
  description = "The role's policy (states:StartExecution on the one state machine, kms:Decrypt when a key is set)."
  value       = jsonencode(local.policy)
}
