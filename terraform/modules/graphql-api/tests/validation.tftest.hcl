# Every constrained input refuses a bad value at plan time, naming the variable. Each run breaks
# one field of the valid fixture.
mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = {
      partition = "aws"
    }
  }
}

variables {
  name                = "slipway-test-users"
  schema              = file("../../../libs/users/graphql/schema.graphql")
  authentication_type = "AMAZON_COGNITO_USER_POOLS"
  user_pool_id        = "eu-west-1_ExAmPlE12"
  resolvers = [
    { type_name = "Query", field_name = "user", function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:slipway-test-users-graphql" },
  ]
  account_id    = "123456789012"
  alarm_actions = ["arn:aws:sns:eu-west-1:123456789012:slipway-test-alarms"]
}

run "api_key_auth_is_refused" {
  command = plan
  variables {
    authentication_type = "API_KEY"
  }
  expect_failures = [var.authentication_type]
}

run "cognito_without_pool_is_refused" {
  command = plan
  variables {
    user_pool_id = null
  }
  expect_failures = [var.user_pool_id]
}

run "lambda_auth_without_function_is_refused" {
  command = plan
  variables {
    authentication_type = "AWS_LAMBDA"
    user_pool_id        = null
  }
  expect_failures = [var.lambda_authorizer_function_arn]
}

run "no_field_logs_is_refused" {
  command = plan
  variables {
    field_log_level = "NONE"
  }
  expect_failures = [var.field_log_level]
}

run "unlimited_retention_is_refused" {
  command = plan
  variables {
    log_retention_in_days = 0
  }
  expect_failures = [var.log_retention_in_days]
}

run "a_field_twice_is_refused" {
  command = plan
  variables {
    resolvers = [
      { type_name = "Query", field_name = "user", function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:a" },
      { type_name = "Query", field_name = "user", function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:b" },
    ]
  }
  expect_failures = [var.resolvers]
}

run "a_type_the_schema_lacks_is_refused" {
  command = plan
  variables {
    resolvers = [
      { type_name = "Subscription", field_name = "userChanged", function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:a" },
    ]
  }
  expect_failures = [var.resolvers]
}

run "a_wildcard_function_is_refused" {
  command = plan
  variables {
    resolvers = [
      { type_name = "Query", field_name = "user", function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:*" },
    ]
  }
  expect_failures = [var.resolvers]
}

run "a_long_name_is_refused" {
  command = plan
  variables {
    name = "slipway-dev-a-name-that-leaves-no-room-for-the-role-suffixes"
  }
  expect_failures = [var.name]
}

run "rejects_runbook_with_anchor" {
  command = plan

  variables {
    runbook = "docs/runbooks/test.md#x"
  }

  expect_failures = [var.runbook]
}

run "rejects_runbook_outside_the_tree" {
  command = plan

  variables {
    runbook = "../runbooks/test.md"
  }

  expect_failures = [var.runbook]
}

run "rejects_alarm_actions_empty" {
  # An alarm without an action changes state and pages no one (SLW-CW-001).
  command = plan

  variables {
    alarm_actions = []
  }

  expect_failures = [var.alarm_actions]
}

run "rejects_alarm_action_not_sns" {
  command = plan

  variables {
    alarm_actions = ["arn:aws:sqs:eu-west-1:123456789012:alerts"]
  }

  expect_failures = [var.alarm_actions]
}
