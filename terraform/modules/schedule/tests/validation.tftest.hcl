# Bad inputs are refused at plan time with the variable named.
mock_provider "aws" {
  # The provider's Region, the target's (the schedule's precondition).
  mock_data "aws_region" {
    defaults = {
      name = "eu-west-1"
    }
  }
}

variables {
  name                = "slipway-test-etl-schedule"
  schedule_expression = "cron(30 2 * * ? *)"
  timezone            = "Europe/Paris"
  state_machine_arn   = "arn:aws:states:eu-west-1:123456789012:stateMachine:slipway-test-etl"
  account_id          = "123456789012"
  alarm_actions       = ["arn:aws:sns:eu-west-1:123456789012:slipway-test-alarms"]
}

# The valid fixture plans: every refusal below is caused by the one field it breaks.
run "accepts_the_valid_fixture" {
  command = plan

  assert {
    condition     = aws_scheduler_schedule.this.target[0].arn == "arn:aws:states:eu-west-1:123456789012:stateMachine:slipway-test-etl"
    error_message = "The valid fixture must plan a schedule on its state machine."
  }
}

run "refuses_an_expression_scheduler_cannot_read" {
  command = plan
  variables {
    schedule_expression = "0 2 * * *"
  }
  expect_failures = [var.schedule_expression]
}

run "refuses_a_time_zone_that_is_not_iana" {
  command = plan
  variables {
    timezone = "CET+1"
  }
  expect_failures = [var.timezone]
}

run "refuses_input_that_is_not_json" {
  command = plan
  variables {
    input = "scheduledTime=now"
  }
  expect_failures = [var.input]
}

run "refuses_a_state_machine_target_that_is_not_a_state_machine" {
  command = plan
  variables {
    state_machine_arn = "arn:aws:lambda:eu-west-1:123456789012:function:x"
  }
  expect_failures = [var.state_machine_arn]
}

run "refuses_two_targets" {
  command = plan
  variables {
    function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:slipway-test-reminders"
  }
  expect_failures = [var.function_arn]
}

run "refuses_no_target" {
  command = plan
  variables {
    state_machine_arn = null
  }
  expect_failures = [var.function_arn]
}

run "refuses_a_function_target_with_a_wildcard" {
  command = plan
  variables {
    state_machine_arn = null
    function_arn      = "arn:aws:lambda:eu-west-1:123456789012:function:slipway-test-*"
  }
  expect_failures = [var.function_arn]
}

run "refuses_a_fifo_dead_letter_queue" {
  command = plan
  variables {
    dead_letter_queue_arn = "arn:aws:sqs:eu-west-1:123456789012:slipway-test-schedules-dlq.fifo"
  }
  expect_failures = [var.dead_letter_queue_arn]
}

run "refuses_a_dotted_name_when_the_queue_is_named_after_it" {
  command = plan
  variables {
    name = "slipway-test.etl-schedule"
  }
  expect_failures = [var.name]
}

run "accepts_a_dotted_name_with_a_given_queue" {
  command = plan
  variables {
    name                  = "slipway-test.etl-schedule"
    dead_letter_queue_arn = "arn:aws:sqs:eu-west-1:123456789012:slipway-test-schedules-dlq"
  }

  assert {
    condition     = aws_scheduler_schedule.this.name == "slipway-test.etl-schedule" && length(aws_sqs_queue.dead_letter) == 0
    error_message = "A dotted name is fine when no queue is named after it."
  }
}

run "refuses_more_retries_than_scheduler_allows" {
  command = plan
  variables {
    maximum_retry_attempts = 186
  }
  expect_failures = [var.maximum_retry_attempts]
}

run "refuses_an_event_age_under_a_minute" {
  command = plan
  variables {
    maximum_event_age_in_seconds = 59
  }
  expect_failures = [var.maximum_event_age_in_seconds]
}

run "refuses_no_alarm_action" {
  # An alarm without an action changes state and pages no one (SLW-CW-001).
  command = plan
  variables {
    alarm_actions = []
  }
  expect_failures = [var.alarm_actions]
}

run "refuses_an_alarm_action_that_is_not_a_topic" {
  command = plan
  variables {
    alarm_actions = ["arn:aws:sqs:eu-west-1:123456789012:slipway-test-alerts"]
  }
  expect_failures = [var.alarm_actions]
}

run "refuses_a_target_in_another_account" {
  command = plan
  variables {
    account_id = "210987654321"
  }
  expect_failures = [var.account_id]
}

run "refuses_a_target_in_another_region_than_the_provider" {
  command = plan
  override_data {
    target = data.aws_region.current
    values = {
      name = "us-east-1"
    }
  }
  expect_failures = [aws_scheduler_schedule.this]
}

run "refuses_a_flexible_window_over_a_day" {
  command = plan

  variables {
    flexible_window_minutes = 1441
  }

  expect_failures = [var.flexible_window_minutes]
}

run "refuses_a_zero_flexible_window" {
  command = plan

  variables {
    flexible_window_minutes = 0
  }

  expect_failures = [var.flexible_window_minutes]
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
