# Every constrained input rejects bad values at plan time with its own message.
# Prepare: the valid fixture below. Act: each run breaks one field. Assess: expect_failures.
mock_provider "aws" {}

variables {
  name              = "slipway-test-media-trigger"
  state_machine_arn = "arn:aws:states:eu-west-1:123456789012:stateMachine:slipway-test-media"
  account_id        = "123456789012"
  event_pattern = jsonencode({
    source        = ["aws.s3"]
    "detail-type" = ["Object Created"]
    detail        = { bucket = { name = ["slipway-test-media"] }, object = { key = [{ prefix = "uploads/" }] } }
  })
  input_paths    = { key = "$.detail.object.key", size = "$.detail.object.size" }
  input_template = "{\"key\": <key>, \"size\": <size>, \"rule\": <aws.events.rule-name>, \"uri\": \"s3://bucket/<key>\"}"
  alarm_actions  = ["arn:aws:sns:eu-west-1:123456789012:slipway-test-alarms"]
}

run "valid_fixture_plans" {
  command = plan
}

run "rejects_name_with_dot" {
  command = plan

  variables {
    name = "slipway.test.trigger"
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

run "rejects_event_bus_arn" {
  command = plan

  variables {
    event_bus_name = "arn:aws:events:eu-west-1:123456789012:event-bus/slipway-test"
  }

  expect_failures = [var.event_bus_name]
}

run "rejects_event_pattern_not_json" {
  command = plan

  variables {
    event_pattern = "source: aws.s3"
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
    event_pattern = "[\"aws.s3\"]"
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

run "rejects_state_machine_arn_is_name" {
  command = plan

  variables {
    state_machine_arn = "slipway-test-media"
  }

  expect_failures = [var.state_machine_arn]
}

run "rejects_state_machine_arn_wildcard" {
  command = plan

  variables {
    state_machine_arn = "arn:aws:states:eu-west-1:123456789012:stateMachine:*"
  }

  expect_failures = [var.state_machine_arn]
}

run "rejects_state_machine_arn_execution" {
  command = plan

  variables {
    state_machine_arn = "arn:aws:states:eu-west-1:123456789012:execution:slipway-test-media:run-1"
  }

  expect_failures = [var.state_machine_arn]
}

run "rejects_input_path_key_with_dot" {
  command = plan

  variables {
    input_paths    = { "object.key" = "$.detail.object.key" }
    input_template = "{\"key\": <object.key>}"
  }

  expect_failures = [var.input_paths]
}

run "rejects_input_path_not_jsonpath" {
  command = plan

  variables {
    input_paths    = { key = "detail.object.key" }
    input_template = "{\"key\": <key>}"
  }

  expect_failures = [var.input_paths]
}

run "rejects_input_path_bracket_notation" {
  command = plan

  variables {
    input_paths    = { key = "$.detail['object'].key" }
    input_template = "{\"key\": <key>}"
  }

  expect_failures = [var.input_paths]
}

run "rejects_input_paths_without_template" {
  command = plan

  variables {
    input_template = null
  }

  expect_failures = [var.input_template]
}

run "rejects_input_template_blank" {
  command = plan

  variables {
    input_template = "   "
  }

  expect_failures = [var.input_template]
}

run "rejects_input_template_missing_key" {
  command = plan

  variables {
    input_template = "{\"key\": <key>}"
  }

  expect_failures = [var.input_template]
}

run "rejects_input_template_undefined_placeholder" {
  command = plan

  variables {
    input_template = "{\"key\": <key>, \"size\": <size>, \"etag\": <etag>}"
  }

  expect_failures = [var.input_template]
}

run "rejects_input_template_invalid_json" {
  command = plan

  variables {
    input_template = "{\"key\": <key>, \"size\": <size>"
  }

  expect_failures = [var.input_template]
}

run "rejects_input_template_placeholder_as_key" {
  command = plan

  variables {
    input_template = "{\"<key>\": <size>}"
  }

  expect_failures = [var.input_template]
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

run "rejects_account_id_not_12_digits" {
  command = plan

  variables {
    account_id = "1234567890123"
  }

  expect_failures = [var.account_id]
}

run "rejects_permissions_boundary_not_policy_arn" {
  command = plan

  variables {
    permissions_boundary_arn = "arn:aws:iam::123456789012:role/boundary"
  }

  expect_failures = [var.permissions_boundary_arn]
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

run "rejects_alarm_threshold_zero" {
  command = plan

  variables {
    alarms = { dead_letter_messages_threshold = 0 }
  }

  expect_failures = [var.alarms]
}

run "rejects_alarm_period_not_minutes" {
  command = plan

  variables {
    alarms = { period_seconds = 90 }
  }

  expect_failures = [var.alarms]
}

run "rejects_alarm_window_over_a_day" {
  command = plan

  variables {
    alarms = { period_seconds = 3600, evaluation_periods = 25 }
  }

  expect_failures = [var.alarms]
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
