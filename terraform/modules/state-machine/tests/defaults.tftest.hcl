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
  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/vendedlogs/states/slipway-test-flow"
    }
  }
  # aws_sfn_state_machine validates role_arn even under a mock: give the role a real-looking ARN.
  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/slipway-test-flow-sfn"
    }
  }
  mock_resource "aws_sfn_state_machine" {
    defaults = {
      arn = "arn:aws:states:eu-west-1:123456789012:stateMachine:slipway-test-flow"
    }
  }
}

variables {
  name       = "slipway-test-flow"
  definition = file("tests/fixtures/hello.asl.json")
  account_id = "123456789012"
  lambda_function_arns = [
    "arn:aws:lambda:eu-west-1:123456789012:function:slipway-test-hello",
    "arn:aws:lambda:eu-west-1:123456789012:function:slipway-test-goodbye",
  ]
  alarm_actions = ["arn:aws:sns:eu-west-1:123456789012:slipway-test-alarms"]
}

run "secure_defaults" {
  command = apply

  assert {
    condition     = aws_sfn_state_machine.this.type == "STANDARD" && aws_sfn_state_machine.this.definition == file("tests/fixtures/hello.asl.json")
    error_message = "The definition is deployed verbatim as a STANDARD state machine by default."
  }

  assert {
    condition = (
      aws_sfn_state_machine.this.logging_configuration[0].level == "ALL" &&
      aws_sfn_state_machine.this.logging_configuration[0].include_execution_data == true &&
      aws_sfn_state_machine.this.logging_configuration[0].log_destination == "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/vendedlogs/states/slipway-test-flow:*"
    )
    error_message = "Execution history must be logged at ALL, with data, into the module's log group."
  }

  assert {
    condition     = aws_sfn_state_machine.this.tracing_configuration[0].enabled == true
    error_message = "X-Ray tracing must always be on."
  }

  assert {
    condition     = aws_cloudwatch_log_group.this.name == "/aws/vendedlogs/states/slipway-test-flow" && aws_cloudwatch_log_group.this.retention_in_days == 30 && aws_cloudwatch_log_group.this.kms_key_id == null
    error_message = "The log group must be /aws/vendedlogs/states/<name> with 30-day retention by default."
  }

  assert {
    condition = aws_iam_role.this.name == "slipway-test-flow-sfn" && jsondecode(aws_iam_role.this.assume_role_policy) == {
      Version = "2012-10-17"
      Statement = [{
        Sid       = "StatesAssumeRole"
        Effect    = "Allow"
        Principal = { Service = "states.amazonaws.com" }
        Action    = "sts:AssumeRole"
        Condition = {
          ArnLike = { "aws:SourceArn" = [
            "arn:aws:states:eu-west-1:123456789012:stateMachine:slipway-test-flow",
            "arn:aws:states:eu-west-1:123456789012:stateMachine:slipway-test-flow:*",
          ] }
          StringEquals = { "aws:SourceAccount" = "123456789012" }
        }
      }]
    }
    error_message = "Only states.amazonaws.com, for this state machine (and its versions and aliases) in account_id, may assume the role <name>-sfn."
  }

  assert {
    condition     = aws_iam_role_policy.this.policy == output.policy_json
    error_message = "policy_json must be exactly the policy attached to the role."
  }

  assert {
    condition = [for s in jsondecode(output.policy_json).Statement : s if s.Sid == "InvokeLambdaFunctions"][0].Resource == [
      "arn:aws:lambda:eu-west-1:123456789012:function:slipway-test-hello",
      "arn:aws:lambda:eu-west-1:123456789012:function:slipway-test-hello:*",
      "arn:aws:lambda:eu-west-1:123456789012:function:slipway-test-goodbye",
      "arn:aws:lambda:eu-west-1:123456789012:function:slipway-test-goodbye:*",
    ]
    error_message = "lambda:InvokeFunction must be scoped to exactly the given functions and their versions/aliases."
  }

  assert {
    condition     = !contains([for s in jsondecode(output.policy_json).Statement : s.Sid], "PutEventsToBuses")
    error_message = "No events:PutEvents statement without buses."
  }

  assert {
    condition = (
      [for s in jsondecode(output.policy_json).Statement : s.Sid if s.Resource == "*"] == ["DeliverLogs", "WriteTraces"] &&
      alltrue([for s in jsondecode(output.policy_json).Statement : alltrue([for a in s.Action : a != "*" && !endswith(a, ":*")])])
    )
    error_message = "Resource \"*\" only for the log-delivery and X-Ray actions AWS requires it for; no wildcard actions."
  }

  assert {
    condition = [for s in jsondecode(output.policy_json).Statement : s if s.Sid == "DeliverLogs"][0].Action == [
      "logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery",
      "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DescribeLogGroups",
    ]
    error_message = "The log-delivery statement must hold exactly the actions AWS documents."
  }

  assert {
    condition = alltrue([for kind, alarm in aws_cloudwatch_metric_alarm.this : (
      alarm.namespace == "AWS/States" &&
      alarm.dimensions.StateMachineArn == "arn:aws:states:eu-west-1:123456789012:stateMachine:slipway-test-flow" &&
      alarm.statistic == "Sum" && alarm.threshold == 1 && alarm.period == 300 &&
      alarm.treat_missing_data == "notBreaching"
    )])
    error_message = "Alarms watch AWS/States metrics of this state machine, Sum >= 1 per 5 min, not breaching on missing data."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.this["failed"].metric_name == "ExecutionsFailed" &&
      aws_cloudwatch_metric_alarm.this["timed_out"].metric_name == "ExecutionsTimedOut" &&
      aws_cloudwatch_metric_alarm.this["throttled"].metric_name == "ExecutionThrottled" &&
      keys(output.alarm_arns) == ["failed", "throttled", "timed_out"]
    )
    error_message = "One alarm each for failed, timed-out and throttled executions."
  }
}

