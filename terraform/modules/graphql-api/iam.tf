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

# One role per data source, allowed to invoke that function only (and its versions and aliases).
resource "aws_iam_role" "data_source" {
  for_each = local.data_sources

  name                 = "${var.name}-ds-${each.value.index}"
  description          = "AppSync API ${var.name} invokes Lambda ${element(split(":", each.key), 6)} (managed by Terraform)."
  assume_role_policy   = local.assume_role_policy
  permissions_boundary = var.permissions_boundary_arn
  tags                 = var.tags
}

resource "aws_iam_role_policy" "data_source" {
  for_each = local.data_sources

  name = "invoke-function"
  role = aws_iam_role.data_source[each.key].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "InvokeResolverFunction"
      Effect   = "Allow"
      Action   = ["lambda:InvokeFunction"]
      Resource = [each.key, "${each.key}:*"]
    }]
  })
}

# The Lambda authorizer is invoked through its resource-based policy, by this API only.
# https://docs.aws.amazon.com/appsync/latest/devguide/security-authz.html#aws-lambda-authorization
resource "aws_lambda_permission" "authorizer" {
  count = var.authentication_type == "AWS_LAMBDA" ? 1 : 0

  statement_id  = "appsync-${var.name}"
  action        = "lambda:InvokeFunction"
  function_name = var.lambda_authorizer_function_arn
  principal     = "appsync.amazonaws.com"
  source_arn    = local.api_arn
}
