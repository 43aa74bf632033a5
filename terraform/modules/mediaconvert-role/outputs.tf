output "role_arn" {
  description = "ARN of the role: the Role of a MediaConvert CreateJob request, and one of the state-machine module's mediaconvert_role_arns."
  value       = aws_iam_role.this.arn
}

output "role_name" {
  description = "Name of the role."
  value       = aws_iam_role.this.name
}

output "policy_json" {
  description = "The role's inline policy document (JSON), for review and governance checks."
  value       = jsonencode(local.policy)
}
