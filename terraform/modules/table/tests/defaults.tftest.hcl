# Secure defaults, asserted on a mock apply (no AWS calls, no credentials).
mock_provider "aws" {
  # Realistic ARNs so the output assertions read like the real thing.
  mock_resource "aws_dynamodb_table" {
    defaults = {
      arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/slipway-test-idempotency"
      # What AWS reports when no key is configured: the AWS managed key aws/dynamodb. A key the
      # module passes wins over this default, so seeing it proves the module passed none.
      server_side_encryption = { kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/aws-managed-dynamodb" }
    }
  }
}

variables {
  table_name    = "slipway-test-idempotency"
  hash_key      = "id"
  alarm_actions = ["arn:aws:sns:eu-west-1:123456789012:slipway-test-alarms"]
}

run "secure_defaults" {
  command = apply

  assert {
    condition     = aws_dynamodb_table.this.billing_mode == "PAY_PER_REQUEST"
    error_message = "Tables are always on-demand."
  }

  assert {
    condition     = aws_dynamodb_table.this.server_side_encryption[0].enabled == true && aws_dynamodb_table.this.server_side_encryption[0].kms_key_arn == "arn:aws:kms:eu-west-1:123456789012:key/aws-managed-dynamodb"
    error_message = "Encryption at rest must be on with the AWS managed KMS key by default (enabled = true, no key ARN passed)."
  }

  assert {
    condition     = aws_dynamodb_table.this.point_in_time_recovery[0].enabled == true
    error_message = "Point-in-time recovery must be on by default."
  }

  assert {
    condition     = aws_dynamodb_table.this.deletion_protection_enabled == true
    error_message = "Deletion protection must be on by default."
  }

  assert {
    condition     = aws_dynamodb_table.this.ttl[0].enabled == false && aws_dynamodb_table.this.ttl[0].attribute_name == null
    error_message = "TTL is off unless ttl_attribute is set."
  }

  assert {
    condition     = aws_dynamodb_table.this.hash_key == "id" && aws_dynamodb_table.this.range_key == null
    error_message = "The table is keyed by hash_key only when no range_key is given."
  }

  assert {
    condition     = aws_dynamodb_table.this.attribute == toset([{ name = "id", type = "S" }])
    error_message = "Only the key attribute is defined, as a string by default."
  }

  assert {
    condition     = length(aws_dynamodb_table.this.global_secondary_index) == 0
    error_message = "No GSIs unless asked for."
  }

  assert {
    condition = (
      output.table_name == "slipway-test-idempotency" &&
      output.table_arn == "arn:aws:dynamodb:eu-west-1:123456789012:table/slipway-test-idempotency"
    )
    error_message = "Outputs must be the table's name and ARN."
  }
}

run "alarms" {
  command = apply

  variables {
    alarm_actions = ["arn:aws:sns:eu-west-1:123456789012:slipway-test-alerts"]
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.read_throttles.alarm_name == "slipway-test-idempotency-read-throttles" &&
      aws_cloudwatch_metric_alarm.write_throttles.alarm_name == "slipway-test-idempotency-write-throttles" &&
      aws_cloudwatch_metric_alarm.system_errors.alarm_name == "slipway-test-idempotency-system-errors"
    )
    error_message = "Alarms are named <table_name>-read-throttles, -write-throttles and -system-errors."
  }

  assert {
    condition = alltrue([for a in [aws_cloudwatch_metric_alarm.read_throttles, aws_cloudwatch_metric_alarm.write_throttles] : (
      a.namespace == "AWS/DynamoDB" &&
      a.dimensions == tomap({ TableName = "slipway-test-idempotency" }) &&
      a.statistic == "Sum" &&
      a.period == 300 &&
      a.evaluation_periods == 1 &&
      a.threshold == 0 &&
      a.comparison_operator == "GreaterThanThreshold" &&
      a.treat_missing_data == "notBreaching"
    )])
    error_message = "Throttle alarms fire on a Sum > 0 of the table's metric over 5 minutes; no data is not breaching."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.read_throttles.metric_name == "ReadThrottleEvents" &&
      aws_cloudwatch_metric_alarm.write_throttles.metric_name == "WriteThrottleEvents"
    )
    error_message = "One alarm per throttle metric."
  }

  assert {
    condition = (
      one(aws_cloudwatch_metric_alarm.system_errors.metric_query).expression == "SELECT SUM(SystemErrors) FROM SCHEMA(\"AWS/DynamoDB\", Operation, TableName) WHERE TableName = 'slipway-test-idempotency'" &&
      one(aws_cloudwatch_metric_alarm.system_errors.metric_query).period == 300 &&
      one(aws_cloudwatch_metric_alarm.system_errors.metric_query).return_data == true &&
      aws_cloudwatch_metric_alarm.system_errors.threshold == 0 &&
      aws_cloudwatch_metric_alarm.system_errors.comparison_operator == "GreaterThanThreshold" &&
      aws_cloudwatch_metric_alarm.system_errors.treat_missing_data == "notBreaching"
    )
    error_message = "SystemErrors (published per TableName and Operation) is summed over every operation of the table by a Metrics Insights query, > 0 over 5 minutes."
  }

  assert {
    condition = alltrue([for a in [aws_cloudwatch_metric_alarm.read_throttles, aws_cloudwatch_metric_alarm.write_throttles, aws_cloudwatch_metric_alarm.system_errors] : (
      a.alarm_actions == toset(["arn:aws:sns:eu-west-1:123456789012:slipway-test-alerts"]) &&
      a.ok_actions == toset(["arn:aws:sns:eu-west-1:123456789012:slipway-test-alerts"])
    )])
    error_message = "Every alarm notifies alarm_actions on ALARM and on OK."
  }

  assert {
    condition     = keys(output.alarm_arns) == ["read_throttles", "system_errors", "write_throttles"]
    error_message = "alarm_arns must list every alarm by kind."
  }
}

