# Encryption, the two policies and the subscriptions, asserted on a mock apply (no AWS calls).
mock_provider "aws" {
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
  mock_resource "aws_sns_topic" {
    defaults = {
      arn = "arn:aws:sns:eu-west-1:123456789012:slipway-test-alarms"
    }
  }
}

variables {
  name       = "slipway-test-alarms"
  account_id = "123456789012"
  subscriptions = [
    { protocol = "email", endpoint = "oncall@test.slipway.example" },
    { protocol = "https", endpoint = "https://hooks.slipway.example/alarms" },
  ]
}

run "encrypted_with_its_own_rotating_key" {
  command = apply

  assert {
    condition     = aws_sns_topic.this.name == "slipway-test-alarms" && aws_sns_topic.this.kms_master_key_id == "alias/slipway-test-alarms"
    error_message = "The topic must be encrypted with the module's key, by its alias."
  }

  assert {
    condition     = aws_kms_alias.this.name == "alias/slipway-test-alarms" && aws_kms_alias.this.target_key_id == aws_kms_key.this.key_id
    error_message = "The alias must point at the module's key."
  }

  assert {
    condition     = aws_kms_key.this.enable_key_rotation == true && aws_kms_key.this.deletion_window_in_days == 30
    error_message = "The key must rotate and keep the 30-day deletion window by default."
  }

  assert {
    condition = jsondecode(aws_kms_key.this.policy) == {
      Version = "2012-10-17"
      Statement = [
        {
          Sid       = "AccountAdministers"
          Effect    = "Allow"
          Principal = { AWS = "arn:aws:iam::123456789012:root" }
          Action    = "kms:*"
          Resource  = "*"
        },
        {
          Sid       = "CloudWatchAlarmsEncrypt"
          Effect    = "Allow"
          Principal = { Service = "cloudwatch.amazonaws.com" }
          Action    = ["kms:Decrypt", "kms:GenerateDataKey*"]
          Resource  = "*"
          Condition = {
            StringEquals = { "aws:SourceAccount" = "123456789012" }
            ArnLike      = { "aws:SourceArn" = "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:*" }
          }
        },
      ]
    }
    error_message = "The key policy must let the account administer the key and CloudWatch alarms of this account only use it."
  }
}

run "only_this_accounts_alarms_publish_over_tls" {
  command = apply

  assert {
    condition = jsondecode(aws_sns_topic_policy.this.policy) == {
      Version = "2012-10-17"
      Statement = [
        {
          Sid       = "CloudWatchAlarmsPublish"
          Effect    = "Allow"
          Principal = { Service = "cloudwatch.amazonaws.com" }
          Action    = "sns:Publish"
          Resource  = "arn:aws:sns:eu-west-1:123456789012:slipway-test-alarms"
          Condition = {
            StringEquals = { "aws:SourceAccount" = "123456789012" }
            ArnLike      = { "aws:SourceArn" = "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:*" }
          }
        },
        {
          Sid       = "DenyInsecureTransport"
          Effect    = "Deny"
          Principal = "*"
          Action    = "sns:Publish"
          Resource  = "arn:aws:sns:eu-west-1:123456789012:slipway-test-alarms"
          Condition = { Bool = { "aws:SecureTransport" = "false" } }
        },
      ]
    }
    error_message = "The topic policy must admit CloudWatch alarms of this account only and deny publishes without TLS."
  }

  assert {
    condition     = aws_sns_topic_policy.this.arn == "arn:aws:sns:eu-west-1:123456789012:slipway-test-alarms"
    error_message = "The policy must be attached to the module's topic."
  }
}

run "subscribes_every_endpoint" {
  command = apply

  assert {
    condition = {
      for k, s in aws_sns_topic_subscription.this : k => [s.protocol, s.endpoint, s.topic_arn]
      } == {
      "email:oncall@test.slipway.example"          = ["email", "oncall@test.slipway.example", "arn:aws:sns:eu-west-1:123456789012:slipway-test-alarms"]
      "https:https://hooks.slipway.example/alarms" = ["https", "https://hooks.slipway.example/alarms", "arn:aws:sns:eu-west-1:123456789012:slipway-test-alarms"]
    }
    error_message = "Every listed endpoint must be subscribed to the topic, and nothing else."
  }

  assert {
    condition     = output.topic_arn == "arn:aws:sns:eu-west-1:123456789012:slipway-test-alarms"
    error_message = "topic_arn must be the topic's ARN."
  }
}

run "topic_arn_known_at_plan" {
  command = plan

  assert {
    condition     = output.topic_arn == "arn:aws:sns:eu-west-1:123456789012:slipway-test-alarms" && aws_sns_topic.this.kms_master_key_id == "alias/slipway-test-alarms"
    error_message = "topic_arn and the topic's key must be known at plan time (alarm_actions and governance read them)."
  }
}

run "no_subscriptions" {
  command = apply

  variables {
    subscriptions = []
  }

  assert {
    condition     = length(aws_sns_topic_subscription.this) == 0 && aws_sns_topic.this.kms_master_key_id == "alias/slipway-test-alarms"
    error_message = "Without subscriptions the topic is still created, encrypted, with none."
  }
}
