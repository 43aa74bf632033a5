# Secure defaults and generated IAM for a state machine target (the ETL flow's nightly run),
# asserted on a mock apply (no AWS calls, no credentials).
mock_provider "aws" {
  # The provider's Region, the target's (the schedule's precondition).
  mock_data "aws_region" {
    defaults = {
      name = "eu-west-1"
    }
  }
  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/slipway-test-etl-schedule-scheduler"
    }
  }
}

variables {
  name                = "slipway-test-etl-schedule"
  schedule_expression = "cron(30 2 * * ? *)"
  timezone            = "Europe/Paris"
  state_machine_arn   = "arn:aws:states:eu-west-1:123456789012:stateMachine:slipway-test-etl"
  input               = "{\"scheduledTime\":\"<aws.scheduler.scheduled-time>\"}"
  account_id          = "123456789012"
  alarm_actions       = ["arn:aws:sns:eu-west-1:123456789012:slipway-test-alerts"]
  tags                = { flow = "etl" }
}

run "runs_at_a_fixed_time_in_an_explicit_time_zone_and_dead_letters_what_it_cannot_deliver" {
  command = apply

  assert {
    condition = (
      aws_scheduler_schedule.this.schedule_expression == "cron(30 2 * * ? *)" &&
      aws_scheduler_schedule.this.schedule_expression_timezone == "Europe/Paris" &&
      aws_scheduler_schedule.this.group_name == "default" &&
      aws_scheduler_schedule.this.state == "ENABLED" &&
      aws_scheduler_schedule.this.description == "Starts a Slipway state machine (managed by Terraform)."
    )
    error_message = "The schedule must run its expression in the time zone it was given, enabled, in the default group (its ARN is built from that)."
  }
  assert {
    condition     = aws_scheduler_schedule.this.flexible_time_window[0].mode == "OFF" && aws_scheduler_schedule.this.flexible_time_window[0].maximum_window_in_minutes == null
    error_message = "A nightly batch must not drift within a flexible window."
  }
  assert {
    condition = (
      aws_scheduler_schedule.this.target[0].arn == "arn:aws:states:eu-west-1:123456789012:stateMachine:slipway-test-etl" &&
      aws_scheduler_schedule.this.target[0].role_arn == "arn:aws:iam::123456789012:role/slipway-test-etl-schedule-scheduler" &&
      jsondecode(aws_scheduler_schedule.this.target[0].input) == { scheduledTime = "<aws.scheduler.scheduled-time>" }
    )
    error_message = "The target must be the state machine, started with the module's role and the static input with the scheduled time placeholder."
  }
  assert {
    condition = (
      aws_scheduler_schedule.this.target[0].retry_policy[0].maximum_retry_attempts == 3 &&
      aws_scheduler_schedule.this.target[0].retry_policy[0].maximum_event_age_in_seconds == 3600
    )
    error_message = "A failed StartExecution must be retried 3 times within an hour by default."
  }
  assert {
    condition     = aws_scheduler_schedule.this.target[0].dead_letter_config[0].arn == "arn:aws:sqs:eu-west-1:123456789012:slipway-test-etl-schedule-dlq"
    error_message = "The target must dead-letter into the created queue <name>-dlq, its ARN built (known at plan time)."
  }
  assert {
    condition     = output.dead_letter_queue_arn == "arn:aws:sqs:eu-west-1:123456789012:slipway-test-etl-schedule-dlq"
    error_message = "The output must name the queue the schedule writes to."
  }
}

run "creates_an_encrypted_dead_letter_queue_that_keeps_messages_14_days" {
  command = apply

  assert {
    condition = (
      length(aws_sqs_queue.dead_letter) == 1 &&
      aws_sqs_queue.dead_letter[0].name == "slipway-test-etl-schedule-dlq" &&
      aws_sqs_queue.dead_letter[0].fifo_queue != true &&
      aws_sqs_queue.dead_letter[0].message_retention_seconds == 1209600 &&
      aws_sqs_queue.dead_letter[0].sqs_managed_sse_enabled == true &&
      aws_sqs_queue.dead_letter[0].kms_master_key_id == null &&
      aws_sqs_queue.dead_letter[0].tags == tomap({ flow = "etl" })
    )
    error_message = "The module must create one standard queue <name>-dlq, SSE-SQS encrypted, keeping messages 14 days, tagged."
  }
}

