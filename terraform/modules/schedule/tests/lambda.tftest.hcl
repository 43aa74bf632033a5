# A Lambda function as the target: invoked with the static payload by the schedule's role, which
# may invoke that function only. Mock apply, no AWS calls.
mock_provider "aws" {
  mock_data "aws_region" {
    defaults = {
      name = "eu-west-1"
    }
  }
  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/slipway-test-reminders-scheduler"
    }
  }
}

variables {
  name                = "slipway-test-reminders"
  schedule_expression = "rate(15 minutes)"
  timezone            = "UTC"
  function_arn        = "arn:aws:lambda:eu-west-1:123456789012:function:slipway-test-reminders"
  input               = "{\"kind\":\"session-reminders\"}"
  account_id          = "123456789012"
  alarm_actions       = ["arn:aws:sns:eu-west-1:123456789012:slipway-test-alarms"]
}

run "invokes_the_function_with_the_static_payload_and_dead_letters_failures" {
  command = apply

  assert {
    condition = (
      aws_scheduler_schedule.this.target[0].arn == "arn:aws:lambda:eu-west-1:123456789012:function:slipway-test-reminders" &&
      aws_scheduler_schedule.this.target[0].role_arn == "arn:aws:iam::123456789012:role/slipway-test-reminders-scheduler" &&
      jsondecode(aws_scheduler_schedule.this.target[0].input) == { kind = "session-reminders" } &&
      aws_scheduler_schedule.this.description == "Invokes a Slipway Lambda function (managed by Terraform)."
    )
    error_message = "The target must be the function, invoked with the module's role and the static payload."
  }
  assert {
    condition = (
      aws_scheduler_schedule.this.flexible_time_window[0].mode == "OFF" &&
      aws_scheduler_schedule.this.schedule_expression_timezone == "UTC" &&
      aws_scheduler_schedule.this.target[0].retry_policy[0].maximum_retry_attempts == 3 &&
      aws_scheduler_schedule.this.target[0].retry_policy[0].maximum_event_age_in_seconds == 3600
    )
    error_message = "A Lambda target gets the same defaults: no flexible window, an explicit time zone, 3 retries within an hour."
  }
  assert {
    condition = (
      aws_scheduler_schedule.this.target[0].dead_letter_config[0].arn == "arn:aws:sqs:eu-west-1:123456789012:slipway-test-reminders-dlq" &&
      aws_sqs_queue.dead_letter[0].name == "slipway-test-reminders-dlq" &&
      aws_sqs_queue.dead_letter[0].sqs_managed_sse_enabled == true &&
      aws_cloudwatch_metric_alarm.dlq_depth[0].alarm_name == "slipway-test-reminders-dlq-depth"
    )
    error_message = "A Lambda target dead-letters into its own encrypted queue, alarmed on depth."
  }
}

run "role_may_only_invoke_that_function_and_write_to_that_queue" {
  command = apply

  assert {
    condition = jsondecode(aws_iam_role_policy.this.policy) == {
      Version = "2012-10-17"
      Statement = [
        {
          Sid      = "InvokeFunction"
          Effect   = "Allow"
          Action   = ["lambda:InvokeFunction"]
          Resource = ["arn:aws:lambda:eu-west-1:123456789012:function:slipway-test-reminders"]
        },
        {
          Sid      = "SendDeadLetters"
          Effect   = "Allow"
          Action   = ["sqs:SendMessage"]
          Resource = ["arn:aws:sqs:eu-west-1:123456789012:slipway-test-reminders-dlq"]
        },
      ]
    }
    error_message = "The role must allow lambda:InvokeFunction on exactly the function (no qualifier wildcard) and sqs:SendMessage on its own queue, nothing else."
  }
  assert {
    condition = (
      aws_iam_role_policy.this.name == "invoke-function" &&
      aws_iam_role.this.description == "EventBridge Scheduler: invokes Lambda slipway-test-reminders (schedule slipway-test-reminders)."
    )
    error_message = "The policy and the role must say they invoke the function."
  }
  assert {
    condition     = jsondecode(aws_iam_role.this.assume_role_policy).Statement[0].Condition.ArnEquals["aws:SourceArn"] == "arn:aws:scheduler:eu-west-1:123456789012:schedule/default/slipway-test-reminders"
    error_message = "Only this schedule may assume the role."
  }
}

run "a_qualified_function_is_the_only_one_the_role_may_invoke" {
  command = apply

  variables {
    function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:slipway-test-reminders:live"
  }

  assert {
    condition = (
      aws_scheduler_schedule.this.target[0].arn == "arn:aws:lambda:eu-west-1:123456789012:function:slipway-test-reminders:live" &&
      jsondecode(aws_iam_role_policy.this.policy).Statement[0].Resource == ["arn:aws:lambda:eu-west-1:123456789012:function:slipway-test-reminders:live"] &&
      aws_iam_role.this.description == "EventBridge Scheduler: invokes Lambda slipway-test-reminders (schedule slipway-test-reminders)."
    )
    error_message = "An alias target is invoked and granted as that alias only."
  }
}

run "a_flexible_window_is_used_only_when_asked" {
  command = plan

  variables {
    flexible_window_minutes = 15
  }

  assert {
    condition = (
      aws_scheduler_schedule.this.flexible_time_window[0].mode == "FLEXIBLE" &&
      aws_scheduler_schedule.this.flexible_time_window[0].maximum_window_in_minutes == 15
    )
    error_message = "flexible_window_minutes = 15 must give a FLEXIBLE window of 15 minutes."
  }
}

run "no_window_by_default" {
  command = plan

  assert {
    condition     = aws_scheduler_schedule.this.flexible_time_window[0].mode == "OFF" && aws_scheduler_schedule.this.flexible_time_window[0].maximum_window_in_minutes == null
    error_message = "Without flexible_window_minutes the window must be OFF, with no maximum."
  }
}
