# Every constrained input rejects bad values at plan time with its own message.
# Prepare: the valid fixture below. Act: each run breaks one field. Assess: expect_failures.
mock_provider "aws" {}

variables {
  table_name = "slipway-test-idempotency"
  hash_key   = "id"
  range_key  = "created_at"
  global_secondary_indexes = [
    { name = "by-owner", hash_key = "owner", range_key = "created_at", projection_type = "INCLUDE", non_key_attributes = ["title"] },
  ]
  alarm_actions = ["arn:aws:sns:eu-west-1:123456789012:slipway-test-alerts"]
}

run "valid_fixture_plans" {
  command = plan
}

run "rejects_table_name_too_short" {
  command = plan

  variables {
    table_name = "ab"
  }

  expect_failures = [var.table_name]
}

run "rejects_table_name_bad_chars" {
  command = plan

  variables {
    table_name = "slipway test/idempotency"
  }

  expect_failures = [var.table_name]
}

run "rejects_table_name_too_long" {
  command = plan

  variables {
    table_name = join("", [for i in range(26) : "abcdefghij"])
  }

  expect_failures = [var.table_name]
}

run "rejects_hash_key_empty" {
  command = plan

  variables {
    hash_key = ""
  }

  expect_failures = [var.hash_key]
}

run "rejects_hash_key_type_unknown" {
  command = plan

  variables {
    hash_key_type = "BOOL"
  }

  expect_failures = [var.hash_key_type]
}

run "rejects_hash_key_type_lowercase" {
  command = plan

  variables {
    hash_key_type = "s"
  }

  expect_failures = [var.hash_key_type]
}

run "rejects_range_key_type_unknown" {
  command = plan

  variables {
    range_key_type = "SS"
  }

  expect_failures = [var.range_key_type]
}

run "rejects_range_key_same_as_hash_key" {
  command = plan

  variables {
    range_key = "id"
  }

  expect_failures = [var.range_key]
}

run "rejects_ttl_attribute_empty" {
  command = plan

  variables {
    ttl_attribute = ""
  }

  expect_failures = [var.ttl_attribute]
}

run "rejects_gsi_duplicate_names" {
  command = plan

  variables {
    global_secondary_indexes = [
      { name = "by-owner", hash_key = "owner" },
      { name = "by-owner", hash_key = "status" },
    ]
  }

  expect_failures = [var.global_secondary_indexes]
}

run "rejects_gsi_bad_name" {
  command = plan

  variables {
    global_secondary_indexes = [{ name = "by owner", hash_key = "owner" }]
  }

  expect_failures = [var.global_secondary_indexes]
}

run "rejects_gsi_bad_key_type" {
  command = plan

  variables {
    global_secondary_indexes = [{ name = "by-owner", hash_key = "owner", hash_key_type = "M" }]
  }

  expect_failures = [var.global_secondary_indexes]
}

run "rejects_gsi_range_key_same_as_hash_key" {
  command = plan

  variables {
    global_secondary_indexes = [{ name = "by-owner", hash_key = "owner", range_key = "owner" }]
  }

  expect_failures = [var.global_secondary_indexes]
}

run "rejects_gsi_key_type_conflicting_with_table" {
  command = plan

  variables {
    # created_at is the table's sort key as a string (range_key_type default "S").
    global_secondary_indexes = [{ name = "by-owner", hash_key = "owner", range_key = "created_at", range_key_type = "N" }]
  }

  expect_failures = [var.global_secondary_indexes]
}

run "rejects_gsi_key_type_conflicting_between_indexes" {
  command = plan

  variables {
    global_secondary_indexes = [
      { name = "by-size", hash_key = "size", hash_key_type = "N" },
      { name = "by-owner-size", hash_key = "owner", range_key = "size" },
    ]
  }

  expect_failures = [var.global_secondary_indexes]
}

run "rejects_gsi_unknown_projection" {
  command = plan

  variables {
    global_secondary_indexes = [{ name = "by-owner", hash_key = "owner", projection_type = "SOME" }]
  }

  expect_failures = [var.global_secondary_indexes]
}

run "rejects_gsi_non_key_attributes_without_include" {
  command = plan

  variables {
    global_secondary_indexes = [{ name = "by-owner", hash_key = "owner", projection_type = "ALL", non_key_attributes = ["title"] }]
  }

  expect_failures = [var.global_secondary_indexes]
}

run "rejects_gsi_include_without_non_key_attributes" {
  command = plan

  variables {
    global_secondary_indexes = [{ name = "by-owner", hash_key = "owner", projection_type = "INCLUDE" }]
  }

  expect_failures = [var.global_secondary_indexes]
}

run "rejects_kms_key_alias" {
  command = plan

  variables {
    kms_key_arn = "alias/aws/dynamodb"
  }

  expect_failures = [var.kms_key_arn]
}

run "rejects_alarm_actions_empty" {
  # An alarm without an action changes state and pages no one (SLW-CW-001).
  command = plan

  variables {
    alarm_actions = []
  }

  expect_failures = [var.alarm_actions]
}

run "rejects_alarm_action_not_sns" {
  command = plan

  variables {
    alarm_actions = ["arn:aws:lambda:eu-west-1:123456789012:function:pager"]
  }

  expect_failures = [var.alarm_actions]
}

run "rejects_alarm_action_bare_topic_name" {
  command = plan

  variables {
    alarm_actions = ["slipway-test-alerts"]
  }

  expect_failures = [var.alarm_actions]
}

run "rejects_tag_key_aws_prefix" {
  command = plan

  variables {
    tags = { "aws:owner" = "me" }
  }

  expect_failures = [var.tags]
}

run "rejects_runbook_with_anchor" {
  command = plan

  variables {
    runbook = "docs/runbooks/test.md#x"
  }

  expect_failures = [var.runbook]
}

run "rejects_runbook_outside_the_tree" {
  command = plan

  variables {
    runbook = "../runbooks/test.md"
  }

  expect_failures = [var.runbook]
}
