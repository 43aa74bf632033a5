# CloudWatch Logs Insights saved queries over the domain's function log groups, in the console's
# folder <name>/. Field names are what the functions write: Powertools' structured keys
# (libs/observability: level, message, service, correlation_id, function_request_id,
# xray_trace_id, error.name / error.message) and Lambda's JSON platform.report (record.metrics.*,
# written at system_log_level INFO; @duration / @initDuration for text-format logs).
locals {
  log_group_names = [for f in var.functions : "/aws/lambda/${f.name}"]

  queries = {
    "errors-by-correlation-id" = <<-EOT
      filter level = "ERROR"
      | stats count(*) as errors, min(@timestamp) as first_seen, max(@timestamp) as last_seen, latest(error.name) as error_name, latest(error.message) as error_message, latest(xray_trace_id) as trace_id by correlation_id, service
      | sort errors desc, last_seen desc
      | limit 100
    EOT

    "slowest-invocations" = <<-EOT
      fields @timestamp, @log as log_group, coalesce(@requestId, record.requestId) as request_id, coalesce(@duration, record.metrics.durationMs) as duration_ms, coalesce(@initDuration, record.metrics.initDurationMs) as init_ms
      | filter ispresent(duration_ms)
      | sort duration_ms desc
      | limit 25
    EOT

    "cold-starts" = <<-EOT
      fields @log as log_group, coalesce(@initDuration, record.metrics.initDurationMs) as init_ms
      | filter ispresent(init_ms)
      | stats count(*) as cold_starts, avg(init_ms) as avg_init_ms, pct(init_ms, 99) as p99_init_ms, max(init_ms) as max_init_ms by log_group
      | sort cold_starts desc
    EOT

    # Logs Insights has no parameters: replace the placeholder with the execution's correlation
    # id (its input's correlationId, on every line of every function it ran).
    "execution-logs" = <<-EOT
      fields @timestamp, service, level, message, function_request_id, xray_trace_id
      | filter correlation_id = "REPLACE-WITH-CORRELATION-ID"
      | sort @timestamp asc
      | limit 1000
    EOT
  }
}

resource "aws_cloudwatch_query_definition" "this" {
  for_each = length(local.log_group_names) > 0 ? local.queries : {}

  name            = "${var.name}/${each.key}"
  log_group_names = local.log_group_names
  query_string    = trimspace(each.value)
}
