# With account_id, the whole role policy is known at plan time (governance reads plan JSON).
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
}

run "policy_known_at_plan_with_account_id" {
  # command = plan: every assertion below would be unknown if the policy depended on apply.
  command = plan

  variables {
    account_id = "123456789012"
  }

  assert {
    condition = [for s in jsondecode(output.policy_json).Statement : s.Resource if s.Sid != "WriteTraces"] == [
      ["arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/slipway-test-fn:*"],
      ["arn:aws:sqs:eu-west-1:123456789012:slipway-test-fn-dlq"],
    ]
    error_message = "With account_id the log group and queue ARNs are built, so the policy is known at plan time."
  }

  assert {
    condition     = aws_iam_role_policy.this.policy == output.policy_json
    error_message = "The planned role policy is the readable one."
  }
}

run "policy_known_at_plan_with_existing_target" {
  command = plan

  variables {
    account_id               = "123456789012"
    create_dead_letter_queue = false
    dead_letter_target_arn   = "arn:aws:sqs:eu-west-1:123456789012:slipway-test-failures"
  }

  assert {
    condition     = [for s in jsondecode(output.policy_json).Statement : s.Resource if s.Sid == "SendToDeadLetterTarget"][0] == ["arn:aws:sqs:eu-west-1:123456789012:slipway-test-failures"]
    error_message = "An existing target is used as given."
  }
}
