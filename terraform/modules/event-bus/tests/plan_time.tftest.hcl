# With account_id the bus and archive ARNs are known at plan time, so the policies of other
# modules that use them (state-machine event_bus_arns) are readable in the plan JSON.
# Only the offline data sources are mocked: resource attributes stay unknown during plan.
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
  name       = "slipway-test-media"
  account_id = "123456789012"
}

run "arns_known_at_plan_with_account_id" {
  command = plan

  assert {
    condition     = output.bus_arn == "arn:aws:events:eu-west-1:123456789012:event-bus/slipway-test-media"
    error_message = "With account_id the bus ARN is built, so it is known at plan time."
  }

  assert {
    condition     = output.archive_arn == "arn:aws:events:eu-west-1:123456789012:archive/slipway-test-media-archive"
    error_message = "With account_id the archive ARN is built, so it is known at plan time."
  }
}
