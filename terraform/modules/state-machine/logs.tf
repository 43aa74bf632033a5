# The /aws/vendedlogs/ prefix keeps CloudWatch Logs' resource policy for vended log delivery short
# (it may cover the whole prefix instead of one entry per log group).
# https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-and-resource-policy.html
resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/vendedlogs/states/${var.name}"
  retention_in_days = var.log_retention_in_days
  kms_key_id        = var.log_kms_key_arn

  tags = var.tags
}
