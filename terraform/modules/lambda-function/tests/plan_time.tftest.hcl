# The trust policy and the whole role policy are known at plan time (governance reads plan JSON).
# This file mocks only the offline data sources: resource attributes stay unknown during plan, as
# with the real provider, so an assertion here fails if the policy depended on apply.
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
  function_name    = "slipway-test-fn"
  filename         = "dist/apps/test-fn/test-fn.zip"
  source_code_hash = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
  account_id       = "123456789012"
  alarm_actions    = ["arn:aws:sns:eu-west-1:123456789012:slipway-test-alarms"]
}

run "policy_known_at_plan" {
  # command = plan: every assertion below would be unknown if the policy depended on apply.
  command = plan

  assert {
    condition = [for s in jsondecode(output.policy_json).Statement : s.Resource if s.Sid != "WriteTraces"] == [
      ["arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/slipway-test-fn:*"],
      ["arn:aws:sqs:eu-west-1:123456789012:slipway-test-fn-dlq"],
    ]
    error_message = "The log group and queue ARNs are built from account_id, so the policy is known at plan time."
  }

  assert {
    condition     = aws_iam_role_policy.this.policy == output.policy_json
    error_message = "The planned role policy is the readable one."
  }

  assert {
    condition     = jsondecode(aws_iam_role.this.assume_role_policy).Statement[0].Condition == { StringEquals = { "aws:SourceAccount" = "123456789012" } }
    error_message = "The trust policy's aws:SourceAccount condition is known at plan time."
  }
}

run "policy_known_at_plan_with_existing_target" {
  command = plan

  variables {
    create_dead_letter_queue = false
    dead_letter_target_arn   = "arn:aws:sqs:eu-west-1:123456789012:slipway-test-failures"
  }

  assert {
    condition     = [for s in jsondecode(output.policy_json).Statement : s.Resource if s.Sid == "SendToDeadLetterTarget"][0] == ["arn:aws:sqs:eu-west-1:123456789012:slipway-test-failures"]
    error_message = "An existing target is used as given."
  }
}
