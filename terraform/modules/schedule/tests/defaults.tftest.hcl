# Secure defaults and generated IAM, asserted on a mock apply (no AWS calls, no credentials).
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
}

run "runs_at_a_fixed_time_in_an_explicit_time_zone" {
  command = apply

  assert {
    condition     = aws_scheduler_schedule.this.schedule_expression_timezone == "Europe/Paris"
    error_message = "The schedule must run in the time zone it was given."
  }
  assert {
    condition     = aws_scheduler_schedule.this.flexible_time_window[0].mode == "OFF"
    error_message = "A nightly batch must not drift within a flexible window."
  }
  assert {
    condition     = aws_scheduler_schedule.this.target[0].retry_policy[0].maximum_retry_attempts == 5
    error_message = "A failed StartExecution must be retried."
  }
  assert {
    condition     = jsondecode(aws_scheduler_schedule.this.target[0].input).scheduledTime == "<aws.scheduler.scheduled-time>"
    error_message = "The input must carry the scheduled time placeholder."
  }
}

run "role_may_only_start_that_state_machine_for_that_schedule" {
  command = apply

  assert {
    condition = jsondecode(aws_iam_role_policy.this.policy).Statement == [{
      Sid      = "StartStateMachineExecution"
      Effect   = "Allow"
      Action   = ["states:StartExecution"]
      Resource = ["arn:aws:states:eu-west-1:123456789012:stateMachine:slipway-test-etl"]
    }]
    error_message = "The role must allow states:StartExecution on the one state machine and nothing else."
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

run "a_kms_key_encrypts_the_input_and_the_role_may_decrypt_with_it" {
  command = apply

  variables {
    kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  }

  assert {
    condition     = aws_scheduler_schedule.this.kms_key_arn == "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    error_message = "The schedule must use the key it was given."
  }
  assert {
    condition     = jsondecode(aws_iam_role_policy.this.policy).Statement[1].Action == ["kms:Decrypt"]
    error_message = "The role must be allowed to decrypt with that key only."
  }
}
