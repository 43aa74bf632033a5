# The bucket policy is known at plan time (governance reads plan JSON). Only the offline data
# source is mocked: resource attributes stay unknown during plan, as with the real provider.
mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = {
      partition = "aws"
    }
  }
}

variables {
  bucket_name = "slipway-test-media"
}

run "policy_known_at_plan" {
  command = plan

  assert {
    condition     = jsondecode(output.policy_json).Statement[0].Resource == ["arn:aws:s3:::slipway-test-media", "arn:aws:s3:::slipway-test-media/*"]
    error_message = "The bucket policy must be known at plan time (built from the bucket name) so governance can read it."
  }
}
