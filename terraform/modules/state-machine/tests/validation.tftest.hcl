# Every constrained input rejects bad values at plan time with its own message.
# Prepare: the valid fixture below. Act: each run breaks one field. Assess: expect_failures.
mock_provider "aws" {}

variables {
  name                 = "slipway-test-flow"
  definition           = file("tests/fixtures/hello.asl.json")
  account_id           = "123456789012"
  lambda_function_arns = ["arn:aws:lambda:eu-west-1:123456789012:function:slipway-test-hello"]
  alarm_actions        = ["arn:aws:sns:eu-west-1:123456789012:slipway-test-alarms"]
}

run "valid_fixture_plans" {
  command = plan
}

run "rejects_name_too_long" {
  command = plan

  variables {
    name = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
  }

  expect_failures = [var.name]
}

run "rejects_name_bad_chars" {
  command = plan

  variables {
    name = "slipway test/flow"
  }

  expect_failures = [var.name]
}

run "rejects_definition_not_json" {
  command = plan

  variables {
    definition = "StartAt: SayHello"
  }

  expect_failures = [var.definition]
}

run "rejects_definition_without_states" {
  command = plan

  variables {
    definition = jsonencode({ StartAt = "SayHello" })
  }

  expect_failures = [var.definition]
}

run "rejects_definition_start_at_missing_state" {
  command = plan

  variables {
    definition = jsonencode({ StartAt = "Nope", States = { SayHello = { Type = "Succeed" } } })
  }

  expect_failures = [var.definition]
}

run "rejects_definition_jsonata" {
  command = plan

  variables {
    definition = jsonencode({ QueryLanguage = "JSONata", StartAt = "A", States = { A = { Type = "Succeed" } } })
  }

  expect_failures = [var.definition]
}

run "rejects_type_lowercase" {
  command = plan

  variables {
    type = "standard"
  }

  expect_failures = [var.type]
}

run "rejects_lambda_arn_qualified" {
  command = plan

  variables {
    lambda_function_arns = ["arn:aws:lambda:eu-west-1:123456789012:function:slipway-test-hello:live"]
  }

  expect_failures = [var.lambda_function_arns]
}

run "rejects_lambda_arn_wildcard" {
  command = plan

  variables {
    lambda_function_arns = ["arn:aws:lambda:eu-west-1:123456789012:function:*"]
  }

  expect_failures = [var.lambda_function_arns]
}

run "rejects_lambda_arn_is_name" {
  command = plan

  variables {
    lambda_function_arns = ["slipway-test-hello"]
  }

  expect_failures = [var.lambda_function_arns]
}

run "rejects_event_bus_arn_is_rule" {
  command = plan

  variables {
    event_bus_arns = ["arn:aws:events:eu-west-1:123456789012:rule/slipway-test"]
  }

  expect_failures = [var.event_bus_arns]
}

run "rejects_policy_action_star" {
  command = plan

  variables {
    policy_statements = [{ sid = "All", actions = ["*"], resources = ["arn:aws:s3:::b/*"] }]
  }

  expect_failures = [var.policy_statements]
}

run "rejects_policy_action_service_star" {
  command = plan

  variables {
    policy_statements = [{ sid = "AllS3", actions = ["s3:*"], resources = ["arn:aws:s3:::b/*"] }]
  }

  expect_failures = [var.policy_statements]
}

run "rejects_policy_resource_star" {
  command = plan

  variables {
    policy_statements = [{ sid = "Read", actions = ["s3:GetObject"], resources = ["*"] }]
  }

  expect_failures = [var.policy_statements]
}

run "rejects_policy_sid_not_alphanumeric" {
  command = plan

  variables {
    policy_statements = [{ sid = "read_manifests", actions = ["s3:GetObject"], resources = ["arn:aws:s3:::b/*"] }]
  }

  expect_failures = [var.policy_statements]
}

run "rejects_policy_sid_duplicate" {
  command = plan

  variables {
    policy_statements = [{ sid = "Read", actions = ["s3:GetObject"], resources = ["arn:aws:s3:::b/*"] }, { sid = "Read", actions = ["s3:GetObject"], resources = ["arn:aws:s3:::c/*"] }]
  }

  expect_failures = [var.policy_statements]
}

run "rejects_policy_sid_reserved" {
  command = plan

  variables {
    policy_statements = [{ sid = "WriteTraces", actions = ["xray:PutTraceSegments"], resources = ["arn:aws:xray:eu-west-1:123456789012:group/x"] }]
  }

  expect_failures = [var.policy_statements]
}

run "rejects_policy_condition_incomplete" {
  command = plan

  variables {
    policy_statements = [{ sid = "Read", actions = ["s3:GetObject"], resources = ["arn:aws:s3:::b/*"], conditions = [{ test = "", variable = "aws:SourceAccount", values = ["1"] }] }]
  }

  expect_failures = [var.policy_statements]
}

run "rejects_permissions_boundary_not_policy_arn" {
  command = plan

  variables {
    permissions_boundary_arn = "slipway-test-boundary"
  }

  expect_failures = [var.permissions_boundary_arn]
}

run "rejects_log_retention_not_accepted" {
  command = plan

  variables {
    log_retention_in_days = 0
  }

  expect_failures = [var.log_retention_in_days]
}

run "rejects_log_kms_key_id_only" {
  command = plan

  variables {
    log_kms_key_arn = "1234abcd-12ab-34cd-56ef-1234567890ab"
  }

  expect_failures = [var.log_kms_key_arn]
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
    alarm_actions = ["slipway-test-alerts"]
  }

  expect_failures = [var.alarm_actions]
}

run "rejects_alarm_threshold_zero" {
  command = plan

  variables {
    alarms = { timed_out_threshold = 0 }
  }

  expect_failures = [var.alarms]
}

run "rejects_alarm_period_not_minutes" {
  command = plan

  variables {
    alarms = { period_seconds = 30 }
  }

  expect_failures = [var.alarms]
}

run "rejects_alarm_window_over_a_day" {
  command = plan

  variables {
    alarms = { period_seconds = 86400, evaluation_periods = 2 }
  }

  expect_failures = [var.alarms]
}

run "rejects_tag_value_too_long" {
  command = plan

  variables {
    tags = { owner = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" }
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
