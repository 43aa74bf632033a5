# Secure defaults, asserted on a mock apply (no AWS calls, no credentials): field-level logging
# through a role that may write AppSync's log groups only, X-Ray on, verbose content (headers,
# hence tokens) never logged, retention on the log group, and each data source's role allowed to
# invoke its one function. The fixture is the users API of examples/basic.
mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = {
      partition = "aws"
    }
  }
  mock_data "aws_region" {
    defaults = {
      name = "eu-west-1"
    }
  }
  mock_resource "aws_appsync_graphql_api" {
    defaults = {
      id   = "abcdefghijklmnopqrstuvwxyz"
      arn  = "arn:aws:appsync:eu-west-1:123456789012:apis/abcdefghijklmnopqrstuvwxyz"
      uris = { GRAPHQL = "https://abcdefghijklmnopqrstuvwxyz.appsync-api.eu-west-1.amazonaws.com/graphql" }
    }
  }
}

# What IAM returns for the data source's role: the ARN the module built (its postcondition).
override_resource {
  target = module.data_source["arn:aws:lambda:eu-west-1:123456789012:function:slipway-test-users-graphql"].aws_iam_role.this
  values = {
    arn = "arn:aws:iam::123456789012:role/slipway-test-users-ds-1"
  }
}

variables {
  name                = "slipway-test-users"
  schema              = file("../../../libs/users/graphql/schema.graphql")
  authentication_type = "AMAZON_COGNITO_USER_POOLS"
  user_pool_id        = "eu-west-1_ExAmPlE12"
  resolvers = [
    { type_name = "Query", field_name = "user", function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:slipway-test-users-graphql" },
    { type_name = "Mutation", field_name = "updateProfile", function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:slipway-test-users-graphql" },
  ]
  account_id               = "123456789012"
  permissions_boundary_arn = "arn:aws:iam::123456789012:policy/slipway/bootstrap/slipway-test-workload-boundary"
  tags                     = { domain = "users" }
  alarm_actions            = ["arn:aws:sns:eu-west-1:123456789012:slipway-test-alarms"]
}

run "secure_defaults" {
  command = apply

  assert {
    condition = (
      aws_appsync_graphql_api.this.name == "slipway-test-users" &&
      aws_appsync_graphql_api.this.authentication_type == "AMAZON_COGNITO_USER_POOLS" &&
      aws_appsync_graphql_api.this.user_pool_config[0].user_pool_id == "eu-west-1_ExAmPlE12" &&
      aws_appsync_graphql_api.this.user_pool_config[0].aws_region == "eu-west-1" &&
      length(aws_appsync_graphql_api.this.lambda_authorizer_config) == 0 &&
      strcontains(aws_appsync_graphql_api.this.schema, "updateProfile(input: UpdateProfileInput!): User")
    )
    error_message = "The API serves the given SDL to tokens of the given Cognito user pool."
  }

  assert {
    condition = (
      aws_appsync_graphql_api.this.log_config[0].field_log_level == "ERROR" &&
      aws_appsync_graphql_api.this.log_config[0].exclude_verbose_content == true &&
      aws_appsync_graphql_api.this.log_config[0].cloudwatch_logs_role_arn == "arn:aws:iam::123456789012:role/slipway-test-users-logs"
    )
    error_message = "Field-level logging is on (ERROR by default), through the logging role, without verbose content (headers carry tokens)."
  }

  assert {
    condition     = aws_appsync_graphql_api.this.xray_enabled == true
    error_message = "X-Ray tracing must be on."
  }

  assert {
    condition = (
      aws_cloudwatch_log_group.this.name == "/aws/appsync/apis/abcdefghijklmnopqrstuvwxyz" &&
      aws_cloudwatch_log_group.this.retention_in_days == 30 &&
      aws_cloudwatch_log_group.this.log_group_class == "STANDARD"
    )
    error_message = "The API's log group is created with retention."
  }

  assert {
    condition = jsondecode(aws_iam_role_policy.logs.policy) == {
      Version = "2012-10-17"
      Statement = [{
        Sid      = "WriteApiLogs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = ["arn:aws:logs:eu-west-1:123456789012:log-group:/aws/appsync/apis/*:*"]
      }]
    }
    error_message = "The logging role writes streams and events of AppSync API log groups of this account only."
  }

  assert {
    condition = (
      jsondecode(aws_iam_role.logs.assume_role_policy).Statement[0].Principal.Service == "appsync.amazonaws.com" &&
      jsondecode(aws_iam_role.logs.assume_role_policy).Statement[0].Condition.StringEquals["aws:SourceAccount"] == "123456789012" &&
      aws_iam_role.logs.permissions_boundary == "arn:aws:iam::123456789012:policy/slipway/bootstrap/slipway-test-workload-boundary"
    )
    error_message = "Only AppSync acting for this account assumes the logging role, which carries the boundary."
  }

  assert {
    condition = (
      length(module.data_source) == 1 &&
      module.data_source["arn:aws:lambda:eu-west-1:123456789012:function:slipway-test-users-graphql"].name == "slipway_test_users_graphql" &&
      module.data_source["arn:aws:lambda:eu-west-1:123456789012:function:slipway-test-users-graphql"].data_source == {
        type             = "AWS_LAMBDA"
        function_arn     = "arn:aws:lambda:eu-west-1:123456789012:function:slipway-test-users-graphql"
        service_role_arn = "arn:aws:iam::123456789012:role/slipway-test-users-ds-1"
      }
    )
    error_message = "One Lambda data source per distinct function."
  }

  assert {
    condition = jsondecode(module.data_source["arn:aws:lambda:eu-west-1:123456789012:function:slipway-test-users-graphql"].policy) == {
      Version = "2012-10-17"
      Statement = [{
        Sid    = "InvokeResolverFunction"
        Effect = "Allow"
        Action = ["lambda:InvokeFunction"]
        Resource = [
          "arn:aws:lambda:eu-west-1:123456789012:function:slipway-test-users-graphql",
          "arn:aws:lambda:eu-west-1:123456789012:function:slipway-test-users-graphql:*",
        ]
      }]
    }
    error_message = "The data source's role may invoke its one function (and its versions) only."
  }

  assert {
    condition = (
      module.data_source["arn:aws:lambda:eu-west-1:123456789012:function:slipway-test-users-graphql"].role.name == "slipway-test-users-ds-1" &&
      module.data_source["arn:aws:lambda:eu-west-1:123456789012:function:slipway-test-users-graphql"].role.permissions_boundary == "arn:aws:iam::123456789012:policy/slipway/bootstrap/slipway-test-workload-boundary"
    )
    error_message = "The data source's role is named after the API and carries the boundary."
  }

  assert {
    condition = (
      keys(aws_appsync_resolver.this) == ["Mutation.updateProfile", "Query.user"] &&
      aws_appsync_resolver.this["Query.user"].kind == "UNIT" &&
      aws_appsync_resolver.this["Query.user"].data_source == "slipway_test_users_graphql" &&
      aws_appsync_resolver.this["Query.user"].request_template == null &&
      aws_appsync_resolver.this["Mutation.updateProfile"].type == "Mutation" &&
      aws_appsync_resolver.this["Mutation.updateProfile"].field == "updateProfile"
    )
    error_message = "Each field gets a direct Lambda resolver (UNIT, no mapping template) on its function's data source."
  }

  assert {
    condition = (
      length(aws_lambda_permission.authorizer) == 0 &&
      aws_cloudwatch_metric_alarm.this["errors_5xx"].metric_name == "5XXError" &&
      aws_cloudwatch_metric_alarm.this["errors_5xx"].dimensions["GraphQLAPIId"] == "abcdefghijklmnopqrstuvwxyz" &&
      aws_cloudwatch_metric_alarm.this["latency_p99"].extended_statistic == "p99" &&
      aws_cloudwatch_metric_alarm.this["latency_p99"].threshold == 5000
    )
    error_message = "5XX and p99 latency alarms on the API; no authorizer permission with Cognito."
  }
}

run "lambda_authorizer_and_all_fields" {
  command = apply

  variables {
    authentication_type            = "AWS_LAMBDA"
    user_pool_id                   = null
    lambda_authorizer_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:slipway-test-edge-authorizer"
    field_log_level                = "ALL"
    log_retention_in_days          = 365
    log_kms_key_arn                = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  }

  assert {
    condition = (
      aws_appsync_graphql_api.this.lambda_authorizer_config[0].authorizer_uri == "arn:aws:lambda:eu-west-1:123456789012:function:slipway-test-edge-authorizer" &&
      aws_appsync_graphql_api.this.lambda_authorizer_config[0].authorizer_result_ttl_in_seconds == 300 &&
      length(aws_appsync_graphql_api.this.user_pool_config) == 0
    )
    error_message = "AWS_LAMBDA auth names the authorizer function."
  }

  assert {
    condition = (
      aws_lambda_permission.authorizer[0].principal == "appsync.amazonaws.com" &&
      aws_lambda_permission.authorizer[0].function_name == "slipway-test-edge-authorizer" &&
      aws_lambda_permission.authorizer[0].source_arn == "arn:aws:appsync:eu-west-1:123456789012:apis/abcdefghijklmnopqrstuvwxyz"
    )
    error_message = "Only this API may invoke the authorizer."
  }

  assert {
    condition = (
      aws_appsync_graphql_api.this.log_config[0].field_log_level == "ALL" &&
      aws_appsync_graphql_api.this.log_config[0].exclude_verbose_content == true &&
      aws_cloudwatch_log_group.this.retention_in_days == 365 &&
      aws_cloudwatch_log_group.this.kms_key_id == "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    )
    error_message = "ALL field logs still exclude verbose content; retention and KMS as given."
  }
}

# The alarms link their own section of the domain's runbook (tools/runbooks writes it).
run "runbook_links_every_alarm" {
  command = apply

  variables {
    runbook = "docs/runbooks/test.md"
  }

  assert {
    condition = {
      for a in concat(values(aws_cloudwatch_metric_alarm.this)) : a.alarm_name => substr(a.alarm_description, length(a.alarm_description) - length(" Runbook: docs/runbooks/test.md#${a.alarm_name}"), -1)
      } == {
      "slipway-test-users-errors-5xx"  = " Runbook: docs/runbooks/test.md#slipway-test-users-errors-5xx"
      "slipway-test-users-latency-p99" = " Runbook: docs/runbooks/test.md#slipway-test-users-latency-p99"
    }
    error_message = "Every alarm's description must end with ' Runbook: <runbook>#<its own name>'."
  }

  assert {
    condition     = toset(output.alarm_names) == toset(["slipway-test-users-errors-5xx", "slipway-test-users-latency-p99"]) && length(output.alarm_names) == 2
    error_message = "alarm_names must list every alarm of the module once."
  }
}

run "no_runbook_no_link" {
  command = apply

  assert {
    condition     = alltrue([for a in concat(values(aws_cloudwatch_metric_alarm.this)) : !strcontains(a.alarm_description, "Runbook:")])
    error_message = "Without runbook no description links one."
  }
}
