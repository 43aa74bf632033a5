# Secure defaults and generated IAM, asserted on a mock apply (no AWS calls, no credentials).
# The fixture is the media trigger of examples/basic: S3 "Object Created" under uploads/.
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
  # aws_cloudwatch_event_target validates role_arn and the dead-letter ARN even under a mock.
  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/slipway-test-media-trigger-events"
    }
  }
  mock_resource "aws_sqs_queue" {
    defaults = {
      arn = "arn:aws:sqs:eu-west-1:123456789012:slipway-test-media-trigger-dlq"
      id  = "https://sqs.eu-west-1.amazonaws.com/123456789012/slipway-test-media-trigger-dlq"
    }
  }
  mock_resource "aws_cloudwatch_event_rule" {
    defaults = {
      arn = "arn:aws:events:eu-west-1:123456789012:rule/slipway-test-media-trigger"
    }
  }
}

variables {
  name              = "slipway-test-media-trigger"
  state_machine_arn = "arn:aws:states:eu-west-1:123456789012:stateMachine:slipway-test-media"
  account_id        = "123456789012"
  event_pattern = jsonencode({
    source        = ["aws.s3"]
    "detail-type" = ["Object Created"]
    detail = {
      bucket = { name = ["slipway-test-media"] }
      object = { key = [{ prefix = "uploads/" }] }
    }
  })
  input_paths = {
    bucket    = "$.detail.bucket.name"
    key       = "$.detail.object.key"
    versionId = "$.detail.object.version-id"
    etag      = "$.detail.object.etag"
    size      = "$.detail.object.size"
    eventId   = "$.id"
  }
  input_template = "{\"object\": {\"bucket\": <bucket>, \"key\": <key>, \"versionId\": <versionId>, \"etag\": <etag>, \"size\": <size>}, \"correlationId\": <eventId>}"
  alarm_actions  = ["arn:aws:sns:eu-west-1:123456789012:slipway-test-alarms"]
}

