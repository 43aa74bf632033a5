output "dashboard_name" {
  description = "Name of the domain's CloudWatch dashboard (<name>)."
  value       = aws_cloudwatch_dashboard.this.dashboard_name
}

output "composite_alarm_name" {
  description = "Name of the composite alarm (<name>-health); null when the domain has no alarm."
  value       = length(var.alarm_names) > 0 ? local.composite_alarm_name : null
}

output "query_definition_names" {
  description = "Names of the saved Logs Insights queries by kind: errors-by-correlation-id, slowest-invocations, cold-starts, execution-logs (none without functions)."
  value       = { for k, q in aws_cloudwatch_query_definition.this : k => q.name }
}

output "xray_groups" {
  description = "X-Ray group of each state machine, by state machine name: group_name and filter_expression."
  value       = { for k, g in aws_xray_group.this : k => { group_name = g.group_name, filter_expression = g.filter_expression } }
}
