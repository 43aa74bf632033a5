# Offline-safe: answered from the provider configuration, no API call.
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  # One data source per distinct function, named after it (AppSync names: [_A-Za-z][_0-9A-Za-z]*).
  function_arns = distinct([for r in var.resolvers : r.function_arn])
  data_sources = {
    for i, arn in local.function_arns : arn => {
      index = i + 1
      name  = replace(element(split(":", arn), 6), "/[^_0-9A-Za-z]/", "_")
    }
  }
  resolvers = { for r in var.resolvers : "${r.type_name}.${r.field_name}" => r }

  # The roles' ARNs are built, not read back, so the roles passed to AppSync are known at plan
  # time (the deploy role's iam:PassRole is checked against them); depends_on orders creation.
  role_arn_prefix = "arn:${data.aws_partition.current.partition}:iam::${var.account_id}:role/${var.name}"
  logs_role_arn   = "${local.role_arn_prefix}-logs"
}

resource "aws_appsync_graphql_api" "this" {
  name                = var.name
  schema              = var.schema
  authentication_type = var.authentication_type

  dynamic "user_pool_config" {
    for_each = var.authentication_type == "AMAZON_COGNITO_USER_POOLS" ? [var.user_pool_id] : []
    content {
      user_pool_id = user_pool_config.value
      aws_region   = element(split("_", user_pool_config.value), 0)
      # Every valid token of the pool may call; what a caller may read or change is decided by
      # the user service the resolvers forward the token to.
      default_action = "ALLOW"
    }
  }

  dynamic "lambda_authorizer_config" {
    for_each = var.authentication_type == "AWS_LAMBDA" ? [var.lambda_authorizer_function_arn] : []
    content {
      authorizer_uri                   = lambda_authorizer_config.value
      authorizer_result_ttl_in_seconds = var.lambda_authorizer_ttl_seconds
    }
  }

  # Field-level logs to /aws/appsync/apis/<id> through the logging role (SLW-APPSYNC-001).
  # exclude_verbose_content: verbose logs carry the request headers, and so the caller's token.
  # https://docs.aws.amazon.com/appsync/latest/devguide/monitoring.html#setup-and-configuration
  log_config {
    cloudwatch_logs_role_arn = local.logs_role_arn
    field_log_level          = var.field_log_level
    exclude_verbose_content  = true
  }

  # Requests traced end to end, into the resolver Lambdas' own traces (SLW-APPSYNC-002).
  xray_enabled = true

  tags = var.tags

  depends_on = [aws_iam_role.logs, aws_iam_role_policy.logs]
}

# One Lambda data source per function, each with its own role (modules/lambda-data-source).
module "data_source" {
  source   = "./modules/lambda-data-source"
  for_each = local.data_sources

  api_id                   = aws_appsync_graphql_api.this.id
  name                     = each.value.name
  function_arn             = each.key
  role_name                = "${var.name}-ds-${each.value.index}"
  role_arn                 = "${local.role_arn_prefix}-ds-${each.value.index}"
  assume_role_policy       = local.assume_role_policy
  permissions_boundary_arn = var.permissions_boundary_arn
  tags                     = var.tags
}

# Direct Lambda resolvers: no request or response mapping, so AppSync sends the function its
# full context (arguments, identity, source, request headers, info) and returns what it answers;
# a thrown error becomes the GraphQL error with the function's errorType.
# https://docs.aws.amazon.com/appsync/latest/devguide/resolver-mapping-template-reference-lambda.html#direct-lambda-resolvers
resource "aws_appsync_resolver" "this" {
  for_each = local.resolvers

  api_id      = aws_appsync_graphql_api.this.id
  type        = each.value.type_name
  field       = each.value.field_name
  kind        = "UNIT"
  data_source = module.data_source[each.value.function_arn].name
}
