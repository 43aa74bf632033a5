output "api_id" {
  description = "Id of the AppSync GraphQL API."
  value       = aws_appsync_graphql_api.this.id
}

output "api_arn" {
  description = "ARN of the AppSync GraphQL API."
  value       = aws_appsync_graphql_api.this.arn
}

output "graphql_url" {
  description = "The API's GraphQL endpoint (https://<id>.appsync-api.<region>.amazonaws.com/graphql)."
  value       = aws_appsync_graphql_api.this.uris["GRAPHQL"]
}

output "log_group_name" {
  description = "The API's log group, /aws/appsync/apis/<api-id>."
  value       = aws_cloudwatch_log_group.this.name
}

output "data_source_role_arns" {
  description = "Role of each Lambda data source, by function ARN: each may invoke that function only."
  value       = { for arn, ds in module.data_source : arn => ds.role_arn }
}

output "resolver_fields" {
  description = "The fields resolved by a Lambda, as \"<type>.<field>\", sorted."
  value       = sort(keys(aws_appsync_resolver.this))
}

output "alarm_arns" {
  description = "ARNs of the CloudWatch alarms, by kind: errors_5xx and latency_p99."
  value       = { for kind, alarm in aws_cloudwatch_metric_alarm.this : kind => alarm.arn }
}

output "alarm_names" {
  description = "Names of every CloudWatch alarm of the module, known at plan (a composite alarm's rule, e.g. domain-observability's alarm_names)."
  value       = [for a in aws_cloudwatch_metric_alarm.this : a.alarm_name]
}
