# Asynchronous invocation (EventBridge and Scheduler targets): retries, event age and the
# on-failure destination, asserted on a mock apply (no AWS calls, no credentials).
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
  mock_resource "aws_sqs_queue" {
    defaults = {
      arn = "arn:aws:sqs:eu-west-1:123456789012:slipway-test-fn-dlq"
    }
  }
  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/slipway-test-fn"
    }
  }
}

variables {
  function_name    = "slipway-test-fn"
  filename         = "dist/apps/test-fn/test-fn.zip"
  source_code_hash = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
  account_id       = "123456789012"
  alarm_actions    = ["arn:aws:sns:eu-west-1:123456789012:slipway-test-alarms"]
}

run "no_event_invoke_config_without_async_invocation" {
  command = apply

  assert {
    condition     = length(aws_lambda_function_event_invoke_config.this) == 0 && output.on_failure_destination_arn == null
    error_message = "Without async_invocation the module must not manage an event invoke config."
  }

  assert {
    condition     = aws_lambda_function.this.dead_letter_config[0].target_arn == "arn:aws:sqs:eu-west-1:123456789012:slipway-test-fn-dlq"
    error_message = "Without async_invocation the queue stays the function's dead_letter_config."
  }
}

run "defaults_send_failures_to_own_queue_as_destination" {
  command = apply

  variables {
    async_invocation = {}
  }

  assert {
    condition = (
      aws_lambda_function_event_invoke_config.this[0].function_name == "slipway-test-fn" &&
      aws_lambda_function_event_invoke_config.this[0].maximum_retry_attempts == 2 &&
      aws_lambda_function_event_invoke_config.this[0].maximum_event_age_in_seconds == 21600
    )
    error_message = "async_invocation = {} must apply Lambda's defaults: 2 retries, 6 h."
  }

  assert {
    condition     = aws_lambda_function_event_invoke_config.this[0].destination_config[0].on_failure[0].destination == "arn:aws:sqs:eu-west-1:123456789012:slipway-test-fn-dlq"
    error_message = "The on-failure destination must be the function's own queue."
  }

  assert {
    condition     = length(aws_lambda_function_event_invoke_config.this[0].destination_config[0].on_success) == 0
    error_message = "No on-success destination: only failures are kept."
  }

  assert {
    condition     = length(aws_lambda_function.this.dead_letter_config) == 0
    error_message = "With the destination, dead_letter_config must be absent so a failure is written once."
  }

  assert {
    condition = contains(jsondecode(aws_iam_role_policy.this.policy).Statement, {
      Sid      = "SendToDeadLetterTarget"
      Effect   = "Allow"
      Action   = ["sqs:SendMessage"]
      Resource = ["arn:aws:sqs:eu-west-1:123456789012:slipway-test-fn-dlq"]
    })
    error_message = "The role must be able to write the invocation record to its own queue, and only there."
  }

  assert {
    condition     = aws_sqs_queue.dead_letter[0].sqs_managed_sse_enabled == true && length(aws_cloudwatch_metric_alarm.dead_letter_messages) == 1
    error_message = "The destination queue must be encrypted and watched by the depth alarm."
  }

  assert {
    condition     = output.on_failure_destination_arn == "arn:aws:sqs:eu-west-1:123456789012:slipway-test-fn-dlq"
    error_message = "on_failure_destination_arn must name the queue."
  }
}

run "manifest_settings_are_passed_through" {
  command = plan

  variables {
    async_invocation = { maximum_retry_attempts = 0, maximum_event_age_in_seconds = 60 }
  }

  assert {
    condition = (
      aws_lambda_function_event_invoke_config.this[0].maximum_retry_attempts == 0 &&
      aws_lambda_function_event_invoke_config.this[0].maximum_event_age_in_seconds == 60
    )
    error_message = "async_invocation values must reach the event invoke config."
  }
}

run "existing_sns_target_is_the_destination" {
  command = plan

  variables {
    async_invocation         = {}
    create_dead_letter_queue = false
    dead_letter_target_arn   = "arn:aws:sns:eu-west-1:123456789012:slipway-dev-failures"
  }

  assert {
    condition     = aws_lambda_function_event_invoke_config.this[0].destination_config[0].on_failure[0].destination == "arn:aws:sns:eu-west-1:123456789012:slipway-dev-failures"
    error_message = "A caller's dead-letter target must be the on-failure destination."
  }
}

run "rejects_three_retries" {
  command = plan

  variables {
    async_invocation = { maximum_retry_attempts = 3 }
  }

  expect_failures = [var.async_invocation]
}

run "rejects_event_age_over_six_hours" {
  command = plan

  variables {
    async_invocation = { maximum_event_age_in_seconds = 21601 }
  }

  expect_failures = [var.async_invocation]
}

run "rejects_async_invocation_without_failure_destination" {
  command = plan

  variables {
    async_invocation         = {}
    create_dead_letter_queue = false
  }

  expect_failures = [var.async_invocation]
}
