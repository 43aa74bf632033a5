# Offline-safe: answered from the provider configuration, no API call.
data "aws_region" "current" {}

locals {
  region = data.aws_region.current.name
  # Names known at plan (the runbooks and the dev-plan tests read them).
  dashboard_name       = var.name
  composite_alarm_name = "${var.name}-health"
  runbook_link         = var.runbook == null ? "" : " Runbook: ${var.runbook}#${local.composite_alarm_name}"
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = local.dashboard_name
  dashboard_body = jsonencode({ widgets = local.widgets })
}

# One page per domain: the domain is unhealthy when any of its alarms is. Its members keep their
# own actions; on-call can silence the members and page on this one alone.
# https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create_Composite_Alarm.html
resource "aws_cloudwatch_composite_alarm" "this" {
  count = length(var.alarm_names) > 0 ? 1 : 0

  alarm_name        = local.composite_alarm_name
  alarm_description = "Domain ${var.domain} (${var.name}) is unhealthy: at least one of its ${length(var.alarm_names)} alarms is in ALARM. Open dashboard ${local.dashboard_name} and the member alarm's own section of the runbook.${local.runbook_link}"
  alarm_rule        = local.alarm_rule

  alarm_actions = var.alarm_actions
  ok_actions    = var.alarm_actions

  tags = var.tags

  lifecycle {
    precondition {
      condition     = length(local.alarm_rule) <= 10240
      error_message = "The composite alarm's rule would exceed CloudWatch's 10240 characters: split the domain or shorten its alarm names."
    }
  }
}

locals {
  alarm_rule = join(" OR ", [for a in sort(distinct(var.alarm_names)) : "ALARM(\"${a}\")"])
}

# X-Ray groups: the traces of one flow, from the state machine's segment to the last Lambda, for
# the service map and Insights of that flow alone. Group names are capped at 32 characters.
# https://docs.aws.amazon.com/xray/latest/devguide/xray-console-filters.html
resource "aws_xray_group" "this" {
  for_each = { for s in var.state_machines : s.name => s }

  group_name        = length(each.key) <= 32 ? each.key : "${substr(each.key, 0, 23)}-${substr(sha1(each.key), 0, 8)}"
  filter_expression = "service(id(name: \"${each.key}\", type: \"AWS::StepFunctions::StateMachine\"))"

  tags = var.tags
}
