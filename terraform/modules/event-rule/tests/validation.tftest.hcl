# Every constrained input rejects bad values at plan time with its own message.
# Prepare: the valid fixture below. Act: each run breaks one field. Assess: expect_failures.
# The data sources are pinned: the provider validates the built ARNs even under a mock.
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
}

variables {
  name           = "slipway-test-welcome-email-1"
  event_bus_name = "slipway-test-sessions"
  event_pattern  = jsonencode({ source = ["slipway.sessions"], "detail-type" = ["SessionConfirmed"] })
  function_arn   = "arn:aws:lambda:eu-west-1:123456789012:function:slipway-test-welcome-email"
  function_name  = "slipway-test-welcome-email"
  account_id     = "123456789012"
  input_transformer = {
    input_paths    = { eventId = "$.id", sessionId = "$.detail.sessionId" }
    input_template = "{\"eventId\": <eventId>, \"sessionId\": <sessionId>, \"rule\": <aws.events.rule-name>, \"text\": \"session <sessionId>\"}"
  }
  alarm_actions = ["arn:aws:sns:eu-west-1:123456789012:slipway-test-alerts"]
}

run "valid_fixture_plans" {
  command = plan
}

run "rejects_name_with_dot" {
  command = plan

  variables {
    name = "slipway.test.rule"
  }

  expect_failures = [var.name]
}

run "rejects_name_too_long" {
  command = plan

  variables {
    name = "slipway-test-this-rule-name-is-far-too-long-for-eventbridge-rules-x"
  }

  expect_failures = [var.name]
}

run "rejects_name_empty" {
  command = plan

  variables {
    name = ""
  }

  expect_failures = [var.name]
}

run "rejects_description_too_long" {
  command = plan

  variables {
    description = join("", [for i in range(52) : "0123456789"])
  }

  expect_failures = [var.description]
}

run "rejects_event_bus_arn" {
  command = plan

  variables {
    event_bus_name = "arn:aws:events:eu-west-1:123456789012:event-bus/slipway-test-sessions"
  }

  expect_failures = [var.event_bus_name]
}

run "rejects_event_pattern_not_json" {
  command = plan

  variables {
    event_pattern = "source: slipway.sessions"
  }

  expect_failures = [var.event_pattern]
}

run "rejects_event_pattern_empty_object" {
  command = plan

  variables {
    event_pattern = "{}"
  }

  expect_failures = [var.event_pattern]
}

run "rejects_event_pattern_list" {
  command = plan

  variables {
    event_pattern = "[\"slipway.sessions\"]"
  }

  expect_failures = [var.event_pattern]
}

run "rejects_event_pattern_too_long" {
  command = plan

  variables {
    event_pattern = jsonencode({ source = [for i in range(400) : "com.example.source${i}"] })
  }

  expect_failures = [var.event_pattern]
}

run "rejects_function_arn_is_name" {
  command = plan

  variables {
    function_arn = "slipway-test-welcome-email"
  }

  expect_failures = [var.function_arn]
}

run "rejects_function_arn_wildcard" {
  command = plan

  variables {
    function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:*"
  }

  expect_failures = [var.function_arn]
}

run "rejects_function_arn_alias" {
  command = plan

  variables {
    function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:slipway-test-welcome-email:live"
  }

  expect_failures = [var.function_arn]
}

run "rejects_function_arn_other_service" {
  command = plan

  variables {
    function_arn = "arn:aws:states:eu-west-1:123456789012:stateMachine:slipway-test-welcome-email"
  }

  expect_failures = [var.function_arn]
}

run "rejects_function_name_arn" {
  command = plan

  variables {
    function_name = "arn:aws:lambda:eu-west-1:123456789012:function:slipway-test-welcome-email"
  }

  expect_failures = [var.function_name]
}

run "rejects_function_name_not_the_targeted_function" {
  command = plan

  variables {
    function_name = "slipway-test-reminder"
  }

  expect_failures = [var.function_name]
}

run "rejects_maximum_event_age_below_a_minute" {
  command = plan

  variables {
    maximum_event_age_in_seconds = 59
  }

  expect_failures = [var.maximum_event_age_in_seconds]
}