run "ttl_cmk_range_key_and_opt_outs" {
  command = apply

  variables {
    range_key              = "created_at"
    range_key_type         = "N"
    ttl_attribute          = "expiration"
    kms_key_arn            = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    point_in_time_recovery = false
    deletion_protection    = false
    tags                   = { domain = "edge" }
  }

  assert {
    condition     = aws_dynamodb_table.this.ttl[0].enabled == true && aws_dynamodb_table.this.ttl[0].attribute_name == "expiration"
    error_message = "ttl_attribute enables TTL on that attribute."
  }

  assert {
    condition     = aws_dynamodb_table.this.server_side_encryption[0].enabled == true && aws_dynamodb_table.this.server_side_encryption[0].kms_key_arn == "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    error_message = "The given customer managed key must encrypt the table."
  }

  assert {
    condition     = aws_dynamodb_table.this.range_key == "created_at" && aws_dynamodb_table.this.attribute == toset([{ name = "id", type = "S" }, { name = "created_at", type = "N" }])
    error_message = "range_key and its type reach the key schema and the attribute definitions."
  }

  assert {
    condition     = aws_dynamodb_table.this.point_in_time_recovery[0].enabled == false && aws_dynamodb_table.this.deletion_protection_enabled == false
    error_message = "point_in_time_recovery and deletion_protection can be turned off (dev)."
  }

  assert {
    condition     = aws_dynamodb_table.this.tags == tomap({ domain = "edge" }) && aws_cloudwatch_metric_alarm.system_errors.tags == tomap({ domain = "edge" })
    error_message = "Tags must reach the table and its alarms."
  }
}

