# The trust and role policies are built from inputs only, so they are known at plan time
# (governance reads plan JSON). Resource attributes stay unknown during plan, as with the real
# provider, so an assertion here fails if a policy depended on apply.
mock_provider "aws" {}

variables {
  name               = "slipway-test-media-mediaconvert"
  input_object_arns  = ["arn:aws:s3:::slipway-test-media/uploads/*"]
  output_object_arns = ["arn:aws:s3:::slipway-test-media/derived/*"]
  account_id         = "123456789012"
}

run "policies_known_at_plan" {
  command = plan

  assert {
    condition     = jsondecode(aws_iam_role.this.assume_role_policy).Statement[0].Condition.StringEquals["aws:SourceAccount"] == "123456789012"
    error_message = "The trust policy must be readable in the plan."
  }

  assert {
    condition     = aws_iam_role_policy.this.policy == output.policy_json && [for s in jsondecode(output.policy_json).Statement : s.Sid] == ["ReadInputObjects", "WriteOutputObjects"]
    error_message = "The planned role policy is the readable one."
  }
}
