# The dashboard, composite alarm, saved queries and X-Ray groups of a small domain, asserted on a
# mock apply (no AWS calls).
mock_provider "aws" {
  mock_data "aws_region" {
    defaults = {
      name = "eu-west-1"
    }
  }
}

variables {
  name   = "slipway-test-media"
  domain = "media"
  functions = [
    { name = "slipway-test-media-validate", dead_letter_queue = "slipway-test-media-validate-dlq" },
    { name = "slipway-test-media-probe" },
  ]
  state_machines = [
    { name = "slipway-test-media", arn = "arn:aws:states:eu-west-1:123456789012:stateMachine:slipway-test-media" },
  ]
  rest_apis = [{ name = "slipway-test-api", stage = "test" }]
  metric_ratios = [{
    title       = "Rejected rows"
    namespace   = "Slipway/etl"
    numerator   = "RowsRejected"
    denominator = "RowsInput"
    dimensions  = { service = "etl-transform" }
  }]
  metric_breakdowns = [{
    title      = "Quarantines by outcome"
    namespace  = "Slipway/media"
    metric     = "MediaQuarantined"
    dimensions = { service = "media-quarantine" }
    split_by   = { name = "outcome", values = ["rejected", "failed"] }
  }]
  alarm_names   = ["slipway-test-media-validate-errors", "slipway-test-media-executions-failed", "slipway-test-media-validate-errors"]
  alarm_actions = ["arn:aws:sns:eu-west-1:123456789012:slipway-test-alarms"]
  runbook       = "docs/runbooks/media.md"
  tags          = { domain = "media" }
}

run "dashboard_widgets_per_function_state_machine_api_and_custom_metric" {
  command = apply

  assert {
    condition     = aws_cloudwatch_dashboard.this.dashboard_name == "slipway-test-media"
    error_message = "The dashboard is named after the domain in its environment."
  }

  assert {
    condition = [for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : w.properties.title if w.type == "metric"] == [
      "slipway-test-media-validate: invocations, errors, throttles",
      "slipway-test-media-validate: duration (ms)",
      "slipway-test-media-validate: concurrent executions",
      "slipway-test-media-validate: dead-letter queue depth",
      "slipway-test-media-probe: invocations, errors, throttles",
      "slipway-test-media-probe: duration (ms)",
      "slipway-test-media-probe: concurrent executions",
      "slipway-test-media: executions",
      "slipway-test-media: execution time (ms)",
      "slipway-test-api (test): 4XX and 5XX",
      "slipway-test-api (test): latency p99 (ms)",
      "Rejected rows",
      "Quarantines by outcome",
    ]
    error_message = "Every function, state machine, API and custom metric must have its widgets, in that order; a function without a queue has no depth widget."
  }

  assert {
    condition = [for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : w.properties.metrics if w.type == "metric"][0] == [
      ["AWS/Lambda", "Invocations", "FunctionName", "slipway-test-media-validate", { label = "Invocations" }],
      ["AWS/Lambda", "Errors", "FunctionName", "slipway-test-media-validate", { label = "Errors" }],
      ["AWS/Lambda", "Throttles", "FunctionName", "slipway-test-media-validate", { label = "Throttles" }],
    ]
    error_message = "The first widget must chart the function's invocations, errors and throttles."
  }

  assert {
    condition = [for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : w.properties.metrics if w.type == "metric"][3] == [
      ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", "slipway-test-media-validate-dlq", { label = "slipway-test-media-validate-dlq" }],
    ]
    error_message = "The depth widget must chart the function's own dead-letter queue."
  }

  assert {
    condition = [for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : w.properties.metrics if w.type == "metric"][7] == [
      for m in ["ExecutionsStarted", "ExecutionsSucceeded", "ExecutionsFailed", "ExecutionsTimedOut"] :
      ["AWS/States", m, "StateMachineArn", "arn:aws:states:eu-west-1:123456789012:stateMachine:slipway-test-media", { label = m }]
    ]
    error_message = "The executions widget must chart started, succeeded, failed and timed out of the state machine."
  }

  assert {
    condition = [for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : w.properties.metrics if w.type == "metric"][11] == [
      [{ expression = "IF(input > 0, part / input, 0)", label = "RowsRejected / RowsInput", id = "ratio" }],
      ["Slipway/etl", "RowsRejected", "service", "etl-transform", { id = "part", visible = false }],
      ["Slipway/etl", "RowsInput", "service", "etl-transform", { id = "input", visible = false }],
    ]
    error_message = "The ratio widget must divide the two Powertools metrics with their dimensions."
  }

  assert {
    condition = [for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : w.properties.metrics if w.type == "metric"][12] == [
      ["Slipway/media", "MediaQuarantined", "outcome", "rejected", "service", "media-quarantine", { label = "rejected" }],
      ["Slipway/media", "MediaQuarantined", "outcome", "failed", "service", "media-quarantine", { label = "failed" }],
    ]
    error_message = "The breakdown widget must chart one series per value of the split dimension, with every dimension."
  }
}