run "role_may_only_start_that_state_machine_and_write_to_that_queue_for_that_schedule" {
  command = apply

  assert {
    condition = jsondecode(aws_iam_role_policy.this.policy) == {
      Version = "2012-10-17"
      Statement = [
        {
          Sid      = "StartStateMachineExecution"
          Effect   = "Allow"
          Action   = ["states:StartExecution"]
          Resource = ["arn:aws:states:eu-west-1:123456789012:stateMachine:slipway-test-etl"]
        },
        {
          Sid      = "SendDeadLetters"
          Effect   = "Allow"
          Action   = ["sqs:SendMessage"]
          Resource = ["arn:aws:sqs:eu-west-1:123456789012:slipway-test-etl-schedule-dlq"]
        },
      ]
    }
    error_message = "The role must allow states:StartExecution on the one state machine and sqs:SendMessage on its own queue, nothing else."
  }
  assert {
    condition     = aws_iam_role_policy.this.name == "start-execution" && output.policy_json == aws_iam_role_policy.this.policy
    error_message = "The state machine target keeps its policy name (renaming would replace it) and the output shows the policy applied."
  }
  assert {
    condition = (
      aws_iam_role.this.name == "slipway-test-etl-schedule-scheduler" &&
      aws_iam_role.this.description == "EventBridge Scheduler: starts slipway-test-etl (schedule slipway-test-etl-schedule)."
    )
    error_message = "The role must be named after the schedule and say what it starts."
  }
  assert {
    condition = jsondecode(aws_iam_role.this.assume_role_policy) == {
      Version = "2012-10-17"
      Statement = [{
        Sid       = "SchedulerAssumeRole"
        Effect    = "Allow"
        Principal = { Service = "scheduler.amazonaws.com" }
        Action    = "sts:AssumeRole"
        Condition = {
          ArnEquals    = { "aws:SourceArn" = "arn:aws:scheduler:eu-west-1:123456789012:schedule/default/slipway-test-etl-schedule" }
          StringEquals = { "aws:SourceAccount" = "123456789012" }
        }
      }]
    }
    error_message = "Only scheduler.amazonaws.com, for this schedule (aws:SourceArn) in this account (aws:SourceAccount), may assume the role (confused-deputy protection)."
  }
}

run "alarms_when_a_dead_letter_waits_in_the_queue" {
  command = apply

  assert {
    condition = (
      length(aws_cloudwatch_metric_alarm.dlq_depth) == 1 &&
      aws_cloudwatch_metric_alarm.dlq_depth[0].alarm_name == "slipway-test-etl-schedule-dlq-depth" &&
      aws_cloudwatch_metric_alarm.dlq_depth[0].namespace == "AWS/SQS" &&
      aws_cloudwatch_metric_alarm.dlq_depth[0].metric_name == "ApproximateNumberOfMessagesVisible" &&
      aws_cloudwatch_metric_alarm.dlq_depth[0].dimensions == tomap({ QueueName = "slipway-test-etl-schedule-dlq" }) &&
      aws_cloudwatch_metric_alarm.dlq_depth[0].statistic == "Maximum" &&
      aws_cloudwatch_metric_alarm.dlq_depth[0].period == 300 &&
      aws_cloudwatch_metric_alarm.dlq_depth[0].evaluation_periods == 1 &&
      aws_cloudwatch_metric_alarm.dlq_depth[0].threshold == 0 &&
      aws_cloudwatch_metric_alarm.dlq_depth[0].comparison_operator == "GreaterThanThreshold" &&
      aws_cloudwatch_metric_alarm.dlq_depth[0].treat_missing_data == "notBreaching"
    )
    error_message = "One alarm <name>-dlq-depth must fire as soon as one message is visible in the created queue."
  }
  assert {
    condition = (
      aws_cloudwatch_metric_alarm.dlq_depth[0].alarm_actions == toset(["arn:aws:sns:eu-west-1:123456789012:slipway-test-alerts"]) &&
      aws_cloudwatch_metric_alarm.dlq_depth[0].ok_actions == toset(["arn:aws:sns:eu-west-1:123456789012:slipway-test-alerts"])
    )
    error_message = "The alarm must notify alarm_actions when it fires and when it recovers."
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.dlq_depth[0].alarm_description == "Schedule slipway-test-etl-schedule: ApproximateNumberOfMessagesVisible > 0 in 5 minutes on SQS queue slipway-test-etl-schedule-dlq. A scheduled run did not reach slipway-test-etl after 3 retries or 3600s (the error is in the message). Check the target exists and role slipway-test-etl-schedule-scheduler may reach it, then replay the message."
    error_message = "The alarm must tell the on-call engineer what happened and where to look."
  }
}

