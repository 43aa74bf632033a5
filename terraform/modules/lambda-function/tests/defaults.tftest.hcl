# Secure defaults and generated IAM, asserted on a mock apply (no AWS calls, no credentials).
mock_provider "aws" {
  # Offline-safe data sources, pinned so built ARNs are predictable.
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
  # Realistic ARNs so the policy assertions below read like the real thing.
  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/slipway-test-fn"
    }
  }
  mock_resource "aws_sqs_queue" {
    defaults = {
      arn = "arn:aws:sqs:eu-west-1:123456789012:slipway-test-fn-dlq"
    }
  }
  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/slipway-test-fn"
    }
  }
}

variables {
  function_name    = "slipway-test-fn"
  filename         = "dist/apps/test-fn/test-fn.zip"
  source_code_hash = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
  account_id       = "123456789012"
  alarm_actions    = ["arn:aws:sns:eu-west-1:123456789012:slipway-test-alarms"]
}

run "secure_defaults" {
  command = apply

  assert {
    condition     = aws_lambda_function.this.tracing_config[0].mode == "Active"
    error_message = "X-Ray active tracing must always be on."
  }

  assert {
    condition = (
      aws_lambda_function.this.logging_config[0].log_format == "JSON" &&
      aws_lambda_function.this.logging_config[0].log_group == "/aws/lambda/slipway-test-fn" &&
      aws_lambda_function.this.logging_config[0].application_log_level == "INFO" &&
      aws_lambda_function.this.logging_config[0].system_log_level == "WARN"
    )
    error_message = "Logs must be JSON, in the module's log group, at INFO/WARN by default."
  }

  assert {
    condition     = aws_lambda_function.this.runtime == "nodejs22.x" && aws_lambda_function.this.architectures == tolist(["arm64"])
    error_message = "Default runtime/architecture must be nodejs22.x on arm64."
  }

  assert {
    condition     = aws_lambda_function.this.memory_size == 256 && aws_lambda_function.this.timeout == 30 && aws_lambda_function.this.reserved_concurrent_executions == -1
    error_message = "Default sizing must be 256 MB, 30 s, unreserved concurrency."
  }

  assert {
    condition     = length(aws_lambda_function.this.environment) == 0
    error_message = "No environment block is rendered when there are no variables."
  }

  assert {
    condition     = aws_cloudwatch_log_group.this.name == "/aws/lambda/slipway-test-fn" && aws_cloudwatch_log_group.this.retention_in_days == 30
    error_message = "The log group must be /aws/lambda/<function_name> with 30-day retention by default."
  }

  assert {
    condition     = aws_cloudwatch_log_group.this.kms_key_id == null
    error_message = "No KMS key unless one is given."
  }

  assert {
    condition = (
      aws_sqs_queue.dead_letter[0].name == "slipway-test-fn-dlq" &&
      aws_sqs_queue.dead_letter[0].sqs_managed_sse_enabled == true &&
      aws_sqs_queue.dead_letter[0].message_retention_seconds == 1209600
    )
    error_message = "The default dead-letter queue must be encrypted (SSE-SQS) and keep messages 14 days."
  }

  assert {
    condition     = aws_lambda_function.this.dead_letter_config[0].target_arn == aws_sqs_queue.dead_letter[0].arn
    error_message = "The function must send failed async invocations to the created queue."
  }

  assert {
    condition     = output.dead_letter_target_arn == "arn:aws:sqs:eu-west-1:123456789012:slipway-test-fn-dlq"
    error_message = "dead_letter_target_arn output must be the created queue."
  }

  assert {
    condition = jsondecode(aws_iam_role.this.assume_role_policy) == {
      Version = "2012-10-17"
      Statement = [{
        Sid       = "LambdaAssumeRole"
        Effect    = "Allow"
        Principal = { Service = "lambda.amazonaws.com" }
        Action    = "sts:AssumeRole"
        Condition = { StringEquals = { "aws:SourceAccount" = "123456789012" } }
      }]
    }
    error_message = "Only lambda.amazonaws.com, and only on behalf of account_id (aws:SourceAccount), may assume the execution role."
  }

  assert {
    condition     = aws_iam_role.this.name == "slipway-test-fn" && aws_iam_role.this.permissions_boundary == null
    error_message = "The role is named after the function; no boundary unless one is given."
  }

  assert {
    condition     = aws_iam_role_policy.this.policy == output.policy_json
    error_message = "policy_json must be exactly the policy attached to the role."
  }

  assert {
    condition = (
      [for s in jsondecode(output.policy_json).Statement : s if s.Sid == "WriteLogs"][0].Action == ["logs:CreateLogStream", "logs:PutLogEvents"] &&
      [for s in jsondecode(output.policy_json).Statement : s if s.Sid == "WriteLogs"][0].Resource == ["arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/slipway-test-fn:*"]
    )
    error_message = "Log writes must be scoped to the function's own log group."
  }

  assert {
    condition = (
      [for s in jsondecode(output.policy_json).Statement : s if s.Sid == "SendToDeadLetterTarget"][0].Action == ["sqs:SendMessage"] &&
      [for s in jsondecode(output.policy_json).Statement : s if s.Sid == "SendToDeadLetterTarget"][0].Resource == ["arn:aws:sqs:eu-west-1:123456789012:slipway-test-fn-dlq"]
    )
    error_message = "The role may send only to its own dead-letter queue."
  }

  assert {
    # "*" appears only where AWS requires it (X-Ray), never as an action.
    condition = (
      [for s in jsondecode(output.policy_json).Statement : s.Sid if s.Resource == "*" || contains(flatten([s.Resource]), "*")] == ["WriteTraces"] &&
      alltrue([for s in jsondecode(output.policy_json).Statement : alltrue([for a in s.Action : a != "*" && !endswith(a, ":*")])])
    )
    error_message = "Resource \"*\" is allowed only for the X-Ray statement and no action may be a wildcard."
  }

  assert {
    condition = alltrue([
      aws_cloudwatch_metric_alarm.errors.treat_missing_data == "notBreaching",
      aws_cloudwatch_metric_alarm.throttles.treat_missing_data == "notBreaching",
      aws_cloudwatch_metric_alarm.duration_p99.treat_missing_data == "notBreaching",
      aws_cloudwatch_metric_alarm.errors.statistic == "Sum",
      aws_cloudwatch_metric_alarm.throttles.statistic == "Sum",
      aws_cloudwatch_metric_alarm.duration_p99.extended_statistic == "p99",
      aws_cloudwatch_metric_alarm.errors.dimensions.FunctionName == "slipway-test-fn",
    ])
    error_message = "Errors/Throttles alarm on Sum, Duration on p99, all notBreaching on missing data."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.duration_p99.threshold == 24000 && aws_cloudwatch_metric_alarm.errors.threshold == 1 && aws_cloudwatch_metric_alarm.errors.period == 300
    error_message = "Default p99 threshold is 80% of the timeout (24000 ms for 30 s); errors alarm on the first error per 5 min."
  }

  assert {
    condition     = keys(output.alarm_arns) == ["dead_letter_messages", "duration_p99", "errors", "throttles"]
    error_message = "alarm_arns must list every alarm by kind."
  }
}

