# A customer managed key: the AWS managed alias/aws/sns key's policy cannot grant CloudWatch,
# so alarms could not publish to a topic encrypted with it.
# https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
resource "aws_kms_key" "this" {
  description             = "Encrypts SNS topic ${var.name} (CloudWatch alarm notifications)."
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_deletion_window_in_days
  policy                  = jsonencode(local.key_policy)

  tags = var.tags
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.name}"
  target_key_id = aws_kms_key.this.key_id
}

locals {
  key_policy = {
    Version = "2012-10-17"
    Statement = [
      # The account administers its key through IAM; without this statement nobody could.
      # Resource "*" is how a key policy names its own key.
      {
        Sid       = "AccountAdministers"
        Effect    = "Allow"
        Principal = { AWS = "arn:${local.partition}:iam::${var.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "CloudWatchAlarmsEncrypt"
        Effect    = "Allow"
        Principal = { Service = "cloudwatch.amazonaws.com" }
        Action    = ["kms:Decrypt", "kms:GenerateDataKey*"]
        Resource  = "*"
        Condition = local.cloudwatch_condition
      },
    ]
  }
}
