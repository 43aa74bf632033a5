# The dashboard's widgets, in reading order. x/y are left out: CloudWatch places each widget in
# the next free cell of its 24-column grid, so a function's four widgets (6 wide) fill one row.
# https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html
locals {
  graph = { region = local.region, view = "timeSeries", stacked = false, period = 300 }

  header = [{
    type   = "text"
    width  = 24
    height = 2
    properties = {
      markdown = join("\n", compact([
        "# ${var.domain} (${var.name})",
        length(var.alarm_names) > 0 ? "Health: composite alarm `${local.composite_alarm_name}` (${length(var.alarm_names)} alarms). Saved queries: `${var.name}/…` in Logs Insights." : "",
        var.runbook == null ? "" : "Runbook: `${var.runbook}`",
      ]))
    }
  }]

  function_widgets = flatten([for f in var.functions : concat(
    [
      {
        type = "metric", width = 6, height = 6
        properties = merge(local.graph, {
          title = "${f.name}: invocations, errors, throttles"
          stat  = "Sum"
          metrics = [
            ["AWS/Lambda", "Invocations", "FunctionName", f.name, { label = "Invocations" }],
            ["AWS/Lambda", "Errors", "FunctionName", f.name, { label = "Errors" }],
            ["AWS/Lambda", "Throttles", "FunctionName", f.name, { label = "Throttles" }],
          ]
        })
      },
      {
        type = "metric", width = 6, height = 6
        properties = merge(local.graph, {
          title = "${f.name}: duration (ms)"
          stat  = "p50"
          metrics = [
            ["AWS/Lambda", "Duration", "FunctionName", f.name, { stat = "p50", label = "p50" }],
            ["AWS/Lambda", "Duration", "FunctionName", f.name, { stat = "p99", label = "p99" }],
          ]
        })
      },
      {
        type = "metric", width = 6, height = 6
        properties = merge(local.graph, {
          title   = "${f.name}: concurrent executions"
          stat    = "Maximum"
          metrics = [["AWS/Lambda", "ConcurrentExecutions", "FunctionName", f.name, { label = "Concurrent executions" }]]
        })
      },
    ],
    [for q in(f.dead_letter_queue == null ? [] : [f.dead_letter_queue]) : {
      type = "metric", width = 6, height = 6
      properties = merge(local.graph, {
        title   = "${f.name}: dead-letter queue depth"
        stat    = "Maximum"
        metrics = [["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", q, { label = q }]]
      })
    }],
  )])

  state_machine_widgets = flatten([for s in var.state_machines : [
    {
      type = "metric", width = 12, height = 6
      properties = merge(local.graph, {
        title = "${s.name}: executions"
        stat  = "Sum"
        metrics = [for m in ["ExecutionsStarted", "ExecutionsSucceeded", "ExecutionsFailed", "ExecutionsTimedOut"] :
        ["AWS/States", m, "StateMachineArn", s.arn, { label = m }]]
      })
    },
    {
      type = "metric", width = 12, height = 6
      properties = merge(local.graph, {
        title = "${s.name}: execution time (ms)"
        stat  = "p50"
        metrics = [
          ["AWS/States", "ExecutionTime", "StateMachineArn", s.arn, { stat = "p50", label = "p50" }],
          ["AWS/States", "ExecutionTime", "StateMachineArn", s.arn, { stat = "p99", label = "p99" }],
        ]
      })
    },
  ]])

  rest_api_widgets = flatten([for a in var.rest_apis : [
    {
      type = "metric", width = 12, height = 6
      properties = merge(local.graph, {
        title = "${a.name} (${a.stage}): 4XX and 5XX"
        stat  = "Sum"
        metrics = [
          ["AWS/ApiGateway", "4XXError", "ApiName", a.name, "Stage", a.stage, { label = "4XX" }],
          ["AWS/ApiGateway", "5XXError", "ApiName", a.name, "Stage", a.stage, { label = "5XX" }],
        ]
      })
    },
    {
      type = "metric", width = 12, height = 6
      properties = merge(local.graph, {
        title   = "${a.name} (${a.stage}): latency p99 (ms)"
        stat    = "p99"
        metrics = [["AWS/ApiGateway", "Latency", "ApiName", a.name, "Stage", a.stage, { label = "p99" }]]
      })
    },
  ]])

  # Custom metrics as Powertools writes them (EMF): the namespace and every dimension of the
  # series, or CloudWatch shows nothing.
  ratio_widgets = [for r in var.metric_ratios : {
    type = "metric", width = 12, height = 6
    properties = merge(local.graph, {
      title = r.title
      stat  = "Sum"
      metrics = [
        [{ expression = "IF(input > 0, part / input, 0)", label = "${r.numerator} / ${r.denominator}", id = "ratio" }],
        concat([r.namespace, r.numerator], flatten([for k in sort(keys(r.dimensions)) : [k, r.dimensions[k]]]), [{ id = "part", visible = false }]),
        concat([r.namespace, r.denominator], flatten([for k in sort(keys(r.dimensions)) : [k, r.dimensions[k]]]), [{ id = "input", visible = false }]),
      ]
    })
  }]

  breakdown_widgets = [for b in var.metric_breakdowns : {
    type = "metric", width = 12, height = 6
    properties = merge(local.graph, {
      title = b.title
      stat  = "Sum"
      metrics = [for v in b.split_by.values : concat(
        [b.namespace, b.metric, b.split_by.name, v],
        flatten([for k in sort(keys(b.dimensions)) : [k, b.dimensions[k]]]),
        [{ label = v }],
      )]
    })
  }]

  widgets = concat(
    local.header,
    local.function_widgets,
    local.state_machine_widgets,
    local.rest_api_widgets,
    local.ratio_widgets,
    local.breakdown_widgets,
  )
}
