# Without account_id the module reads the rule's and the queue's ARNs back from AWS (mocked
# here as AWS would return them for a rule on the default bus), and scopes the permission and
# the queue policy to them.
mock_provider "aws" {
  mock_resource "aws_cloudwatch_event_rule" {
    defaults = {
      arn = "arn:aws:events:eu-west-1:123456789012:rule/slipway-test-uploads-1"
    }
  }
  mock_resource "aws_sqs_queue" {
    defaults = {
      arn = "arn:aws:sqs:eu-west-1:123456789012:slipway-test-uploads-1-dlq"
      id  = "https://sqs.eu-west-1.amazonaws.com/123456789012/slipway-test-uploads-1-dlq"
    }
  }
}

variables {
  function_arn  = "arn:aws:lambda:eu-west-1:123456789012:function:slipway-test-thumbnailer"
  function_name = "slipway-test-thumbnailer"
  alarm_actions = ["arn:aws:sns:eu-west-1:123456789012:slipway-test-alarms"]
}

run "default_bus_reads_the_rule_arn_back" {
  command = apply

  variables {
    name           = "slipway-test-uploads-1"
    event_bus_name = "default"
    event_pattern  = jsonencode({ source = ["aws.s3"], "detail-type" = ["Object Created"] })
  }

  assert {
    condition = (
      aws_lambda_permission.this.source_arn == "arn:aws:events:eu-west-1:123456789012:rule/slipway-test-uploads-1" &&
      jsondecode(aws_sqs_queue_policy.dead_letter[0].policy).Statement[0].Condition.ArnEquals["aws:SourceArn"] == "arn:aws:events:eu-west-1:123456789012:rule/slipway-test-uploads-1" &&
      jsondecode(aws_sqs_queue_policy.dead_letter[0].policy).Statement[0].Resource == "arn:aws:sqs:eu-west-1:123456789012:slipway-test-uploads-1-dlq"
    )
    error_message = "Without account_id the permission and the queue policy use the ARNs AWS returns for the rule and the queue."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.this["failed_invocations"].dimensions == tomap({ RuleName = "slipway-test-uploads-1" }) &&
      aws_cloudwatch_metric_alarm.this["dlq_delivery_failures"].dimensions == tomap({ RuleName = "slipway-test-uploads-1" })
    )
    error_message = "On the default bus EventBridge publishes the rule's metrics with RuleName only."
  }
}