run "secure_defaults" {
  command = apply

  assert {
    condition = (
      aws_cloudwatch_event_rule.this.event_bus_name == "default" &&
      aws_cloudwatch_event_rule.this.state == "ENABLED" &&
      jsondecode(aws_cloudwatch_event_rule.this.event_pattern) == {
        source        = ["aws.s3"]
        "detail-type" = ["Object Created"]
        detail = {
          bucket = { name = ["slipway-test-media"] }
          object = { key = [{ prefix = "uploads/" }] }
        }
      }
    )
    error_message = "The rule listens on the default bus (where S3 sends its events) for Object Created events of the media bucket under uploads/."
  }

  assert {
    condition = (
      aws_cloudwatch_event_target.this.arn == "arn:aws:states:eu-west-1:123456789012:stateMachine:slipway-test-media" &&
      aws_cloudwatch_event_target.this.role_arn == "arn:aws:iam::123456789012:role/slipway-test-media-trigger-events" &&
      aws_cloudwatch_event_target.this.event_bus_name == "default"
    )
    error_message = "The target is the state machine, started with the module's role."
  }

  assert {
    condition = (
      aws_cloudwatch_event_target.this.retry_policy[0].maximum_retry_attempts == 185 &&
      aws_cloudwatch_event_target.this.retry_policy[0].maximum_event_age_in_seconds == 86400 &&
      aws_cloudwatch_event_target.this.dead_letter_config[0].arn == "arn:aws:sqs:eu-west-1:123456789012:slipway-test-media-trigger-dlq"
    )
    error_message = "By default EventBridge retries for 24 h (185 attempts), then dead-letters into the module's queue."
  }

  assert {
    condition = (
      aws_cloudwatch_event_target.this.input_transformer[0].input_paths == tomap({
        bucket    = "$.detail.bucket.name"
        key       = "$.detail.object.key"
        versionId = "$.detail.object.version-id"
        etag      = "$.detail.object.etag"
        size      = "$.detail.object.size"
        eventId   = "$.id"
      }) &&
      aws_cloudwatch_event_target.this.input_transformer[0].input_template == "{\"object\": {\"bucket\": <bucket>, \"key\": <key>, \"versionId\": <versionId>, \"etag\": <etag>, \"size\": <size>}, \"correlationId\": <eventId>}"
    )
    error_message = "The input transformer must be deployed verbatim."
  }

  assert {
    # EventBridge fills a bare placeholder with the JSON value at the path; applied by hand to the
    # fixture event, the template must give the media flow's input contract.
    condition = jsondecode(replace(replace(replace(replace(replace(replace(
      aws_cloudwatch_event_target.this.input_transformer[0].input_template,
      "<bucket>", jsonencode(jsondecode(file("tests/fixtures/s3-object-created.json")).detail.bucket.name)),
      "<key>", jsonencode(jsondecode(file("tests/fixtures/s3-object-created.json")).detail.object.key)),
      "<versionId>", jsonencode(jsondecode(file("tests/fixtures/s3-object-created.json")).detail.object["version-id"])),
      "<etag>", jsonencode(jsondecode(file("tests/fixtures/s3-object-created.json")).detail.object.etag)),
      "<size>", jsonencode(jsondecode(file("tests/fixtures/s3-object-created.json")).detail.object.size)),
      "<eventId>", jsonencode(jsondecode(file("tests/fixtures/s3-object-created.json")).id))
      ) == {
      object = {
        bucket    = "slipway-test-media"
        key       = "uploads/2026/11/beach \"day\".jpg"
        versionId = "IYV3p45BhZA1jN1Rr6ZwG8fXkbLs"
        etag      = "b1946ac92492d2347c6235b4d2611184"
        size      = 48213
      }
      correlationId = "17793124-05d4-b198-2fde-7ededc63b103"
    }
    error_message = "The template must produce {object: {bucket, key, versionId, etag, size (a number)}, correlationId} even for a key with quotes."
  }

  assert {
    condition = (
      aws_iam_role.this.name == "slipway-test-media-trigger-events" &&
      aws_iam_role.this.permissions_boundary == null &&
      jsondecode(aws_iam_role.this.assume_role_policy).Statement[0].Principal == { Service = "events.amazonaws.com" } &&
      jsondecode(aws_iam_role.this.assume_role_policy).Statement[0].Condition == {
        ArnEquals    = { "aws:SourceArn" = "arn:aws:events:eu-west-1:123456789012:rule/slipway-test-media-trigger" }
        StringEquals = { "aws:SourceAccount" = "123456789012" }
      }
    )
    error_message = "Only EventBridge, on behalf of this rule in account_id (aws:SourceArn, aws:SourceAccount), may assume the role <name>-events."
  }

  assert {
    condition = aws_iam_role_policy.this.policy == output.policy_json && jsondecode(output.policy_json).Statement == [{
      Sid      = "StartStateMachineExecution"
      Effect   = "Allow"
      Action   = ["states:StartExecution"]
      Resource = ["arn:aws:states:eu-west-1:123456789012:stateMachine:slipway-test-media"]
    }]
    error_message = "The role may only call states:StartExecution on exactly the given state machine."
  }

  assert {
    condition = (
      aws_sqs_queue.dead_letter[0].name == "slipway-test-media-trigger-dlq" &&
      aws_sqs_queue.dead_letter[0].sqs_managed_sse_enabled == true &&
      aws_sqs_queue.dead_letter[0].message_retention_seconds == 1209600
    )
    error_message = "The dead-letter queue is <name>-dlq, SSE-SQS encrypted, and keeps messages 14 days."
  }

  assert {
    condition = aws_sqs_queue_policy.dead_letter[0].policy == output.dead_letter_queue_policy_json && jsondecode(output.dead_letter_queue_policy_json).Statement == [{
      Sid       = "EventBridgeDeadLetters"
      Effect    = "Allow"
      Principal = { Service = "events.amazonaws.com" }
      Action    = "sqs:SendMessage"
      Resource  = "arn:aws:sqs:eu-west-1:123456789012:slipway-test-media-trigger-dlq"
      Condition = { ArnEquals = { "aws:SourceArn" = "arn:aws:events:eu-west-1:123456789012:rule/slipway-test-media-trigger" } }
    }]
    error_message = "Only events.amazonaws.com, for this rule, may send messages to the queue."
  }

  assert {
    condition = (
      keys(output.alarm_arns) == ["dead_letter_delivery_failures", "dead_letter_messages", "failed_invocations"] &&
      aws_cloudwatch_metric_alarm.this["failed_invocations"].namespace == "AWS/Events" &&
      aws_cloudwatch_metric_alarm.this["failed_invocations"].metric_name == "FailedInvocations" &&
      aws_cloudwatch_metric_alarm.this["failed_invocations"].dimensions == tomap({ RuleName = "slipway-test-media-trigger" }) &&
      aws_cloudwatch_metric_alarm.this["dead_letter_delivery_failures"].metric_name == "InvocationsFailedToBeSentToDlq" &&
      aws_cloudwatch_metric_alarm.this["dead_letter_messages"].namespace == "AWS/SQS" &&
      aws_cloudwatch_metric_alarm.this["dead_letter_messages"].metric_name == "ApproximateNumberOfMessagesVisible" &&
      aws_cloudwatch_metric_alarm.this["dead_letter_messages"].dimensions == tomap({ QueueName = "slipway-test-media-trigger-dlq" })
    )
    error_message = "Alarms watch the rule's failed invocations (RuleName only on the default bus), its failed dead-letter deliveries and the queue's visible messages."
  }

  assert {
    condition = alltrue([for kind, alarm in aws_cloudwatch_metric_alarm.this : (
      alarm.threshold == 1 && alarm.period == 300 && alarm.evaluation_periods == 1 &&
      alarm.comparison_operator == "GreaterThanOrEqualToThreshold" && alarm.treat_missing_data == "notBreaching"
    )])
    error_message = "Alarms fire on the first occurrence per 5 minutes and do not breach on missing data."
  }

  assert {
    condition     = output.dead_letter_queue_arn == "arn:aws:sqs:eu-west-1:123456789012:slipway-test-media-trigger-dlq" && output.rule_arn == "arn:aws:events:eu-west-1:123456789012:rule/slipway-test-media-trigger"
    error_message = "The outputs are the ARNs built from account_id, as AWS names the rule and queue."
  }
}

