# Every constrained input rejects bad values at plan time with its own message.
# Prepare: the valid fixture below. Act: each run breaks one field. Assess: expect_failures.
mock_provider "aws" {}

variables {
  function_name    = "slipway-test-fn"
  filename         = "dist/apps/test-fn/test-fn.zip"
  source_code_hash = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
  account_id       = "123456789012"
  alarm_actions    = ["arn:aws:sns:eu-west-1:123456789012:slipway-test-alarms"]
}

run "valid_fixture_plans" {
  command = plan
}

run "rejects_function_name_too_long" {
  command = plan

  variables {
    function_name = "slipway-dev-this-name-is-far-too-long-for-lambda-and-for-an-iam-role-x"
  }

  expect_failures = [var.function_name]
}

run "rejects_function_name_bad_chars" {
  command = plan

  variables {
    function_name = "slipway dev/fn"
  }

  expect_failures = [var.function_name]
}

run "rejects_description_too_long" {
  command = plan

  variables {
    description = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
  }

  expect_failures = [var.description]
}

run "rejects_handler_with_space" {
  command = plan

  variables {
    handler = "index handler"
  }

  expect_failures = [var.handler]
}

run "rejects_runtime_not_allowed" {
  command = plan

  variables {
    runtime = "python3.12"
  }

  expect_failures = [var.runtime]
}

run "rejects_architecture_not_allowed" {
  command = plan

  variables {
    architecture = "aarch64"
  }

  expect_failures = [var.architecture]
}

run "rejects_memory_size_too_small" {
  command = plan

  variables {
    memory_size = 64
  }

  expect_failures = [var.memory_size]
}

run "rejects_memory_size_too_large" {
  command = plan

  variables {
    memory_size = 10241
  }

  expect_failures = [var.memory_size]
}

run "rejects_timeout_zero" {
  command = plan

  variables {
    timeout = 0
  }

  expect_failures = [var.timeout]
}

run "rejects_timeout_over_15_minutes" {
  command = plan

  variables {
    timeout = 901
  }

  expect_failures = [var.timeout]
}

run "rejects_reserved_concurrency_below_minus_one" {
  command = plan

  variables {
    reserved_concurrent_executions = -2
  }

  expect_failures = [var.reserved_concurrent_executions]
}

run "rejects_env_key_bad_characters" {
  command = plan

  variables {
    environment_variables = { "1BAD-KEY" = "x" }
  }

  expect_failures = [var.environment_variables]
}

run "rejects_env_key_reserved_aws_prefix" {
  command = plan

  variables {
    environment_variables = { AWS_REGION = "eu-west-1" }
  }

  expect_failures = [var.environment_variables]
}

run "rejects_env_key_looks_like_secret" {
  command = plan

  variables {
    environment_variables = { DB_PASSWORD = "hunter2" }
  }

  expect_failures = [var.environment_variables]
}

run "rejects_env_key_api_key_lowercase" {
  command = plan

  variables {
    environment_variables = { stripeApiKey = "sk_live" }
  }

  expect_failures = [var.environment_variables]
}