run "buses_statements_and_long_name" {
  command = apply

  variables {
    name                 = "slipway-test-a-very-long-state-machine-name-that-goes-past-sixty-chars"
    type                 = "EXPRESS"
    lambda_function_arns = []
    event_bus_arns       = ["arn:aws:events:eu-west-1:123456789012:event-bus/slipway-test"]
    policy_statements = [{
      sid        = "ReadManifests"
      actions    = ["s3:GetObject"]
      resources  = ["arn:aws:s3:::slipway-test-media/manifests/*"]
      conditions = [{ test = "StringEquals", variable = "s3:ExistingObjectTag/state", values = ["ready"] }]
    }]
    alarm_actions = ["arn:aws:sns:eu-west-1:123456789012:slipway-test-alerts"]
    alarms        = { failed_threshold = 3, period_seconds = 60 }
  }

  assert {
    condition     = length(aws_iam_role.this.name) <= 64 && startswith(aws_iam_role.this.name, "slipway-test-a-very-long") && endswith(aws_iam_role.this.name, "-sfn")
    error_message = "Long names give a role name within IAM's 64 characters that keeps the prefix."
  }

  assert {
    condition     = aws_sfn_state_machine.this.type == "EXPRESS"
    error_message = "type must reach the state machine."
  }

  assert {
    condition     = [for s in jsondecode(output.policy_json).Statement : s.Sid] == ["PutEventsToBuses", "DeliverLogs", "WriteTraces", "ReadManifests"]
    error_message = "No Lambda statement without functions; buses, then the required statements, then the caller's."
  }

  assert {
    condition     = [for s in jsondecode(output.policy_json).Statement : s if s.Sid == "PutEventsToBuses"][0].Resource == ["arn:aws:events:eu-west-1:123456789012:event-bus/slipway-test"]
    error_message = "events:PutEvents must be scoped to exactly the given buses."
  }

  assert {
    condition     = [for s in jsondecode(output.policy_json).Statement : s if s.Sid == "ReadManifests"][0].Condition == { StringEquals = { "s3:ExistingObjectTag/state" = ["ready"] } }
    error_message = "Caller conditions must be rendered."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.this["failed"].threshold == 3 && aws_cloudwatch_metric_alarm.this["timed_out"].threshold == 1 && aws_cloudwatch_metric_alarm.this["failed"].period == 60
    error_message = "Given thresholds override the defaults; omitted ones keep them."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.this["failed"].alarm_actions == toset(["arn:aws:sns:eu-west-1:123456789012:slipway-test-alerts"])
    error_message = "Alarms notify the given topics."
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
      for a in concat(values(aws_cloudwatch_metric_alarm.this)) : a.alarm_name => substr(a.alarm_description, length(a.alarm_description) - length(" Runbook: docs/runbooks/test.md#${a.alarm_name}"), -1)
      } == {
      "slipway-test-flow-executions-failed"    = " Runbook: docs/runbooks/test.md#slipway-test-flow-executions-failed"
      "slipway-test-flow-executions-timed-out" = " Runbook: docs/runbooks/test.md#slipway-test-flow-executions-timed-out"
      "slipway-test-flow-execution-throttled"  = " Runbook: docs/runbooks/test.md#slipway-test-flow-execution-throttled"
    }
    error_message = "Every alarm's description must end with ' Runbook: <runbook>#<its own name>'."
  }

  assert {
    condition     = toset(output.alarm_names) == toset(["slipway-test-flow-executions-failed", "slipway-test-flow-executions-timed-out", "slipway-test-flow-execution-throttled"]) && length(output.alarm_names) == 3
    error_message = "alarm_names must list every alarm of the module once."
  }
}

run "no_runbook_no_link" {
  command = apply

  assert {
    condition     = alltrue([for a in concat(values(aws_cloudwatch_metric_alarm.this)) : !strcontains(a.alarm_description, "Runbook:")])
    error_message = "Without runbook no description links one."
  }
}
