# Bad inputs are refused at plan time with the variable named.
mock_provider "aws" {}

variables {
  name                = "slipway-test-etl-schedule"
  schedule_expression = "cron(30 2 * * ? *)"
  timezone            = "Europe/Paris"
  state_machine_arn   = "arn:aws:states:eu-west-1:123456789012:stateMachine:slipway-test-etl"
  account_id          = "123456789012"
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

run "refuses_a_target_that_is_not_a_state_machine" {
  command = plan
  variables {
    state_machine_arn = "arn:aws:lambda:eu-west-1:123456789012:function:x"
  }
  expect_failures = [var.state_machine_arn]
}
