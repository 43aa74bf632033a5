# With account_id the permission's source_arn and the queue policy are known at plan time
# (governance reads plan JSON: SLW-LAMBDA-008 and SLW-PLAN-002 need the values, not "known after
# apply"). Only the offline data sources are mocked: resource attributes stay unknown during
# plan, as with the real provider, so an assertion fails if a value needed apply.
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
  alarm_actions  = ["arn:aws:sns:eu-west-1:123456789012:slipway-test-alarms"]
}

run "permission_and_queue_policy_known_at_plan" {
  command = plan

  assert {
    condition     = aws_lambda_permission.this.source_arn == "arn:aws:events:eu-west-1:123456789012:rule/slipway-test-sessions/slipway-test-welcome-email-1"
    error_message = "The permission's source_arn is built from account_id: rule/<bus>/<name> on a custom bus."
  }

  assert {
    condition = (
      aws_sqs_queue_policy.dead_letter[0].policy == output.dead_letter_queue_policy_json &&
      jsondecode(output.dead_letter_queue_policy_json).Statement[0].Resource == "arn:aws:sqs:eu-west-1:123456789012:slipway-test-welcome-email-1-dlq" &&
      jsondecode(output.dead_letter_queue_policy_json).Statement[0].Condition.ArnEquals["aws:SourceArn"] == "arn:aws:events:eu-west-1:123456789012:rule/slipway-test-sessions/slipway-test-welcome-email-1"
    )
    error_message = "The queue policy names the built queue and rule ARNs, so the plan shows it."
  }

  assert {
    condition = (
      aws_cloudwatch_event_target.this.dead_letter_config[0].arn == "arn:aws:sqs:eu-west-1:123456789012:slipway-test-welcome-email-1-dlq" &&
      aws_cloudwatch_event_target.this.retry_policy[0].maximum_retry_attempts == 3
    )
    error_message = "SLW-EVT-001 reads the target's dead_letter_config and retry_policy from the plan: they must be known there."
  }
}

run "default_bus_rule_arn_at_plan" {
  command = plan

  variables {
    event_bus_name = "default"
  }

  assert {
    condition     = output.rule_arn == "arn:aws:events:eu-west-1:123456789012:rule/slipway-test-welcome-email-1"
    error_message = "Rules on the default bus have ARNs rule/<name>, and source_arn must match that."
  }
}
