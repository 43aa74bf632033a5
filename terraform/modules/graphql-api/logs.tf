# AppSync logs to /aws/appsync/apis/<api-id> and would create the group itself, without
# retention, on the first request. Created here so retention and encryption hold from the start.
resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/appsync/apis/${aws_appsync_graphql_api.this.id}"
  retention_in_days = var.log_retention_in_days
  kms_key_id        = var.log_kms_key_arn
  # Set, not left to the default: the bootstrap's provider-actions map tells this group (named
  # after the generated API id) from a REST API's execution log group by it.
  log_group_class = "STANDARD"
  tags            = var.tags
}