run "caller_statements_and_conditions" {
  command = apply

  variables {
    environment_variables = {
      MEDIA_BUCKET         = "slipway-test-media"
      STRIPE_API_KEY_PARAM = "/slipway/test/stripe-api-key"
      DB_PASSWORD_ARN      = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db"
    }
    policy_statements = [
      {
        sid       = "ReadUploads"
        actions   = ["s3:GetObject"]
        resources = ["arn:aws:s3:::slipway-test-media/uploads/*"]
      },
      {
        sid       = "PutEvents"
        actions   = ["events:PutEvents"]
        resources = ["arn:aws:events:eu-west-1:123456789012:event-bus/slipway-test"]
        conditions = [
          { test = "StringEquals", variable = "events:source", values = ["slipway.media"] },
          { test = "StringEquals", variable = "events:detail-type", values = ["ThumbnailCreated"] },
        ]
      },
    ]
  }

  assert {
    condition     = aws_lambda_function.this.environment[0].variables["STRIPE_API_KEY_PARAM"] == "/slipway/test/stripe-api-key"
    error_message = "Secret references (names/ARNs) are plain configuration and must be accepted."
  }

  assert {
    condition     = [for s in jsondecode(output.policy_json).Statement : s.Sid] == ["WriteLogs", "WriteTraces", "SendToDeadLetterTarget", "ReadUploads", "PutEvents"]
    error_message = "Caller statements are appended after the module's own, in order."
  }

  assert {
    condition     = !can([for s in jsondecode(output.policy_json).Statement : s if s.Sid == "ReadUploads"][0].Condition)
    error_message = "A statement without conditions must not carry a Condition key (IAM rejects null)."
  }

  assert {
    condition = [for s in jsondecode(output.policy_json).Statement : s if s.Sid == "PutEvents"][0].Condition == {
      StringEquals = { "events:source" = ["slipway.media"], "events:detail-type" = ["ThumbnailCreated"] }
    }
    error_message = "Conditions with the same operator must be merged into one block."
  }
}

