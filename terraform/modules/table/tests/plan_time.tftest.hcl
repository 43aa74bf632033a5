# What governance reads in the plan JSON is known at plan time: encryption, point-in-time
# recovery, deletion protection, TTL and the attribute definitions come from configuration, not
# from AWS. No mock_resource overrides: resource attributes stay unknown unless configured, as
# with the real provider, so an unknown value here fails the run ("Unknown condition value").
mock_provider "aws" {}

variables {
  table_name    = "slipway-test-idempotency"
  hash_key      = "id"
  ttl_attribute = "expiration"
  global_secondary_indexes = [
    { name = "by-owner", hash_key = "owner" },
  ]
  alarm_actions = ["arn:aws:sns:eu-west-1:123456789012:slipway-test-alarms"]
}

run "governed_settings_known_at_plan" {
  command = plan

  assert {
    condition = (
      aws_dynamodb_table.this.billing_mode == "PAY_PER_REQUEST" &&
      aws_dynamodb_table.this.server_side_encryption[0].enabled == true &&
      aws_dynamodb_table.this.point_in_time_recovery[0].enabled == true &&
      aws_dynamodb_table.this.deletion_protection_enabled == true
    )
    error_message = "SLW-DDB-001..003 read server_side_encryption, point_in_time_recovery and deletion_protection_enabled from the plan: they must be known there."
  }

  assert {
    condition     = aws_dynamodb_table.this.ttl[0].enabled == true && aws_dynamodb_table.this.ttl[0].attribute_name == "expiration"
    error_message = "TTL is known at plan time."
  }

  assert {
    condition     = aws_dynamodb_table.this.attribute == toset([{ name = "id", type = "S" }, { name = "owner", type = "S" }])
    error_message = "Attribute definitions are derived from configuration, so the plan shows them."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.system_errors.alarm_name == "slipway-test-idempotency-system-errors" && aws_cloudwatch_metric_alarm.read_throttles.dimensions == tomap({ TableName = "slipway-test-idempotency" })
    error_message = "Alarm names and dimensions are known at plan time."
  }
}
