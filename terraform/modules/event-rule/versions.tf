terraform {
  # 1.10: cross-variable validation (1.9) and mock_provider overrides in `terraform test` (1.7).
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # retry_policy, dead_letter_config and input_transformer on aws_cloudwatch_event_target and
      # sqs_managed_sse_enabled on aws_sqs_queue are stable across 5.x; 5.70 is the floor we
      # support.
      version = ">= 5.70, < 7.0"
    }
  }
}
