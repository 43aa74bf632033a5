# The role policy is known at plan time (governance reads plan JSON) whenever the given ARNs are.
# Nothing is mocked beyond the provider itself: resource attributes stay unknown during plan.
mock_provider "aws" {}

variables {
  name                 = "slipway-test-flow"
  definition           = file("tests/fixtures/hello.asl.json")
  account_id           = "123456789012"
  lambda_function_arns = ["arn:aws:lambda:eu-west-1:123456789012:function:slipway-test-hello"]
  event_bus_arns       = ["arn:aws:events:eu-west-1:123456789012:event-bus/slipway-test"]
  alarm_actions        = ["arn:aws:sns:eu-west-1:123456789012:slipway-test-alarms"]
}

run "policy_known_at_plan" {
  command = plan

  assert {
    condition     = [for s in jsondecode(output.policy_json).Statement : s.Sid] == ["InvokeLambdaFunctions", "PutEventsToBuses", "DeliverLogs", "WriteTraces"]
    error_message = "The role policy must be readable in the plan."
  }

  assert {
    condition     = aws_iam_role_policy.this.policy == output.policy_json
    error_message = "The planned role policy is the readable one."
  }

  assert {
    condition = (
      jsondecode(aws_iam_role.this.assume_role_policy).Statement[0].Condition.StringEquals == { "aws:SourceAccount" = "123456789012" } &&
      length(jsondecode(aws_iam_role.this.assume_role_policy).Statement[0].Condition.ArnLike["aws:SourceArn"]) == 2
    )
    error_message = "The trust conditions are known at plan time: the state machine's ARN is built, not read back."
  }
}
