output "rest_api_id" {
  description = "Id of the REST API."
  value       = aws_api_gateway_rest_api.this.id
}

output "execution_arn" {
  description = "Execution ARN of the REST API (arn:aws:execute-api:<region>:<account>:<id>), the prefix of every invoke source ARN."
  value       = aws_api_gateway_rest_api.this.execution_arn
}

output "stage_name" {
  description = "Name of the deployed stage."
  value       = aws_api_gateway_stage.this.stage_name
}

output "stage_arn" {
  description = "ARN of the stage (WAF associations, governance)."
  value       = aws_api_gateway_stage.this.arn
}

output "invoke_url" {
  description = "Base URL of the stage (https://<id>.execute-api.<region>.amazonaws.com/<stage>)."
  value       = aws_api_gateway_stage.this.invoke_url
}

output "log_group_name" {
  description = "Name of the access log group (/aws/apigateway/<name>/<stage>/access)."
  value       = aws_cloudwatch_log_group.access.name
}

output "execution_log_group_name" {
  description = "Name of the execution log group API Gateway writes to (API-Gateway-Execution-Logs_<id>/<stage>)."
  value       = aws_cloudwatch_log_group.execution.name
}

output "route_source_arns" {
  description = "Source ARN each route's invoke permission is scoped to, by \"<METHOD> <path>\"."
  value       = local.route_source_arns
}

output "domain_name" {
  description = "Custom domain name, or null without custom_domain."
  value       = try(aws_api_gateway_domain_name.this[0].domain_name, null)
}

output "regional_domain_name" {
  description = "Target of the custom domain's DNS alias (Route 53 alias or CNAME), or null without custom_domain."
  value       = try(aws_api_gateway_domain_name.this[0].regional_domain_name, null)
}

output "regional_zone_id" {
  description = "Hosted zone id for a Route 53 alias record to the custom domain, or null without custom_domain."
  value       = try(aws_api_gateway_domain_name.this[0].regional_zone_id, null)
}