run "existing_sns_dead_letter_target_and_s3_code" {
  command = apply

  variables {
    filename                 = null
    s3_bucket                = "slipway-artifacts-123456789012"
    s3_key                   = "test/test-fn/e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855.zip"
    create_dead_letter_queue = false
    dead_letter_target_arn   = "arn:aws:sns:eu-west-1:123456789012:slipway-test-failures"
    permissions_boundary_arn = "arn:aws:iam::123456789012:policy/slipway/bootstrap/slipway-test-workload-boundary"
    log_kms_key_arn          = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    log_retention_in_days    = 365
  }

  assert {
    condition     = length(aws_sqs_queue.dead_letter) == 0 && length(aws_cloudwatch_metric_alarm.dead_letter_messages) == 0
    error_message = "No queue (and no queue alarm) when an existing target is used."
  }

  assert {
    condition     = aws_lambda_function.this.dead_letter_config[0].target_arn == "arn:aws:sns:eu-west-1:123456789012:slipway-test-failures"
    error_message = "The function must use the given SNS topic."
  }

  assert {
    condition = [for s in jsondecode(output.policy_json).Statement : s if s.Sid == "SendToDeadLetterTarget"][0] == {
      Sid = "SendToDeadLetterTarget", Effect = "Allow", Action = ["sns:Publish"], Resource = ["arn:aws:sns:eu-west-1:123456789012:slipway-test-failures"]
    }
    error_message = "An SNS target needs sns:Publish on exactly that topic."
  }

  assert {
    condition = (
      aws_lambda_function.this.s3_bucket == "slipway-artifacts-123456789012" &&
      aws_lambda_function.this.s3_key == "test/test-fn/e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855.zip" &&
      aws_lambda_function.this.filename == null
    )
    error_message = "Code must come from S3 when s3_bucket/s3_key are set."
  }

  assert {
    condition     = aws_iam_role.this.permissions_boundary == "arn:aws:iam::123456789012:policy/slipway/bootstrap/slipway-test-workload-boundary"
    error_message = "The permissions boundary must be applied to the role."
  }

  assert {
    condition     = aws_cloudwatch_log_group.this.kms_key_id == "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab" && aws_cloudwatch_log_group.this.retention_in_days == 365
    error_message = "KMS key and retention must reach the log group."
  }
}

run "dead_letter_opt_out" {
  command = plan

  variables {
    create_dead_letter_queue = false
  }

  assert {
    condition     = length(aws_lambda_function.this.dead_letter_config) == 0 && output.dead_letter_target_arn == null
    error_message = "Opting out leaves no dead_letter_config."
  }

  assert {
    condition     = !contains([for s in jsondecode(output.policy_json).Statement : s.Sid], "SendToDeadLetterTarget")
    error_message = "No send permission without a target."
  }
}

run "custom_alarm_thresholds" {
  command = plan

  variables {
    timeout       = 10
    alarm_actions = ["arn:aws:sns:eu-west-1:123456789012:slipway-test-alerts"]
    alarms = {
      errors_threshold          = 5
      duration_p99_threshold_ms = 5000
      period_seconds            = 60
      evaluation_periods        = 3
    }
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.errors.threshold == 5 &&
      aws_cloudwatch_metric_alarm.throttles.threshold == 1 &&
      aws_cloudwatch_metric_alarm.duration_p99.threshold == 5000 &&
      aws_cloudwatch_metric_alarm.errors.period == 60 &&
      aws_cloudwatch_metric_alarm.errors.evaluation_periods == 3
    )
    error_message = "Given thresholds override the defaults; omitted ones keep them."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.errors.alarm_actions == toset(["arn:aws:sns:eu-west-1:123456789012:slipway-test-alerts"]) && aws_cloudwatch_metric_alarm.errors.ok_actions == toset(["arn:aws:sns:eu-west-1:123456789012:slipway-test-alerts"])
    error_message = "Alarms notify the given topics on alarm and on recovery."
  }
}