run "a_kms_key_encrypts_the_input_and_the_queue_and_the_role_may_use_it" {
  command = apply

  variables {
    kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  }

  assert {
    condition = (
      aws_scheduler_schedule.this.kms_key_arn == "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab" &&
      aws_sqs_queue.dead_letter[0].kms_master_key_id == "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    )
    # (sqs_managed_sse_enabled is left unset with a key, as the provider requires; the mock then
    # fills the computed value at random, so it is not asserted here.)
    error_message = "The schedule's input and the queue must both use the key given."
  }
  assert {
    condition = jsondecode(aws_iam_role_policy.this.policy).Statement[2] == {
      Sid      = "UseScheduleKey"
      Effect   = "Allow"
      Action   = ["kms:Decrypt", "kms:GenerateDataKey"]
      Resource = ["arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"]
    }
    error_message = "The role must decrypt the input and encrypt dead letters with that key only."
  }
  assert {
    condition     = length(jsondecode(aws_iam_role_policy.this.policy).Statement) == 3
    error_message = "The key adds one statement to the target and queue statements."
  }
}

run "a_given_queue_is_used_and_granted_and_nothing_is_created" {
  command = apply

  variables {
    dead_letter_queue_arn = "arn:aws:sqs:eu-west-1:123456789012:slipway-test-schedules-dlq"
    kms_key_arn           = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  }

  assert {
    condition = (
      aws_scheduler_schedule.this.target[0].dead_letter_config[0].arn == "arn:aws:sqs:eu-west-1:123456789012:slipway-test-schedules-dlq" &&
      length(aws_sqs_queue.dead_letter) == 0 &&
      length(aws_cloudwatch_metric_alarm.dlq_depth) == 0 &&
      output.alarm_arns == {}
    )
    error_message = "With dead_letter_queue_arn the schedule writes there; no queue and no depth alarm are created (the queue's owner alarms it)."
  }
  assert {
    condition = jsondecode(aws_iam_role_policy.this.policy).Statement == [
      {
        Sid      = "StartStateMachineExecution"
        Effect   = "Allow"
        Action   = ["states:StartExecution"]
        Resource = ["arn:aws:states:eu-west-1:123456789012:stateMachine:slipway-test-etl"]
      },
      {
        Sid      = "SendDeadLetters"
        Effect   = "Allow"
        Action   = ["sqs:SendMessage"]
        Resource = ["arn:aws:sqs:eu-west-1:123456789012:slipway-test-schedules-dlq"]
      },
      {
        Sid      = "UseScheduleKey"
        Effect   = "Allow"
        Action   = ["kms:Decrypt"]
        Resource = ["arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"]
      },
    ]
    error_message = "The role may send to exactly the given queue; the key only decrypts the input (the given queue's key is its owner's)."
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
      for a in concat(aws_cloudwatch_metric_alarm.dlq_depth) : a.alarm_name => substr(a.alarm_description, length(a.alarm_description) - length(" Runbook: docs/runbooks/test.md#${a.alarm_name}"), -1)
      } == {
      "slipway-test-etl-schedule-dlq-depth" = " Runbook: docs/runbooks/test.md#slipway-test-etl-schedule-dlq-depth"
    }
    error_message = "Every alarm's description must end with ' Runbook: <runbook>#<its own name>'."
  }

  assert {
    condition     = toset(output.alarm_names) == toset(["slipway-test-etl-schedule-dlq-depth"]) && length(output.alarm_names) == 1
    error_message = "alarm_names must list every alarm of the module once."
  }
}

run "no_runbook_no_link" {
  command = apply

  assert {
    condition     = alltrue([for a in concat(aws_cloudwatch_metric_alarm.dlq_depth) : !strcontains(a.alarm_description, "Runbook:")])
    error_message = "Without runbook no description links one."
  }
}
