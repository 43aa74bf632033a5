# Every constrained input rejects bad values at plan time with its own message.
# Prepare: the valid fixture below. Act: each run breaks one field. Assess: expect_failures.
mock_provider "aws" {}

variables {
  name       = "slipway-test-alarms"
  account_id = "123456789012"
  subscriptions = [
    { protocol = "email", endpoint = "oncall@test.slipway.example" },
    { protocol = "https", endpoint = "https://hooks.slipway.example/alarms" },
    { protocol = "sqs", endpoint = "arn:aws:sqs:eu-west-1:123456789012:oncall" },
    { protocol = "lambda", endpoint = "arn:aws:lambda:eu-west-1:123456789012:function:pager" },
  ]
}

run "valid_fixture_plans" {
  command = plan
}

run "rejects_fifo_name" {
  command = plan
  variables {
    name = "slipway-test-alarms.fifo"
  }
  expect_failures = [var.name]
}

run "rejects_short_account_id" {
  command = plan
  variables {
    account_id = "12345"
  }
  expect_failures = [var.account_id]
}

run "rejects_sms_protocol" {
  command = plan
  variables {
    subscriptions = [{ protocol = "sms", endpoint = "+15555550100" }]
  }
  expect_failures = [var.subscriptions]
}

run "rejects_http_protocol" {
  command = plan
  variables {
    subscriptions = [{ protocol = "http", endpoint = "http://hooks.slipway.example/alarms" }]
  }
  expect_failures = [var.subscriptions]
}

run "rejects_email_without_domain" {
  command = plan
  variables {
    subscriptions = [{ protocol = "email", endpoint = "oncall" }]
  }
  expect_failures = [var.subscriptions]
}

run "rejects_https_endpoint_over_http" {
  command = plan
  variables {
    subscriptions = [{ protocol = "https", endpoint = "http://hooks.slipway.example/alarms" }]
  }
  expect_failures = [var.subscriptions]
}

run "rejects_sqs_endpoint_not_an_arn" {
  command = plan
  variables {
    subscriptions = [{ protocol = "sqs", endpoint = "https://sqs.eu-west-1.amazonaws.com/123456789012/oncall" }]
  }
  expect_failures = [var.subscriptions]
}

run "rejects_lambda_endpoint_of_a_queue" {
  command = plan
  variables {
    subscriptions = [{ protocol = "lambda", endpoint = "arn:aws:sqs:eu-west-1:123456789012:oncall" }]
  }
  expect_failures = [var.subscriptions]
}

run "rejects_duplicate_subscription" {
  command = plan
  variables {
    subscriptions = [
      { protocol = "email", endpoint = "oncall@test.slipway.example" },
      { protocol = "email", endpoint = "oncall@test.slipway.example" },
    ]
  }
  expect_failures = [var.subscriptions]
}

run "rejects_short_deletion_window" {
  command = plan
  variables {
    kms_deletion_window_in_days = 3
  }
  expect_failures = [var.kms_deletion_window_in_days]
}

run "rejects_aws_tag" {
  command = plan
  variables {
    tags = { "aws:owner" = "x" }
  }
  expect_failures = [var.tags]
}