run "custom_bus_no_queue_no_transformer" {
  command = apply

  variables {
    name                         = "slipway-test-a-very-long-trigger-name-for-media-processed-events"
    event_bus_name               = "slipway-test-media"
    event_pattern                = jsonencode({ source = ["slipway.media"], "detail-type" = ["MediaProcessed"] })
    input_paths                  = {}
    input_template               = null
    maximum_retry_attempts       = 3
    maximum_event_age_in_seconds = 3600
    create_dead_letter_queue     = false
    permissions_boundary_arn     = "arn:aws:iam::123456789012:policy/slipway/bootstrap/slipway-test-workload-boundary"
    alarm_actions                = ["arn:aws:sns:eu-west-1:123456789012:slipway-test-alerts"]
    alarms                       = { failed_invocations_threshold = 5, period_seconds = 60 }
  }

  assert {
    condition     = aws_cloudwatch_event_rule.this.event_bus_name == "slipway-test-media" && aws_cloudwatch_event_target.this.event_bus_name == "slipway-test-media"
    error_message = "Rule and target must be on the given bus."
  }

  assert {
    condition     = length(aws_cloudwatch_event_target.this.input_transformer) == 0
    error_message = "No input transformer without a template: the event is passed unchanged."
  }

  assert {
    condition = (
      length(aws_cloudwatch_event_target.this.dead_letter_config) == 0 &&
      length(aws_sqs_queue.dead_letter) == 0 && length(aws_sqs_queue_policy.dead_letter) == 0 &&
      output.dead_letter_queue_arn == null && output.dead_letter_queue_policy_json == null &&
      keys(output.alarm_arns) == ["failed_invocations"]
    )
    error_message = "create_dead_letter_queue = false creates no queue, no queue policy and no queue alarms."
  }

  assert {
    condition     = aws_cloudwatch_event_target.this.retry_policy[0].maximum_retry_attempts == 3 && aws_cloudwatch_event_target.this.retry_policy[0].maximum_event_age_in_seconds == 3600
    error_message = "The retry policy must reach the target."
  }

  assert {
    condition     = length(aws_iam_role.this.name) <= 64 && startswith(aws_iam_role.this.name, "slipway-test-a-very-long") && endswith(aws_iam_role.this.name, "-events")
    error_message = "Long names give a role name within IAM's 64 characters that keeps the prefix."
  }

  assert {
    condition     = aws_iam_role.this.permissions_boundary == "arn:aws:iam::123456789012:policy/slipway/bootstrap/slipway-test-workload-boundary"
    error_message = "The permissions boundary must be set on the role."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.this["failed_invocations"].dimensions == tomap({ EventBusName = "slipway-test-media", RuleName = "slipway-test-a-very-long-trigger-name-for-media-processed-events" }) &&
      aws_cloudwatch_metric_alarm.this["failed_invocations"].threshold == 5 &&
      aws_cloudwatch_metric_alarm.this["failed_invocations"].period == 60 &&
      aws_cloudwatch_metric_alarm.this["failed_invocations"].alarm_actions == toset(["arn:aws:sns:eu-west-1:123456789012:slipway-test-alerts"])
    )
    error_message = "On a custom bus the alarm needs EventBusName and RuleName; thresholds, period and actions come from the inputs."
  }
}

