# On-call observability (issue 15): what the plan and deploy roles need for
# terraform/modules/alarm-topic (the environment's KMS-encrypted alarm topic, its key, alias,
# policy and subscriptions) and terraform/modules/domain-observability (a dashboard, a composite
# alarm, Logs Insights saved queries and X-Ray groups per domain). Kept in one file; iam.tf only
# concatenates these statements into its policies. Composite alarms are alarms
# (<prefix>-<env>-<domain>-health): ReadAlarms and ManageAlarms in iam.tf cover them.
#
# The alarm topic's key is the one resource whose ARN cannot carry the environment: KMS
# generates its id. It is scoped by the environment tag every stack resource carries (the
# stacks' provider default_tags, terraform/stacks/src/aws-provider.ts): created only with
# environment = <env> in the request, managed only while it carries that tag. The bootstrap's own
# delivery keys are tagged environment = "shared" and their key policies admit no IAM grant of
# the deploy role anyway (kms.tf).
# https://docs.aws.amazon.com/kms/latest/developerguide/tag-authorization.html

locals {
  # Dashboards are global: arn:<partition>:cloudwatch::<account>:dashboard/<name>.
  dashboard_arn = "arn:${local.partition}:cloudwatch::${local.account}"

  observability_scope = {
    for env in local.environments : env => {
      # terraform/stacks/src/observability.ts: one topic per environment, <prefix>-<env>-alarms,
      # and its key's alias alias/<topic>.
      alarm_topic = "${local.arn.sns}:${var.name_prefix}-${env}-alarms"
      alarm_alias = "${local.arn.kms}:alias/${var.name_prefix}-${env}-alarms"
      # The key's environment tag, in the request (CreateKey) or on the key (everything after).
      key_tag     = { "aws:RequestTag/environment" = env }
      key_has_tag = { "aws:ResourceTag/environment" = env }
      dashboards  = ["${local.dashboard_arn}:dashboard/${var.name_prefix}-${env}-*"]
      # group/<name>/<generated id>; "*" spans the id (and the bare group/<name> of CreateGroup).
      xray_groups = ["${local.arn.xray}:group/${var.name_prefix}-${env}-*"]
    }
  }

  # Dashboards and X-Ray groups are read by name: ReadIntegrationResources in iam.tf, with the
  # topics and alarms (composite ones too).
  observability_read_actions = ["cloudwatch:GetDashboard", "xray:GetGroup", "xray:ListTagsForResource"]

  # Refresh of the alarm topic's key, alias and subscriptions and of the saved queries.
  observability_read_statements = {
    for env, o in local.observability_scope : env => [
      {
        Sid       = "ReadAlarmTopicKeys"
        Effect    = "Allow"
        Action    = ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"]
        Resource  = ["${local.arn.kms}:key/*"]
        Condition = { StringEquals = o.key_has_tag }
      },
      {
        # No resource type for any of these (Service Authorization Reference): an alias is read
        # by listing the account's aliases, a saved query by listing definitions by name prefix,
        # a subscription by its ARN, which is no IAM resource.
        Sid      = "ReadAliasesQueriesAndSubscriptions"
        Effect   = "Allow"
        Action   = ["kms:ListAliases", "logs:DescribeQueryDefinitions", "sns:GetSubscriptionAttributes"]
        Resource = "*"
      },
    ]
  }

  # Deploy of the alarm topic's key, alias and subscriptions (deploy_integration, beside the
  # topics and alarms).
  alarm_topic_deploy_statements = {
    for env, o in local.observability_scope : env => [
      {
        # CreateKey has no resource type (the key does not exist yet): "*", with the environment
        # tag required in the request, so every key this role creates is one it may manage.
        Sid       = "CreateAlarmTopicKeys"
        Effect    = "Allow"
        Action    = ["kms:CreateKey"]
        Resource  = "*"
        Condition = { StringEquals = o.key_tag }
      },
      {
        # Administration of this environment's keys only, no cryptographic use: the deploy role
        # never encrypts or decrypts alarm messages (CloudWatch does, through the key policy).
        # kms:CreateAlias/DeleteAlias/UpdateAlias are also authorized on the key.
        Sid    = "ManageAlarmTopicKeys"
        Effect = "Allow"
        Action = [
          "kms:CreateAlias",
          "kms:DeleteAlias",
          "kms:EnableKeyRotation",
          "kms:PutKeyPolicy",
          "kms:ScheduleKeyDeletion",
          "kms:TagResource",
          "kms:UntagResource",
          "kms:UpdateAlias",
          "kms:UpdateKeyDescription",
        ]
        Resource  = ["${local.arn.kms}:key/*"]
        Condition = { StringEquals = o.key_has_tag }
      },
      {
        Sid      = "ManageAlarmTopicAlias"
        Effect   = "Allow"
        Action   = ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"]
        Resource = [o.alarm_alias]
      },
      {
        # Who the alarms reach (environments.json): email or https on the alarm topic only, so
        # no other topic can feed an outside endpoint.
        Sid       = "SubscribeAlarmTopicToPeople"
        Effect    = "Allow"
        Action    = ["sns:Subscribe"]
        Resource  = [o.alarm_topic]
        Condition = { StringEquals = { "sns:Protocol" = ["email", "https"] } }
      },
      {
        # The module's other protocols: only this account's queues and functions, in this Region.
        Sid      = "SubscribeAlarmTopicToOwnQueuesAndFunctions"
        Effect   = "Allow"
        Action   = ["sns:Subscribe"]
        Resource = [o.alarm_topic]
        Condition = {
          StringEquals = { "sns:Protocol" = ["sqs", "lambda"] }
          StringLike   = { "sns:Endpoint" = ["${local.arn.sqs}:*", "${local.arn.lambda}:function:*"] }
        }
      },
      {
        # A subscription's ARN is no IAM resource type: AWS only accepts "*" here. SNS lets only
        # the subscription's or the topic's owner change or delete an authenticated one.
        Sid      = "ManageSubscriptions"
        Effect   = "Allow"
        Action   = ["sns:SetSubscriptionAttributes", "sns:Unsubscribe"]
        Resource = "*"
      },
    ]
  }

  # Deploy of dashboards, saved queries and X-Ray groups (deploy_compute, beside the log groups
  # they read).
  observability_deploy_statements = {
    for env, o in local.observability_scope : env => [
      {
        Sid      = "ManageDashboards"
        Effect   = "Allow"
        Action   = ["cloudwatch:DeleteDashboards", "cloudwatch:PutDashboard"]
        Resource = o.dashboards
      },
      {
        # Query definitions have no resource type (their ids are generated): "*".
        Sid      = "ManageQueryDefinitions"
        Effect   = "Allow"
        Action   = ["logs:DeleteQueryDefinition", "logs:PutQueryDefinition"]
        Resource = "*"
      },
      {
        Sid      = "ManageXrayGroups"
        Effect   = "Allow"
        Action   = ["xray:CreateGroup", "xray:DeleteGroup", "xray:TagResource", "xray:UntagResource", "xray:UpdateGroup"]
        Resource = o.xray_groups
      },
    ]
  }
}
