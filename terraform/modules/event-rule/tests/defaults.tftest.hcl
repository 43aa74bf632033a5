# Secure defaults, asserted on a mock apply (no AWS calls, no credentials). The fixture is the
# welcome-email worker of examples/basic: SessionConfirmed on the sessions bus.
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
  # What AWS returns for this rule on the custom bus: the ARN built from account_id must equal it
  # (the rule's postcondition), and a run without account_id reads it back.
  mock_resource "aws_cloudwatch_event_rule" {
    defaults = {
      arn = "arn:aws:events:eu-west-1:123456789012:rule/slipway-test-sessions/slipway-test-welcome-email-1"
    }
  }
  # aws_cloudwatch_event_target validates the dead-letter ARN even under a mock.
  mock_resource "aws_sqs_queue" {
    defaults = {
      arn = "arn:aws:sqs:eu-west-1:123456789012:slipway-test-welcome-email-1-dlq"
      id  = "https://sqs.eu-west-1.amazonaws.com/123456789012/slipway-test-welcome-email-1-dlq"
    }
  }
}

variables {
  name           = "slipway-test-welcome-email-1"
  event_bus_name = "slipway-test-sessions"
  event_pattern  = jsonencode({ source = ["slipway.sessions"], "detail-type" = ["SessionConfirmed"] })
  function_arn   = "arn:aws:lambda:eu-west-1:123456789012:function:slipway-test-welcome-email"
  function_name  = "slipway-test-welcome-email"
  account_id     = "123456789012"
  alarm_actions  = ["arn:aws:sns:eu-west-1:123456789012:slipway-test-alerts"]
  tags           = { domain = "sessions" }
}