run "media_trigger_file_is_the_example" {
  # The sandbox runs libs/flows/media.trigger.json; the stacks load it into this module. It must be
  # exactly the pattern and transformer of examples/basic (and of this file's variables).
  command = plan

  variables {
    event_pattern  = jsonencode(jsondecode(replace(file("../../../libs/flows/media.trigger.json"), "{bucket}", "slipway-test-media")).eventPattern)
    input_paths    = jsondecode(file("../../../libs/flows/media.trigger.json")).inputPaths
    input_template = jsondecode(file("../../../libs/flows/media.trigger.json")).inputTemplate
  }

  assert {
    condition = (
      jsondecode(aws_cloudwatch_event_rule.this.event_pattern) == {
        source        = ["aws.s3"]
        "detail-type" = ["Object Created"]
        detail = {
          bucket = { name = ["slipway-test-media"] }
          object = { key = [{ prefix = "uploads/" }] }
        }
      } &&
      aws_cloudwatch_event_target.this.input_transformer[0].input_paths == tomap({
        bucket    = "$.detail.bucket.name"
        key       = "$.detail.object.key"
        versionId = "$.detail.object.version-id"
        etag      = "$.detail.object.etag"
        size      = "$.detail.object.size"
        eventId   = "$.id"
      }) &&
      aws_cloudwatch_event_target.this.input_transformer[0].input_template == "{\"object\": {\"bucket\": <bucket>, \"key\": <key>, \"versionId\": <versionId>, \"etag\": <etag>, \"size\": <size>}, \"correlationId\": <eventId>}"
    )
    error_message = "libs/flows/media.trigger.json and the module's documented media trigger (examples/basic) have drifted apart."
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
      "slipway-test-media-trigger-failed-invocations"    = " Runbook: docs/runbooks/test.md#slipway-test-media-trigger-failed-invocations"
      "slipway-test-media-trigger-dlq-messages"          = " Runbook: docs/runbooks/test.md#slipway-test-media-trigger-dlq-messages"
      "slipway-test-media-trigger-dlq-delivery-failures" = " Runbook: docs/runbooks/test.md#slipway-test-media-trigger-dlq-delivery-failures"
    }
    error_message = "Every alarm's description must end with ' Runbook: <runbook>#<its own name>'."
  }

  assert {
    condition     = toset(output.alarm_names) == toset(["slipway-test-media-trigger-failed-invocations", "slipway-test-media-trigger-dlq-messages", "slipway-test-media-trigger-dlq-delivery-failures"]) && length(output.alarm_names) == 3
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
