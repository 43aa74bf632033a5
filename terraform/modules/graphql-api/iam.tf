locals {
  api_arn = aws_appsync_graphql_api.this.arn

  # Confused-deputy protection: AppSync may assume the roles only for this account's APIs.
  # (The API's ARN is not known before it exists, and the API needs the logging role to be
  # created, so the trust is scoped to the account; each role's permissions are scoped to
  # concrete ARNs.) https://docs.aws.amazon.com/appsync/latest/devguide/cross-service-confused-deputy-prevention.html
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AppSyncAssumeRole"
      Effect    = "Allow"
      Principal = { Service = "appsync.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = var.account_id } }
    }]
  })

  log_group_arn_prefix = "arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.name}:${var.account_id}:log-group:/aws/appsync/apis"
}

# AppSync writes the API's logs with this role.
resource "aws_iam_role" "logs" {
  name                 = "${var.name}-logs"
  description          = "AppSync API ${var.name} writes its field-level logs (managed by Terraform)."
  assume_role_policy   = local.assume_role_policy
  permissions_boundary = var.permissions_boundary_arn
  tags                 = var.tags
}

resource "aws_iam_role_policy" "logs" {
  name = "write-logs"
  role = aws_iam_role.logs.id
  # The log group is created by this module (logs.tf) with retention; AppSync only adds streams
  # and events. Scoped to AppSync's API log groups of this account: the API id is not known
  # before the API exists, and the API cannot be created without this role.
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "WriteApiLogs"
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource = ["${local.log_group_arn_prefix}/*:*"]
    }]
  })
}

# The Lambda authorizer is invoked through its resource-based policy, by this API only.
# https://docs.aws.amazon.com/appsync/latest/devguide/security-authz.html#aws-lambda-authorization
resource "aws_lambda_permission" "authorizer" {
  count = var.authentication_type == "AWS_LAMBDA" ? 1 : 0

  statement_id = "appsync-${var.name}"
  action       = "lambda:InvokeFunction"
  # The name, not the ARN: the permission is added to (and read back from) that function.
  function_name = element(split(":", var.lambda_authorizer_function_arn), 6)
  principal     = "appsync.amazonaws.com"
  source_arn    = local.api_arn
}