run "secure_defaults" {
  command = apply

  assert {
    condition = (
      aws_cloudwatch_event_rule.this.name == "slipway-test-welcome-email-1" &&
      aws_cloudwatch_event_rule.this.event_bus_name == "slipway-test-sessions" &&
      aws_cloudwatch_event_rule.this.state == "ENABLED" &&
      aws_cloudwatch_event_rule.this.description == "Delivers matching events to Lambda slipway-test-welcome-email (managed by Terraform)." &&
      jsondecode(aws_cloudwatch_event_rule.this.event_pattern) == { source = ["slipway.sessions"], "detail-type" = ["SessionConfirmed"] }
    )
    error_message = "The rule listens on the given bus for the given pattern and names its function."
  }

  assert {
    condition = (
      aws_cloudwatch_event_target.this.arn == "arn:aws:lambda:eu-west-1:123456789012:function:slipway-test-welcome-email" &&
      aws_cloudwatch_event_target.this.rule == "slipway-test-welcome-email-1" &&
      aws_cloudwatch_event_target.this.event_bus_name == "slipway-test-sessions" &&
      aws_cloudwatch_event_target.this.target_id == "lambda" &&
      aws_cloudwatch_event_target.this.role_arn == null &&
      length(aws_cloudwatch_event_target.this.input_transformer) == 0
    )
    error_message = "The one target is the function, on the rule's bus, invoked through its resource policy (no role), with the whole event as input."
  }

  assert {
    condition = (
      aws_cloudwatch_event_target.this.retry_policy[0].maximum_retry_attempts == 3 &&
      aws_cloudwatch_event_target.this.retry_policy[0].maximum_event_age_in_seconds == 3600
    )
    error_message = "Failed invocations are retried 3 times within an hour by default."
  }

  assert {
    condition     = aws_cloudwatch_event_target.this.dead_letter_config[0].arn == "arn:aws:sqs:eu-west-1:123456789012:slipway-test-welcome-email-1-dlq"
    error_message = "Undeliverable events go to the module's queue."
  }

  assert {
    condition = (
      aws_lambda_permission.this.statement_id == "events-slipway-test-welcome-email-1" &&
      aws_lambda_permission.this.action == "lambda:InvokeFunction" &&
      aws_lambda_permission.this.function_name == "slipway-test-welcome-email" &&
      aws_lambda_permission.this.principal == "events.amazonaws.com" &&
      aws_lambda_permission.this.qualifier == null &&
      aws_lambda_permission.this.source_account == null
    )
    error_message = "EventBridge may invoke exactly the target function."
  }

  assert {
    condition = (
      aws_lambda_permission.this.source_arn == "arn:aws:events:eu-west-1:123456789012:rule/slipway-test-sessions/slipway-test-welcome-email-1" &&
      aws_lambda_permission.this.source_arn == aws_cloudwatch_event_rule.this.arn &&
      output.rule_arn == aws_cloudwatch_event_rule.this.arn
    )
    error_message = "The permission's source_arn is this rule's ARN exactly (rule/<bus>/<name> on a custom bus): no other rule may invoke the function."
  }

  assert {
    condition = (
      aws_sqs_queue.dead_letter[0].name == "slipway-test-welcome-email-1-dlq" &&
      aws_sqs_queue.dead_letter[0].message_retention_seconds == 1209600 &&
      aws_sqs_queue.dead_letter[0].sqs_managed_sse_enabled == true &&
      aws_sqs_queue.dead_letter[0].kms_master_key_id == null &&
      aws_sqs_queue.dead_letter[0].tags == tomap({ domain = "sessions" })
    )
    error_message = "The dead-letter queue is <name>-dlq, encrypted with SSE-SQS, and keeps events 14 days."
  }

  assert {
    condition = jsondecode(aws_sqs_queue_policy.dead_letter[0].policy) == {
      Version = "2012-10-17"
      Statement = [{
        Sid       = "EventBridgeDeadLetters"
        Effect    = "Allow"
        Principal = { Service = "events.amazonaws.com" }
        Action    = "sqs:SendMessage"
        Resource  = "arn:aws:sqs:eu-west-1:123456789012:slipway-test-welcome-email-1-dlq"
        Condition = { ArnEquals = { "aws:SourceArn" = "arn:aws:events:eu-west-1:123456789012:rule/slipway-test-sessions/slipway-test-welcome-email-1" } }
      }]
    }
    error_message = "Only EventBridge, on behalf of this rule, may send to the queue."
  }

  assert {
    condition = (
      aws_sqs_queue_policy.dead_letter[0].queue_url == "https://sqs.eu-west-1.amazonaws.com/123456789012/slipway-test-welcome-email-1-dlq" &&
      aws_sqs_queue_policy.dead_letter[0].policy == output.dead_letter_queue_policy_json
    )
    error_message = "The policy is attached to the module's queue and is the one the output shows."
  }

  assert {
    condition = { for k, a in aws_cloudwatch_metric_alarm.this : k => "${a.alarm_name} ${a.namespace} ${a.metric_name} ${a.statistic} ${jsonencode(a.dimensions)}" } == {
      failed_invocations    = "slipway-test-welcome-email-1-failed-invocations AWS/Events FailedInvocations Sum {\"EventBusName\":\"slipway-test-sessions\",\"RuleName\":\"slipway-test-welcome-email-1\"}"
      dlq_delivery_failures = "slipway-test-welcome-email-1-dlq-delivery-failures AWS/Events InvocationsFailedToBeSentToDlq Sum {\"EventBusName\":\"slipway-test-sessions\",\"RuleName\":\"slipway-test-welcome-email-1\"}"
      dlq_depth             = "slipway-test-welcome-email-1-dlq-depth AWS/SQS ApproximateNumberOfMessagesVisible Maximum {\"QueueName\":\"slipway-test-welcome-email-1-dlq\"}"
    }
    error_message = "Alarms watch the rule's failed invocations and failed dead-letter deliveries (EventBusName and RuleName on a custom bus) and the queue's visible messages."
  }

  assert {
    condition = alltrue([for a in aws_cloudwatch_metric_alarm.this : (
      a.threshold == 0 && a.comparison_operator == "GreaterThanThreshold" &&
      a.period == 300 && a.evaluation_periods == 1 && a.treat_missing_data == "notBreaching" &&
      a.alarm_actions == toset(["arn:aws:sns:eu-west-1:123456789012:slipway-test-alerts"]) &&
      a.ok_actions == toset(["arn:aws:sns:eu-west-1:123456789012:slipway-test-alerts"]) &&
      a.tags == tomap({ domain = "sessions" })
    )])
    error_message = "Every alarm fires on the first occurrence in 5 minutes (> 0), notifies alarm_actions on ALARM and OK, and treats missing data as fine."
  }

  assert {
    condition = (
      output.rule_name == "slipway-test-welcome-email-1" &&
      output.dead_letter_queue_arn == "arn:aws:sqs:eu-west-1:123456789012:slipway-test-welcome-email-1-dlq" &&
      keys(output.alarm_arns) == ["dlq_delivery_failures", "dlq_depth", "failed_invocations"]
    )
    error_message = "Outputs name the rule, the queue and every alarm by kind."
  }
}

