# The users GraphQL API (issue 14): what the plan and deploy roles need for
# terraform/modules/graphql-api, and what its roles may do under the workload boundary. Kept in
# one file; iam.tf and apigateway.tf only concatenate these statements into their policies.
#
# AppSync generates the API id, so its ARNs (apis/<id>, apis/<id>/datasources/<name>,
# apis/<id>/types/<type>/resolvers/<field>) and its log group (/aws/appsync/apis/<id>) cannot
# carry the environment's name: they are scoped to this account and Region's AppSync APIs
# (README.md, "Where `*` is unavoidable"). The roles the module creates are <prefix>-<env>-* and
# carry the boundary, like every workload role.

locals {
  appsync_arn = "arn:${local.partition}:appsync:${local.region}:${local.account}"
  # AppSync writes each API's logs to /aws/appsync/apis/<api id>.
  appsync_log_groups = ["${local.arn.logs}:log-group:/aws/appsync/apis/*"]

  # Refresh of aws_appsync_graphql_api, _datasource and _resolver, and of the API's log group.
  appsync_read_statements = {
    for env, s in local.scope : env => [
      {
        Sid      = "ReadGraphqlApis"
        Effect   = "Allow"
        Action   = ["appsync:GetDataSource", "appsync:GetGraphqlApi", "appsync:GetResolver", "appsync:ListTagsForResource"]
        Resource = ["${local.appsync_arn}:apis/*"]
      },
      {
        Sid      = "ReadGraphqlApiLogGroups"
        Effect   = "Allow"
        Action   = local.read_actions.logs
        Resource = concat(local.appsync_log_groups, [for g in local.appsync_log_groups : "${g}:*"])
      },
    ]
  }

  # Deploy of the environment's GraphQL APIs: the API, its schema, data sources and resolvers,
  # its log group, the roles passed to AppSync and, with a Lambda authorizer, the invoke
  # permission the module adds to the authorizer.
  # https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsappsync.html
  appsync_deploy_statements = {
    for env, s in local.scope : env => [
      {
        # CreateGraphqlApi has no resource type (the API does not exist yet): AWS only accepts "*".
        Sid      = "CreateGraphqlApis"
        Effect   = "Allow"
        Action   = ["appsync:CreateGraphqlApi"]
        Resource = "*"
      },
      {
        Sid    = "ManageGraphqlApis"
        Effect = "Allow"
        Action = [
          "appsync:CreateDataSource",
          "appsync:CreateResolver",
          "appsync:DeleteDataSource",
          "appsync:DeleteGraphqlApi",
          "appsync:DeleteResolver",
          "appsync:GetSchemaCreationStatus",
          "appsync:StartSchemaCreation",
          "appsync:TagResource",
          "appsync:UntagResource",
          "appsync:UpdateDataSource",
          "appsync:UpdateGraphqlApi",
          "appsync:UpdateResolver",
        ]
        Resource = ["${local.appsync_arn}:apis/*"]
      },
      {
        Sid      = "ManageGraphqlApiLogGroups"
        Effect   = "Allow"
        Action   = ["logs:AssociateKmsKey", "logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:DeleteRetentionPolicy", "logs:DisassociateKmsKey", "logs:PutRetentionPolicy", "logs:TagResource", "logs:UntagResource"]
        Resource = concat(local.appsync_log_groups, [for g in local.appsync_log_groups : "${g}:*"])
      },
      {
        # The logging role and the data sources' roles: this environment's, to AppSync only.
        Sid       = "PassRolesToAppSync"
        Effect    = "Allow"
        Action    = ["iam:PassRole"]
        Resource  = s.roles
        Condition = { StringEquals = { "iam:PassedToService" = "appsync.amazonaws.com" } }
      },
      {
        # The Lambda authorizer's permission (AWS_LAMBDA): this environment's functions, AppSync only.
        Sid       = "GrantInvokeToAppSyncOnly"
        Effect    = "Allow"
        Action    = ["lambda:AddPermission", "lambda:RemovePermission"]
        Resource  = s.functions
        Condition = { StringEquals = { "lambda:Principal" = "appsync.amazonaws.com" } }
      },
    ]
  }

  # The logging role of a GraphQL API writes its streams and events (data-source roles invoke
  # functions, which InvokeOwnFunctions already admits).
  appsync_boundary_statements = {
    for env, s in local.scope : env => [
      {
        Sid      = "WriteGraphqlApiLogs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = [for g in local.appsync_log_groups : "${g}:*"]
      },
    ]
  }
}