run "rejects_env_too_large" {
  command = plan

  variables {
    environment_variables = { BIG = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" }
  }

  expect_failures = [var.environment_variables]
}

run "rejects_filename_not_zip" {
  command = plan

  variables {
    filename = "dist/apps/test-fn/index.js"
  }

  expect_failures = [var.filename]
}

run "rejects_code_source_both" {
  command = plan

  variables {
    s3_bucket = "slipway-artifacts"
    s3_key    = "test/fn.zip"
  }

  expect_failures = [var.filename]
}

run "rejects_code_source_neither" {
  command = plan

  variables {
    filename = null
  }

  expect_failures = [var.filename]
}

run "rejects_s3_key_without_bucket" {
  command = plan

  variables {
    filename = null
    s3_key   = "test/fn.zip"
  }

  expect_failures = [var.s3_key]
}

run "rejects_s3_bucket_is_arn" {
  command = plan

  variables {
    filename  = null
    s3_bucket = "arn:aws:s3:::slipway-artifacts"
    s3_key    = "test/fn.zip"
  }

  expect_failures = [var.s3_bucket]
}

run "rejects_source_code_hash_hex" {
  command = plan

  variables {
    source_code_hash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
  }

  expect_failures = [var.source_code_hash]
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

run "rejects_policy_resource_not_arn" {
  command = plan

  variables {
    policy_statements = [{ sid = "Read", actions = ["s3:GetObject"], resources = ["my-bucket/*"] }]
  }

  expect_failures = [var.policy_statements]
}

run "rejects_policy_sid_not_alphanumeric" {
  command = plan

  variables {
    policy_statements = [{ sid = "read-uploads", actions = ["s3:GetObject"], resources = ["arn:aws:s3:::b/*"] }]
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
    policy_statements = [{ sid = "WriteLogs", actions = ["logs:PutLogEvents"], resources = ["arn:aws:logs:eu-west-1:123456789012:log-group:x:*"] }]
  }

  expect_failures = [var.policy_statements]
}

run "rejects_policy_condition_incomplete" {
  command = plan

  variables {
    policy_statements = [{ sid = "Read", actions = ["s3:GetObject"], resources = ["arn:aws:s3:::b/*"], conditions = [{ test = "StringEquals", variable = "aws:SourceAccount", values = [] }] }]
  }

  expect_failures = [var.policy_statements]
}

run "rejects_permissions_boundary_not_policy_arn" {
  command = plan

  variables {
    permissions_boundary_arn = "arn:aws:iam::123456789012:role/boundary"
  }

  expect_failures = [var.permissions_boundary_arn]
}

run "rejects_log_retention_not_accepted" {
  command = plan

  variables {
    log_retention_in_days = 45
  }

  expect_failures = [var.log_retention_in_days]
}

run "rejects_log_kms_key_alias" {
  command = plan

  variables {
    log_kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:alias/logs"
  }

  expect_failures = [var.log_kms_key_arn]
}

run "rejects_application_log_level_lowercase" {
  command = plan

  variables {
    application_log_level = "info"
  }

  expect_failures = [var.application_log_level]
}

run "rejects_dead_letter_target_fifo" {
  command = plan

  variables {
    create_dead_letter_queue = false
    dead_letter_target_arn   = "arn:aws:sqs:eu-west-1:123456789012:failures.fifo"
  }

  expect_failures = [var.dead_letter_target_arn]
}

run "rejects_dead_letter_target_not_sqs_or_sns" {
  command = plan

  variables {
    create_dead_letter_queue = false
    dead_letter_target_arn   = "arn:aws:lambda:eu-west-1:123456789012:function:x"
  }

  expect_failures = [var.dead_letter_target_arn]
}

run "rejects_dead_letter_target_and_create" {
  command = plan

  variables {
    dead_letter_target_arn = "arn:aws:sqs:eu-west-1:123456789012:failures"
  }

  expect_failures = [var.dead_letter_target_arn]
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
    alarm_actions = ["arn:aws:sqs:eu-west-1:123456789012:alerts"]
  }

  expect_failures = [var.alarm_actions]
}

run "rejects_alarm_threshold_zero" {
  command = plan

  variables {
    alarms = { errors_threshold = 0 }
  }

  expect_failures = [var.alarms]
}

run "rejects_alarm_duration_above_timeout" {
  command = plan

  variables {
    alarms = { duration_p99_threshold_ms = 30000 }
  }

  expect_failures = [var.alarms]
}

run "rejects_alarm_period_not_minutes" {
  command = plan

  variables {
    alarms = { period_seconds = 90 }
  }

  expect_failures = [var.alarms]
}

run "rejects_alarm_window_over_a_day" {
  command = plan

  variables {
    alarms = { period_seconds = 3600, evaluation_periods = 25 }
  }

  expect_failures = [var.alarms]
}

run "rejects_tag_key_aws_prefix" {
  command = plan

  variables {
    tags = { "aws:owner" = "me" }
  }

  expect_failures = [var.tags]
}

run "rejects_account_id_not_12_digits" {
  command = plan

  variables {
    account_id = "12345678901"
  }

  expect_failures = [var.account_id]
}

run "refuses_a_ratio_threshold_that_is_not_a_ratio" {
  command = plan
  variables {
    metrics_namespace   = "Slipway/etl"
    metric_ratio_alarms = [{ name = "rejected-rows", numerator = "RowsRejected", denominator = "RowsInput", threshold = 5 }]
  }
  expect_failures = [var.metric_ratio_alarms]
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

run "rejects_system_log_level_error" {
  command = plan

  variables {
    system_log_level = "ERROR"
  }

  expect_failures = [var.system_log_level]
}