run "gsi_attributes_derived_and_deduplicated" {
  command = apply

  variables {
    range_key = "created_at"
    global_secondary_indexes = [
      # Shares created_at with the table's sort key and owner with the next index.
      { name = "by-owner", hash_key = "owner", range_key = "created_at" },
      { name = "by-owner-status", hash_key = "owner", range_key = "status", projection_type = "INCLUDE", non_key_attributes = ["title", "size"] },
      { name = "by-size", hash_key = "size", hash_key_type = "N", projection_type = "KEYS_ONLY" },
    ]
  }

  assert {
    condition = aws_dynamodb_table.this.attribute == toset([
      { name = "id", type = "S" },
      { name = "created_at", type = "S" },
      { name = "owner", type = "S" },
      { name = "status", type = "S" },
      { name = "size", type = "N" },
    ])
    error_message = "Attribute definitions are exactly the keys of the table and its indexes, each once, with its type."
  }

  assert {
    condition = {
      for g in aws_dynamodb_table.this.global_secondary_index :
      g.name => "${g.hash_key} ${coalesce(g.range_key, "-")} ${g.projection_type} ${g.non_key_attributes == null ? "-" : join(",", sort(g.non_key_attributes))}"
      } == {
      "by-owner"        = "owner created_at ALL -"
      "by-owner-status" = "owner status INCLUDE size,title"
      "by-size"         = "size - KEYS_ONLY -"
    }
    error_message = "Indexes are rendered as given: ALL by default, non_key_attributes only with INCLUDE."
  }
}

run "long_table_name_alarms_fit" {
  command = plan

  variables {
    table_name = "slipway-test-${join("", [for i in range(24) : "abcdefghij"])}"
  }

  assert {
    condition = alltrue([for a in [aws_cloudwatch_metric_alarm.read_throttles, aws_cloudwatch_metric_alarm.write_throttles, aws_cloudwatch_metric_alarm.system_errors] : (
      length(a.alarm_name) <= 255 && startswith(a.alarm_name, "slipway-test-abcdefghij")
    )])
    error_message = "Alarm names of a 253-character table keep its start and stay within CloudWatch's 255 characters."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.write_throttles.alarm_name == "${substr(var.table_name, 0, 230)}-${substr(sha1(var.table_name), 0, 8)}-write-throttles"
    error_message = "Long names are cut at 230 characters and get a stable 8-character hash."
  }
}

# The alarms link their own section of the domain's runbook (tools/runbooks writes it).
run "runbook_links_every_alarm" {
  command = apply

  variables {
    runbook = "docs/runbooks/test.md"
  }

  assert {
    condition = {
      for a in concat([aws_cloudwatch_metric_alarm.read_throttles, aws_cloudwatch_metric_alarm.write_throttles, aws_cloudwatch_metric_alarm.system_errors]) : a.alarm_name => substr(a.alarm_description, length(a.alarm_description) - length(" Runbook: docs/runbooks/test.md#${a.alarm_name}"), -1)
      } == {
      "slipway-test-idempotency-read-throttles"  = " Runbook: docs/runbooks/test.md#slipway-test-idempotency-read-throttles"
      "slipway-test-idempotency-write-throttles" = " Runbook: docs/runbooks/test.md#slipway-test-idempotency-write-throttles"
      "slipway-test-idempotency-system-errors"   = " Runbook: docs/runbooks/test.md#slipway-test-idempotency-system-errors"
    }
    error_message = "Every alarm's description must end with ' Runbook: <runbook>#<its own name>'."
  }

  assert {
    condition     = toset(output.alarm_names) == toset(["slipway-test-idempotency-read-throttles", "slipway-test-idempotency-write-throttles", "slipway-test-idempotency-system-errors"]) && length(output.alarm_names) == 3
    error_message = "alarm_names must list every alarm of the module once."
  }
}

run "no_runbook_no_link" {
  command = apply

  assert {
    condition     = alltrue([for a in concat([aws_cloudwatch_metric_alarm.read_throttles, aws_cloudwatch_metric_alarm.write_throttles, aws_cloudwatch_metric_alarm.system_errors]) : !strcontains(a.alarm_description, "Runbook:")])
    error_message = "Without runbook no description links one."
  }
}
