# The HTTP edge (issue 13): what the deploy role needs for terraform/modules/rest-api, and the
# account's API Gateway CloudWatch role, which that module deliberately does not own.

locals {
  # Deploy, part 3: the environment's REST API (<prefix>-<env>-api), its deployments, stage,
  # method settings and authorizer (imported from the body), log groups, the invoke permissions
  # it adds to this environment's functions, and the optional custom domain and WAF association.
  deploy_api_policy = {
    for env, s in local.scope : env => {
      Version = "2012-10-17"
      Statement = concat([
        {
          # The name in the request: only <prefix>-<env>-* APIs can be created or renamed to.
          # https://docs.aws.amazon.com/apigateway/latest/developerguide/security_iam_service-with-iam.html
          Sid       = "CreateOwnRestApis"
          Effect    = "Allow"
          Action    = ["apigateway:POST"]
          Resource  = ["${local.arn.apigw}/restapis"]
          Condition = { StringLike = { "apigateway:Request/ApiName" = s.api_names } }
        },
        {
          # The existing API's name: another environment's API (or any other) cannot be changed,
          # re-imported (PUT, the body) or deleted.
          Sid       = "ManageOwnRestApis"
          Effect    = "Allow"
          Action    = ["apigateway:DELETE", "apigateway:PATCH", "apigateway:PUT"]
          Resource  = ["${local.arn.apigw}/restapis/*"]
          Condition = { StringLike = { "apigateway:Resource/ApiName" = s.api_names } }
        },
        {
          # Deployments, stages (method settings are a PATCH of the stage) and tags: their ids are
          # generated and API Gateway evaluates the ApiName keys on the RestApi resource only, so
          # these are scoped to the region's REST APIs (README.md, "Where * is unavoidable").
          Sid    = "ManageApiDeploymentsAndStages"
          Effect = "Allow"
          Action = ["apigateway:DELETE", "apigateway:PATCH", "apigateway:POST", "apigateway:PUT"]
          Resource = [
            "${local.arn.apigw}/restapis/*/deployments",
            "${local.arn.apigw}/restapis/*/deployments/*",
            "${local.arn.apigw}/restapis/*/stages",
            "${local.arn.apigw}/restapis/*/stages/*",
            "${local.arn.apigw}/tags/*",
          ]
        },
        {
          # Optional custom domain (TLS 1.2) and its base path mapping. Domain names are the
          # user's, not <prefix>-<env>-*: scoped to the region's domain names.
          Sid      = "ManageApiDomainNames"
          Effect   = "Allow"
          Action   = ["apigateway:DELETE", "apigateway:PATCH", "apigateway:POST", "apigateway:PUT"]
          Resource = ["${local.arn.apigw}/domainnames", "${local.arn.apigw}/domainnames/*"]
        },
        {
          # Optional WAF: associating a web ACL acts on both the ACL and the stage.
          Sid    = "AssociateWebAcls"
          Effect = "Allow"
          Action = ["apigateway:SetWebACL", "wafv2:AssociateWebACL", "wafv2:DisassociateWebACL", "wafv2:GetWebACLForResource"]
          Resource = [
            "${local.arn.waf}:regional/webacl/*/*",
            "${local.arn.apigw}/restapis/*/stages/*",
          ]
        },
        {
          Sid    = "ManageApiLogGroups"
          Effect = "Allow"
          Action = [
            "logs:AssociateKmsKey",
            "logs:CreateLogGroup",
            "logs:DeleteLogGroup",
            "logs:DeleteRetentionPolicy",
            "logs:DisassociateKmsKey",
            "logs:PutRetentionPolicy",
            "logs:TagResource",
            "logs:UntagResource",
          ]
          Resource = concat(s.api_log_groups, [for g in s.api_log_groups : "${g}:*"])
        },
        {
          # The module's invoke permissions (a route's method ARN, the authorizer's ARN): only on
          # this environment's functions and only for API Gateway, so no deploy can open a
          # function to another principal or account.
          # https://docs.aws.amazon.com/lambda/latest/dg/lambda-api-permissions-ref.html
          Sid       = "GrantInvokeToApiGatewayOnly"
          Effect    = "Allow"
          Action    = ["lambda:AddPermission", "lambda:RemovePermission"]
          Resource  = s.functions
          Condition = { StringEquals = { "lambda:Principal" = "apigateway.amazonaws.com" } }
        },
      ], local.appsync_deploy_statements[env])
    }
  }
}

resource "aws_iam_policy" "deploy_api" {
  for_each = local.environments

  name        = "${var.name_prefix}-${each.key}-deploy-api"
  path        = local.iam_path
  description = "Deploy of the ${each.key} REST API: API, deployments, stage, domain, WAF association, its log groups and its invoke permissions."
  policy      = jsonencode(local.deploy_api_policy[each.key])
}

# API Gateway writes every API's execution and access logs with one role per account and region
# (an account singleton: two stacks setting it would overwrite each other), so the bootstrap owns
# it. Without it a stage deploys but writes no logs.
# https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
resource "aws_iam_role" "apigateway_cloudwatch" {
  name        = "${var.name_prefix}-apigateway-cloudwatch"
  path        = local.iam_path
  description = "API Gateway pushes this account's REST API logs to CloudWatch Logs."

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "ApiGatewayOfThisAccount"
      Effect    = "Allow"
      Principal = { Service = "apigateway.amazonaws.com" }
      Action    = "sts:AssumeRole"
      # Confused deputy: only API Gateway acting for this account.
      Condition = { StringEquals = { "aws:SourceAccount" = local.account } }
    }]
  })
}

resource "aws_iam_role_policy_attachment" "apigateway_cloudwatch" {
  role       = aws_iam_role.apigateway_cloudwatch.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"
}

resource "aws_api_gateway_account" "this" {
  cloudwatch_role_arn = aws_iam_role.apigateway_cloudwatch.arn

  depends_on = [aws_iam_role_policy_attachment.apigateway_cloudwatch]
}