run "metric_ratio_alarm_on_powertools_metrics" {
  command = plan

  variables {
    metrics_namespace = "Slipway/etl"
    service_name      = "etl-transform"
    metric_ratio_alarms = [{
      name        = "rejected-rows"
      numerator   = "RowsRejected"
      denominator = "RowsInput"
      threshold   = 0.05
    }]
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.ratio["rejected-rows"].threshold == 0.05 && aws_cloudwatch_metric_alarm.ratio["rejected-rows"].comparison_operator == "GreaterThanThreshold"
    error_message = "The ratio alarm fires above the given ratio."
  }

  assert {
    condition = alltrue([
      for q in aws_cloudwatch_metric_alarm.ratio["rejected-rows"].metric_query :
      q.id == "ratio" ? q.expression == "IF(input > 0, part / input, 0)" : (
        one(q.metric).namespace == "Slipway/etl" &&
        one(q.metric).dimensions["service"] == "etl-transform" &&
        one(q.metric).metric_name == (q.id == "part" ? "RowsRejected" : "RowsInput")
      )
    ])
    error_message = "The ratio is RowsRejected / RowsInput of the function's own Powertools metrics."
  }
}

run "no_ratio_alarm_by_default" {
  command = plan

  assert {
    condition     = length(aws_cloudwatch_metric_alarm.ratio) == 0
    error_message = "No ratio alarm unless one is declared."
  }
}

run "ephemeral_storage_default_and_raised" {
  command = plan

  variables {
    ephemeral_storage_size = 2048
  }

  assert {
    condition     = aws_lambda_function.this.ephemeral_storage[0].size == 2048
    error_message = "A function that spills to disk gets the /tmp it asks for."
  }
}

# The alarms link their own section of the domain's runbook (tools/runbooks writes it).
run "runbook_links_every_alarm" {
  command = apply

  variables {
    runbook             = "docs/runbooks/test.md"
    metrics_namespace   = "Slipway/test"
    metric_ratio_alarms = [{ name = "rejected-rows", numerator = "RowsRejected", denominator = "RowsInput", threshold = 0.05, period_seconds = 86400 }]
  }

  assert {
    condition = {
      for a in concat([aws_cloudwatch_metric_alarm.errors, aws_cloudwatch_metric_alarm.throttles, aws_cloudwatch_metric_alarm.duration_p99], aws_cloudwatch_metric_alarm.dead_letter_messages, values(aws_cloudwatch_metric_alarm.ratio)) : a.alarm_name => substr(a.alarm_description, length(a.alarm_description) - length(" Runbook: docs/runbooks/test.md#${a.alarm_name}"), -1)
      } == {
      "slipway-test-fn-errors"              = " Runbook: docs/runbooks/test.md#slipway-test-fn-errors"
      "slipway-test-fn-throttles"           = " Runbook: docs/runbooks/test.md#slipway-test-fn-throttles"
      "slipway-test-fn-duration-p99"        = " Runbook: docs/runbooks/test.md#slipway-test-fn-duration-p99"
      "slipway-test-fn-dlq-messages"        = " Runbook: docs/runbooks/test.md#slipway-test-fn-dlq-messages"
      "slipway-test-fn-rejected-rows-ratio" = " Runbook: docs/runbooks/test.md#slipway-test-fn-rejected-rows-ratio"
    }
    error_message = "Every alarm's description must end with ' Runbook: <runbook>#<its own name>'."
  }

  assert {
    condition     = toset(output.alarm_names) == toset(["slipway-test-fn-errors", "slipway-test-fn-throttles", "slipway-test-fn-duration-p99", "slipway-test-fn-dlq-messages", "slipway-test-fn-rejected-rows-ratio"]) && length(output.alarm_names) == 5
    error_message = "alarm_names must list every alarm of the module once."
  }
}

run "no_runbook_no_link" {
  command = apply

  assert {
    condition     = alltrue([for a in concat([aws_cloudwatch_metric_alarm.errors, aws_cloudwatch_metric_alarm.throttles, aws_cloudwatch_metric_alarm.duration_p99], aws_cloudwatch_metric_alarm.dead_letter_messages, values(aws_cloudwatch_metric_alarm.ratio)) : !strcontains(a.alarm_description, "Runbook:")])
    error_message = "Without runbook no description links one."
  }
}

run "system_log_level_info_keeps_the_report_lines" {
  command = apply

  variables {
    system_log_level = "INFO"
  }

  assert {
    condition     = aws_lambda_function.this.logging_config[0].system_log_level == "INFO" && aws_lambda_function.this.logging_config[0].log_format == "JSON"
    error_message = "system_log_level must reach the function's logging_config."
  }
}