run "one_composite_alarm_ors_every_alarm_and_pages_the_topic" {
  command = apply

  assert {
    condition = (
      aws_cloudwatch_composite_alarm.this[0].alarm_name == "slipway-test-media-health" &&
      aws_cloudwatch_composite_alarm.this[0].alarm_rule == "ALARM(\"slipway-test-media-executions-failed\") OR ALARM(\"slipway-test-media-validate-errors\")"
    )
    error_message = "The composite alarm must OR every alarm of the domain, each once, sorted."
  }

  assert {
    condition = (
      aws_cloudwatch_composite_alarm.this[0].alarm_actions == toset(["arn:aws:sns:eu-west-1:123456789012:slipway-test-alarms"]) &&
      aws_cloudwatch_composite_alarm.this[0].ok_actions == toset(["arn:aws:sns:eu-west-1:123456789012:slipway-test-alarms"])
    )
    error_message = "The composite alarm must notify the topic when it fires and recovers."
  }

  assert {
    condition     = endswith(aws_cloudwatch_composite_alarm.this[0].alarm_description, " Runbook: docs/runbooks/media.md#slipway-test-media-health")
    error_message = "The composite alarm's description must link its runbook section."
  }
}

run "saved_queries_over_the_function_log_groups" {
  command = apply

  assert {
    condition = { for k, q in aws_cloudwatch_query_definition.this : k => q.name } == {
      "cold-starts"              = "slipway-test-media/cold-starts"
      "errors-by-correlation-id" = "slipway-test-media/errors-by-correlation-id"
      "execution-logs"           = "slipway-test-media/execution-logs"
      "slowest-invocations"      = "slipway-test-media/slowest-invocations"
    }
    error_message = "The domain must have the four saved queries in its folder."
  }

  assert {
    condition     = alltrue([for q in aws_cloudwatch_query_definition.this : q.log_group_names == tolist(["/aws/lambda/slipway-test-media-validate", "/aws/lambda/slipway-test-media-probe"])])
    error_message = "Every query must run over the log group of every function of the domain."
  }

  assert {
    condition = (
      startswith(aws_cloudwatch_query_definition.this["errors-by-correlation-id"].query_string, "filter level = \"ERROR\"\n") &&
      strcontains(aws_cloudwatch_query_definition.this["errors-by-correlation-id"].query_string, " by correlation_id, service\n") &&
      strcontains(aws_cloudwatch_query_definition.this["cold-starts"].query_string, "coalesce(@initDuration, record.metrics.initDurationMs) as init_ms") &&
      strcontains(aws_cloudwatch_query_definition.this["execution-logs"].query_string, "| filter correlation_id = \"REPLACE-WITH-CORRELATION-ID\"\n")
    )
    error_message = "The queries must read Powertools' level and correlation_id and the init duration of the report lines."
  }
}

run "an_xray_group_per_state_machine" {
  command = apply

  variables {
    state_machines = [
      { name = "slipway-test-media", arn = "arn:aws:states:eu-west-1:123456789012:stateMachine:slipway-test-media" },
      { name = "slipway-staging-analytics-nightly", arn = "arn:aws:states:eu-west-1:123456789012:stateMachine:slipway-staging-analytics-nightly" },
    ]
  }

  assert {
    condition = { for k, g in aws_xray_group.this : k => [g.group_name, g.filter_expression] } == {
      "slipway-test-media"                = ["slipway-test-media", "service(id(name: \"slipway-test-media\", type: \"AWS::StepFunctions::StateMachine\"))"]
      "slipway-staging-analytics-nightly" = ["slipway-staging-analyti-${substr(sha1("slipway-staging-analytics-nightly"), 0, 8)}", "service(id(name: \"slipway-staging-analytics-nightly\", type: \"AWS::StepFunctions::StateMachine\"))"]
    }
    error_message = "Each state machine must have an X-Ray group (32 characters at most) filtering on its own service node."
  }
}

run "names_known_at_plan" {
  command = plan

  assert {
    condition = (
      output.dashboard_name == "slipway-test-media" &&
      output.composite_alarm_name == "slipway-test-media-health" &&
      output.query_definition_names["cold-starts"] == "slipway-test-media/cold-starts" &&
      output.xray_groups["slipway-test-media"].group_name == "slipway-test-media"
    )
    error_message = "Every name must be known at plan (runbooks and reviews read them)."
  }
}

run "no_alarms_no_composite_no_functions_no_queries" {
  command = apply

  variables {
    functions         = []
    rest_apis         = []
    metric_ratios     = []
    metric_breakdowns = []
    alarm_names       = []
  }

  assert {
    condition     = length(aws_cloudwatch_composite_alarm.this) == 0 && length(aws_cloudwatch_query_definition.this) == 0 && output.composite_alarm_name == null
    error_message = "Without alarms there is no composite alarm; without functions no saved query."
  }

  assert {
    condition     = length(jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets) == 3
    error_message = "The dashboard keeps its header and the state machine's two widgets."
  }
}