run "rejects_maximum_event_age_above_a_day" {
  command = plan

  variables {
    maximum_event_age_in_seconds = 86401
  }

  expect_failures = [var.maximum_event_age_in_seconds]
}

run "rejects_maximum_event_age_fraction" {
  command = plan

  variables {
    maximum_event_age_in_seconds = 90.5
  }

  expect_failures = [var.maximum_event_age_in_seconds]
}

run "rejects_maximum_retry_attempts_above_185" {
  command = plan

  variables {
    maximum_retry_attempts = 186
  }

  expect_failures = [var.maximum_retry_attempts]
}

run "rejects_maximum_retry_attempts_negative" {
  command = plan

  variables {
    maximum_retry_attempts = -1
  }

  expect_failures = [var.maximum_retry_attempts]
}

run "rejects_maximum_retry_attempts_fraction" {
  command = plan

  variables {
    maximum_retry_attempts = 1.5
  }

  expect_failures = [var.maximum_retry_attempts]
}

run "rejects_input_template_blank" {
  command = plan

  variables {
    input_transformer = { input_template = "   " }
  }

  expect_failures = [var.input_transformer]
}

run "rejects_input_path_key_with_dot" {
  command = plan

  variables {
    input_transformer = { input_paths = { "detail.id" = "$.detail.id" }, input_template = "{\"id\": <detail.id>}" }
  }

  expect_failures = [var.input_transformer]
}

run "rejects_input_path_not_jsonpath" {
  command = plan

  variables {
    input_transformer = { input_paths = { id = "detail.id" }, input_template = "{\"id\": <id>}" }
  }

  expect_failures = [var.input_transformer]
}

run "rejects_input_path_unused" {
  command = plan

  variables {
    input_transformer = { input_paths = { id = "$.id", sessionId = "$.detail.sessionId" }, input_template = "{\"id\": <id>}" }
  }

  expect_failures = [var.input_transformer]
}

run "rejects_input_template_undefined_placeholder" {
  command = plan

  variables {
    input_transformer = { input_paths = { id = "$.id" }, input_template = "{\"id\": <id>, \"session\": <sessionId>}" }
  }

  expect_failures = [var.input_transformer]
}

run "rejects_input_template_invalid_json" {
  command = plan

  variables {
    input_transformer = { input_paths = { id = "$.id" }, input_template = "{\"id\": <id>" }
  }

  expect_failures = [var.input_transformer]
}

run "rejects_dead_letter_queue_fifo" {
  command = plan

  variables {
    dead_letter_queue_arn = "arn:aws:sqs:eu-west-1:123456789012:slipway-test-events-dlq.fifo"
  }

  expect_failures = [var.dead_letter_queue_arn]
}

run "rejects_dead_letter_queue_sns_topic" {
  command = plan

  variables {
    dead_letter_queue_arn = "arn:aws:sns:eu-west-1:123456789012:slipway-test-events-dlq"
  }

  expect_failures = [var.dead_letter_queue_arn]
}

run "rejects_kms_key_alias" {
  command = plan

  variables {
    kms_key_arn = "alias/aws/sqs"
  }

  expect_failures = [var.kms_key_arn]
}

run "rejects_kms_key_with_caller_queue" {
  command = plan

  variables {
    kms_key_arn           = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    dead_letter_queue_arn = "arn:aws:sqs:eu-west-1:123456789012:slipway-test-events-dlq"
  }

  expect_failures = [var.kms_key_arn]
}

run "rejects_account_id_not_12_digits" {
  command = plan

  variables {
    account_id = "1234567890123"
  }

  expect_failures = [var.account_id]
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

run "rejects_alarm_action_bare_topic_name" {
  command = plan

  variables {
    alarm_actions = ["slipway-test-alerts"]
  }

  expect_failures = [var.alarm_actions]
}

run "rejects_tag_key_aws_prefix" {
  command = plan

  variables {
    tags = { "aws:owner" = "me" }
  }

  expect_failures = [var.tags]
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