run "retries_and_input_transformer_as_given" {
  command = apply

  variables {
    maximum_retry_attempts       = 0
    maximum_event_age_in_seconds = 60
    description                  = "Welcome email for every confirmed session."
    input_transformer = {
      input_paths    = { eventId = "$.id", sessionId = "$.detail.sessionId" }
      input_template = "{\"eventId\": <eventId>, \"sessionId\": <sessionId>, \"rule\": <aws.events.rule-name>}"
    }
  }

  assert {
    condition = (
      aws_cloudwatch_event_target.this.retry_policy[0].maximum_retry_attempts == 0 &&
      aws_cloudwatch_event_target.this.retry_policy[0].maximum_event_age_in_seconds == 60 &&
      length(aws_cloudwatch_event_target.this.dead_letter_config) == 1
    )
    error_message = "The retry policy reaches the target as given; the dead-letter queue stays."
  }

  assert {
    condition = (
      aws_cloudwatch_event_target.this.input_transformer[0].input_paths == tomap({ eventId = "$.id", sessionId = "$.detail.sessionId" }) &&
      aws_cloudwatch_event_target.this.input_transformer[0].input_template == "{\"eventId\": <eventId>, \"sessionId\": <sessionId>, \"rule\": <aws.events.rule-name>}"
    )
    error_message = "The input transformer reaches the target as given."
  }

  assert {
    condition     = aws_cloudwatch_event_rule.this.description == "Welcome email for every confirmed session."
    error_message = "A given description replaces the generated one."
  }
}

run "template_only_transformer_sends_no_empty_paths" {
  command = apply

  variables {
    input_transformer = {
      input_template = "{\"rule\": <aws.events.rule-name>, \"event\": <aws.events.event.json>}"
    }
  }

  assert {
    condition     = aws_cloudwatch_event_target.this.input_transformer[0].input_paths == null
    error_message = "Without input_paths no empty map is sent (it would show a perpetual diff)."
  }
}

run "caller_queue_is_used_and_not_created" {
  command = apply

  variables {
    dead_letter_queue_arn = "arn:aws:sqs:eu-west-1:123456789012:slipway-test-events-dlq"
  }

  assert {
    condition = (
      aws_cloudwatch_event_target.this.dead_letter_config[0].arn == "arn:aws:sqs:eu-west-1:123456789012:slipway-test-events-dlq" &&
      output.dead_letter_queue_arn == "arn:aws:sqs:eu-west-1:123456789012:slipway-test-events-dlq"
    )
    error_message = "A given queue is the target's dead-letter queue."
  }

  assert {
    condition = (
      length(aws_sqs_queue.dead_letter) == 0 && length(aws_sqs_queue_policy.dead_letter) == 0 &&
      output.dead_letter_queue_policy_json == null &&
      keys(output.alarm_arns) == ["dlq_delivery_failures", "failed_invocations"]
    )
    error_message = "With a given queue the module creates no queue, no queue policy and no depth alarm (the queue's owner alarms it)."
  }
}

run "customer_managed_key_encrypts_the_queue" {
  command = apply

  variables {
    kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  }

  assert {
    condition = (
      aws_sqs_queue.dead_letter[0].kms_master_key_id == "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    )
    error_message = "With kms_key_arn the queue is encrypted with that key instead of SSE-SQS."
  }
}

# The rule exists (earlier runs): its ARN is known, so a wrong account_id is refused at plan.
# For a new rule the same postcondition fails on apply, before the target is created.
run "wrong_account_id_is_refused" {
  command = plan

  variables {
    account_id = "210987654321"
  }

  expect_failures = [aws_cloudwatch_event_rule.this]
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
      "slipway-test-welcome-email-1-failed-invocations"    = " Runbook: docs/runbooks/test.md#slipway-test-welcome-email-1-failed-invocations"
      "slipway-test-welcome-email-1-dlq-delivery-failures" = " Runbook: docs/runbooks/test.md#slipway-test-welcome-email-1-dlq-delivery-failures"
      "slipway-test-welcome-email-1-dlq-depth"             = " Runbook: docs/runbooks/test.md#slipway-test-welcome-email-1-dlq-depth"
    }
    error_message = "Every alarm's description must end with ' Runbook: <runbook>#<its own name>'."
  }

  assert {
    condition     = toset(output.alarm_names) == toset(["slipway-test-welcome-email-1-failed-invocations", "slipway-test-welcome-email-1-dlq-delivery-failures", "slipway-test-welcome-email-1-dlq-depth"]) && length(output.alarm_names) == 3
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
