# The trust policy, the role policy and the queue policy are known at plan time
# (governance reads plan JSON), also when the stacks call the module with depends_on. Nothing is
# mocked: resource attributes stay unknown during plan, as with the real provider, so an
# assertion fails if a policy needed apply.
mock_provider "aws" {}

variables {
  name              = "slipway-test-media-trigger"
  state_machine_arn = "arn:aws:states:eu-west-1:123456789012:stateMachine:slipway-test-media"
  event_pattern     = jsonencode({ source = ["aws.s3"], "detail-type" = ["Object Created"] })
  account_id        = "123456789012"
  alarm_actions     = ["arn:aws:sns:eu-west-1:123456789012:slipway-test-alarms"]
}

run "policies_known_at_plan_on_default_bus" {
  command = plan

  assert {
    condition = jsondecode(aws_iam_role.this.assume_role_policy).Statement[0].Condition == {
      ArnEquals    = { "aws:SourceArn" = "arn:aws:events:eu-west-1:123456789012:rule/slipway-test-media-trigger" }
      StringEquals = { "aws:SourceAccount" = "123456789012" }
    }
    error_message = "The trust policy names this rule and account_id, and is known at plan time."
  }

  assert {
    condition     = aws_iam_role_policy.this.policy == output.policy_json && jsondecode(output.policy_json).Statement[0].Resource == ["arn:aws:states:eu-west-1:123456789012:stateMachine:slipway-test-media"]
    error_message = "The planned role policy is the readable one."
  }

  assert {
    condition = (
      aws_sqs_queue_policy.dead_letter[0].policy == output.dead_letter_queue_policy_json &&
      jsondecode(output.dead_letter_queue_policy_json).Statement[0].Resource == "arn:aws:sqs:eu-west-1:123456789012:slipway-test-media-trigger-dlq" &&
      output.dead_letter_queue_arn == "arn:aws:sqs:eu-west-1:123456789012:slipway-test-media-trigger-dlq"
    )
    error_message = "The queue ARN is built from account_id, so the queue policy is known at plan time."
  }

  assert {
    condition     = output.rule_arn == "arn:aws:events:eu-west-1:123456789012:rule/slipway-test-media-trigger"
    error_message = "Rules on the default bus have ARNs rule/<name>."
  }
}

run "rule_arn_on_custom_bus" {
  command = plan

  variables {
    event_bus_name = "slipway-test-media"
  }

  assert {
    condition     = output.rule_arn == "arn:aws:events:eu-west-1:123456789012:rule/slipway-test-media/slipway-test-media-trigger"
    error_message = "Rules on a custom bus have ARNs rule/<bus>/<name>, and aws:SourceArn must match that."
  }
}
