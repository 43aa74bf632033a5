# Every constrained input rejects bad values at plan time with its own message.
# Prepare: the valid fixture below. Act: each run breaks one field. Assess: expect_failures.
mock_provider "aws" {}

variables {
  name           = "slipway-test-media"
  domain         = "media"
  functions      = [{ name = "slipway-test-media-validate", dead_letter_queue = "slipway-test-media-validate-dlq" }]
  state_machines = [{ name = "slipway-test-media", arn = "arn:aws:states:eu-west-1:123456789012:stateMachine:slipway-test-media" }]
  alarm_names    = ["slipway-test-media-validate-errors"]
  alarm_actions  = ["arn:aws:sns:eu-west-1:123456789012:slipway-test-alarms"]
  runbook        = "docs/runbooks/media.md"
}

run "valid_fixture_plans" {
  command = plan
}

run "rejects_upper_case_name" {
  command = plan
  variables {
    name = "Slipway-Test-Media"
  }
  expect_failures = [var.name]
}

run "rejects_function_arn_as_name" {
  command = plan
  variables {
    functions = [{ name = "arn:aws:lambda:eu-west-1:123456789012:function:x" }]
  }
  expect_failures = [var.functions]
}

run "rejects_queue_arn_as_queue_name" {
  command = plan
  variables {
    functions = [{ name = "slipway-test-media-validate", dead_letter_queue = "arn:aws:sqs:eu-west-1:123456789012:q" }]
  }
  expect_failures = [var.functions]
}

run "rejects_duplicate_function" {
  command = plan
  variables {
    functions = [{ name = "slipway-test-media-validate" }, { name = "slipway-test-media-validate" }]
  }
  expect_failures = [var.functions]
}

run "rejects_state_machine_arn_of_another_name" {
  command = plan
  variables {
    state_machines = [{ name = "slipway-test-media", arn = "arn:aws:states:eu-west-1:123456789012:stateMachine:slipway-test-etl" }]
  }
  expect_failures = [var.state_machines]
}

run "rejects_breakdown_splitting_a_fixed_dimension" {
  command = plan
  variables {
    metric_breakdowns = [{
      title      = "Quarantines"
      namespace  = "Slipway/media"
      metric     = "MediaQuarantined"
      dimensions = { service = "media-quarantine", outcome = "rejected" }
      split_by   = { name = "outcome", values = ["rejected"] }
    }]
  }
  expect_failures = [var.metric_breakdowns]
}

run "rejects_alarm_name_with_quote" {
  command = plan
  variables {
    alarm_names = ["bad\"name"]
  }
  expect_failures = [var.alarm_names]
}

run "rejects_alarm_action_not_sns" {
  command = plan
  variables {
    alarm_actions = ["arn:aws:sqs:eu-west-1:123456789012:alarms"]
  }
  expect_failures = [var.alarm_actions]
}

run "rejects_runbook_with_anchor" {
  command = plan
  variables {
    runbook = "docs/runbooks/media.md#x"
  }
  expect_failures = [var.runbook]
}

run "rejects_aws_tag" {
  command = plan
  variables {
    tags = { "aws:x" = "y" }
  }
  expect_failures = [var.tags]
}
