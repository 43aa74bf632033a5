# Per environment: a read-only "plan" role for pull requests (and drift checks), a "deploy" role
# for the GitHub environment of the same name, and the permissions boundary every workload role
# (Lambda / Step Functions execution role) created by that deploy role must carry.
#
# Every statement names its resources. The few "*" resources are actions AWS only authorizes on
# "*"; each is listed with its reason in README.md ("Where `*` is unavoidable"). No action uses a
# wildcard.

locals {
  arn = {
    s3     = "arn:${local.partition}:s3:::"
    iam    = "arn:${local.partition}:iam::${local.account}"
    lambda = "arn:${local.partition}:lambda:${local.region}:${local.account}"
    logs   = "arn:${local.partition}:logs:${local.region}:${local.account}"
    states = "arn:${local.partition}:states:${local.region}:${local.account}"
    sqs    = "arn:${local.partition}:sqs:${local.region}:${local.account}"
    sns    = "arn:${local.partition}:sns:${local.region}:${local.account}"
    events = "arn:${local.partition}:events:${local.region}:${local.account}"
    sched  = "arn:${local.partition}:scheduler:${local.region}:${local.account}"
    cw     = "arn:${local.partition}:cloudwatch:${local.region}:${local.account}"
    ssm    = "arn:${local.partition}:ssm:${local.region}:${local.account}"
    secret = "arn:${local.partition}:secretsmanager:${local.region}:${local.account}"
    kms    = "arn:${local.partition}:kms:${local.region}:${local.account}"
    xray   = "arn:${local.partition}:xray:${local.region}:${local.account}"
    mc     = "arn:${local.partition}:mediaconvert:${local.region}:${local.account}"
    ddb    = "arn:${local.partition}:dynamodb:${local.region}:${local.account}"
    ses    = "arn:${local.partition}:ses:${local.region}:${local.account}"
    # API Gateway's management ARNs name no account: arn:aws:apigateway:<region>::/restapis/...
    apigw = "arn:${local.partition}:apigateway:${local.region}::"
    waf   = "arn:${local.partition}:wafv2:${local.region}:${local.account}"
  }

  state_bucket_arn    = "${local.arn.s3}${local.state_bucket_name}"
  artifact_bucket_arn = "${local.arn.s3}${local.artifact_bucket_name}"

  # Resource scopes of one environment: everything a stack creates is named "<prefix>-<env>-...".
  scope = {
    for env in local.environments : env => {
      name_prefix = "${var.name_prefix}-${env}-"
      roles       = ["${local.arn.iam}:role/${var.name_prefix}-${env}-*"]
      functions   = ["${local.arn.lambda}:function:${var.name_prefix}-${env}-*"]
      # Unqualified functions and their versions/aliases ("<name>:<qualifier>").
      functions_qualified = [
        "${local.arn.lambda}:function:${var.name_prefix}-${env}-*",
        "${local.arn.lambda}:function:${var.name_prefix}-${env}-*:*",
      ]
      log_groups = [
        "${local.arn.logs}:log-group:/aws/lambda/${var.name_prefix}-${env}-*",
        "${local.arn.logs}:log-group:/aws/vendedlogs/states/${var.name_prefix}-${env}-*",
      ]
      # The REST API's access logs (/aws/apigateway/<api name>/<stage>/access) and the execution
      # logs API Gateway writes to API-Gateway-Execution-Logs_<generated api id>/<stage>, where the
      # stage is the environment (modules/rest-api/logs.tf). Not in the workload boundary: API
      # Gateway writes them with the account's CloudWatch role (apigateway.tf).
      api_log_groups = [
        "${local.arn.logs}:log-group:/aws/apigateway/${var.name_prefix}-${env}-*",
        "${local.arn.logs}:log-group:API-Gateway-Execution-Logs_*/${env}",
      ]
      # <prefix>-<env>-api (terraform/stacks): the name the ApiName condition keys compare.
      api_names = "${var.name_prefix}-${env}-*"
      state_machines = [
        "${local.arn.states}:stateMachine:${var.name_prefix}-${env}-*",
      ]
      queues  = ["${local.arn.sqs}:${var.name_prefix}-${env}-*"]
      topics  = ["${local.arn.sns}:${var.name_prefix}-${env}-*"]
      alarms  = ["${local.arn.cw}:alarm:${var.name_prefix}-${env}-*"]
      rules   = ["${local.arn.events}:rule/${var.name_prefix}-${env}-*"]
      buses   = ["${local.arn.events}:event-bus/${var.name_prefix}-${env}-*"]
      buckets = ["${local.arn.s3}${var.name_prefix}-${env}-*"]
      tables  = ["${local.arn.ddb}:table/${var.name_prefix}-${env}-*"]
      # SES templates are named "<prefix>-<env>-<template>" (modules/email-template).
      email_templates = ["${local.arn.ses}:template/${var.name_prefix}-${env}-*"]
      objects         = ["${local.arn.s3}${var.name_prefix}-${env}-*/*"]
      # Archives are named "<bus>-archive" (modules/event-bus), so they share the bus prefix.
      archives = ["${local.arn.events}:archive/${var.name_prefix}-${env}-*"]
      # The schedule module puts every schedule in the default group: schedule/default/<name>.
      schedules = ["${local.arn.sched}:schedule/default/${var.name_prefix}-${env}-*"]
      # The Terraform state of this environment and its S3 lock files (use_lockfile = true).
      state_objects = ["${local.state_bucket_arn}/${env}/*"]
      state_locks   = ["${local.state_bucket_arn}/${env}/*.tflock"]
      artifacts     = ["${local.artifact_bucket_arn}/${env}/*"]
      # Built, not read from aws_iam_policy.workload_boundary, so the deploy policy is fully known
      # at plan time and governance can check it in the plan JSON.
      boundary = "${local.arn.iam}:policy${local.iam_path}${var.name_prefix}-${env}-workload-boundary"
    }
  }

  # Read-only actions Terraform needs to refresh what the stacks manage, per service.
  read_actions = {
    lambda = [
      "lambda:GetAlias",
      "lambda:GetFunction",
      "lambda:GetFunctionCodeSigningConfig",
      "lambda:GetFunctionConcurrency",
      "lambda:GetFunctionConfiguration",
      "lambda:GetFunctionEventInvokeConfig",
      "lambda:GetFunctionRecursionConfig",
      "lambda:GetPolicy",
      "lambda:GetRuntimeManagementConfig",
      "lambda:ListAliases",
      "lambda:ListTags",
      "lambda:ListVersionsByFunction",
    ]
    iam = [
      "iam:GetRole",
      "iam:GetRolePolicy",
      "iam:ListAttachedRolePolicies",
      "iam:ListRolePolicies",
    ]
    logs = [
      "logs:ListTagsForResource",
      "logs:ListTagsLogGroup",
    ]
    states = [
      "states:DescribeStateMachine",
      "states:ListStateMachineVersions",
      "states:ListTagsForResource",
    ]
    sqs = [
      "sqs:GetQueueAttributes",
      "sqs:GetQueueUrl",
      "sqs:ListQueueTags",
    ]
    # Subscriptions are read on "*" (observability.tf): their ARNs are no IAM resource type.
    sns = [
      "sns:GetTopicAttributes",
      "sns:ListSubscriptionsByTopic",
      "sns:ListTagsForResource",
    ]
    cloudwatch = [
      "cloudwatch:DescribeAlarms",
      "cloudwatch:ListTagsForResource",
    ]
    events_rules = [
      "events:DescribeRule",
      "events:ListTagsForResource",
      "events:ListTargetsByRule",
    ]
    events_buses = [
      "events:DescribeEventBus",
      "events:ListTagsForResource",
    ]
    events_archives = ["events:DescribeArchive"]
    # Schedules carry no tags (only schedule groups do).
    schedules = ["scheduler:GetSchedule"]
    # aws_ses_template's refresh; templates carry no tags.
    email_templates = ["ses:GetTemplate"]
    # aws_dynamodb_table's refresh: the table, its point-in-time recovery, its TTL and tags.
    dynamodb = [
      "dynamodb:DescribeContinuousBackups",
      "dynamodb:DescribeTable",
      "dynamodb:DescribeTimeToLive",
      "dynamodb:ListTagsOfResource",
    ]
    # Everything aws_s3_bucket and its split configuration resources read on refresh.
    s3_buckets = [
      "s3:GetAccelerateConfiguration",
      "s3:GetBucketAcl",
      "s3:GetBucketCORS",
      "s3:GetBucketLocation",
      "s3:GetBucketLogging",
      "s3:GetBucketNotification",
      "s3:GetBucketObjectLockConfiguration",
      "s3:GetBucketOwnershipControls",
      "s3:GetBucketPolicy",
      "s3:GetBucketPolicyStatus",
      "s3:GetBucketPublicAccessBlock",
      "s3:GetBucketRequestPayment",
      "s3:GetBucketTagging",
      "s3:GetBucketVersioning",
      "s3:GetBucketWebsite",
      "s3:GetEncryptionConfiguration",
      "s3:GetLifecycleConfiguration",
      "s3:GetReplicationConfiguration",
      "s3:ListBucket",
    ]
  }

  # Statements shared by plan and deploy roles: reading this environment's state and every
  # resource type the stacks manage. Nothing here writes: plans run with -lock=false, so the plan
  # role (which pull-request code may hold) cannot create or delete a lock file and block an apply.
  common_statements = {
    for env, s in local.scope : env => [
      {
        Sid      = "ListOwnState"
        Effect   = "Allow"
        Action   = ["s3:ListBucket"]
        Resource = [local.state_bucket_arn]
        # Stacks use key "<env>/<stack>.tfstate". The S3 backend also lists its workspace prefix
        # on init: "<env>/workspaces/" when configured as recommended, else the default "env:/",
        # which only reveals names of non-default workspace states (Slipway uses none).
        Condition = { StringEquals = local.s3_own_account, StringLike = { "s3:prefix" = ["${env}/*", "env:/", "env:/*"] } }
      },
      {
        Sid       = "ReadOwnState"
        Effect    = "Allow"
        Action    = ["s3:GetObject"]
        Resource  = s.state_objects
        Condition = { StringEquals = local.s3_own_account }
      },
      {
        Sid      = "ReadFunctions"
        Effect   = "Allow"
        Action   = local.read_actions.lambda
        Resource = s.functions_qualified
      },
      {
        Sid      = "ReadEventSourceMappings"
        Effect   = "Allow"
        Action   = ["lambda:GetEventSourceMapping", "lambda:ListTags"]
        Resource = ["${local.arn.lambda}:event-source-mapping:*"]
      },
      {
        Sid      = "ReadRoles"
        Effect   = "Allow"
        Action   = local.read_actions.iam
        Resource = s.roles
      },
      {
        Sid      = "ReadLogGroups"
        Effect   = "Allow"
        Action   = local.read_actions.logs
        Resource = concat(s.log_groups, s.api_log_groups, [for g in concat(s.log_groups, s.api_log_groups) : "${g}:*"])
      },
      {
        # API, deployment, stage, authorizer and domain ids are generated by API Gateway and its
        # ARNs name no account: reads are scoped to the region's REST APIs and domain names.
        Sid      = "ReadRestApis"
        Effect   = "Allow"
        Action   = ["apigateway:GET"]
        Resource = ["${local.arn.apigw}/restapis", "${local.arn.apigw}/restapis/*", "${local.arn.apigw}/domainnames", "${local.arn.apigw}/domainnames/*"]
      },
      {
        # DescribeLogGroups is authorized on the account's log-group namespace, not on one group.
        Sid      = "DescribeLogGroups"
        Effect   = "Allow"
        Action   = ["logs:DescribeLogGroups"]
        Resource = ["${local.arn.logs}:log-group:*"]
      },
      {
        Sid      = "ReadStateMachines"
        Effect   = "Allow"
        Action   = local.read_actions.states
        Resource = concat(s.state_machines, [for m in s.state_machines : "${m}:*"])
      },
      {
        # Every resource type read by name, in one statement: IAM's 6,144-character limit on a
        # managed policy. Each service's actions are only ever authorized on that service's own
        # ARNs (and each action on its own resource type), so the cross product of these actions
        # and resources allows nothing the separate statements would not.
        Sid    = "ReadIntegrationResources"
        Effect = "Allow"
        Action = distinct(concat(
          local.read_actions.sqs, local.read_actions.sns, local.read_actions.cloudwatch,
          local.read_actions.events_rules, local.read_actions.events_buses, local.read_actions.events_archives,
          local.read_actions.schedules, local.read_actions.dynamodb, local.read_actions.email_templates,
          local.observability_read_actions,
        ))
        Resource = concat(
          s.queues, s.topics, s.alarms, s.rules, s.buses, s.archives, s.schedules, s.tables, s.email_templates,
          local.observability_scope[env].dashboards, local.observability_scope[env].xray_groups,
        )
      },
      {
        Sid       = "ReadBuckets"
        Effect    = "Allow"
        Action    = local.read_actions.s3_buckets
        Resource  = s.buckets
        Condition = { StringEquals = local.s3_own_account }
      },
      {
        # Neither action has a resource type: AWS only accepts "*". The AWS provider validates a
        # changed state machine definition with the API while planning.
        Sid      = "ListMappingsAndValidateDefinitions"
        Effect   = "Allow"
        Action   = ["lambda:ListEventSourceMappings", "states:ValidateStateMachineDefinition"]
        Resource = "*"
      },
    ]
  }

  # Managed policies, not inline: a role's inline policies share one 10,240-character quota that
  # the deploy permissions would exceed; each managed policy may hold 6,144 characters.
  # https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
  read_policy = {
    for env in local.environments : env => {
      Version   = "2012-10-17"
      Statement = concat(local.common_statements[env], local.appsync_read_statements[env], local.observability_read_statements[env])
    }
  }

  # The environment's delivery key (kms.tf), as the identity half of each use the key policy
  # admits, with the same conditions: its ARN exists only after apply, so these two policies are
  # separate from the ones above, which stay fully known in the plan.
  plan_key_policy = {
    for env in local.environments : env => {
      Version = "2012-10-17"
      Statement = [
        {
          Sid       = "DecryptOwnState"
          Effect    = "Allow"
          Action    = ["kms:Decrypt"]
          Resource  = [aws_kms_key.delivery[env].arn]
          Condition = local.kms_state_conditions[env]
        },
        {
          # Seal the plan for the deploy job; no kms:Decrypt with this context, ever.
          Sid       = "SealPlans"
          Effect    = "Allow"
          Action    = ["kms:GenerateDataKey"]
          Resource  = [aws_kms_key.delivery[env].arn]
          Condition = local.kms_plan_conditions[env]
        },
      ]
    }
  }

  deploy_key_policy = {
    for env in local.environments : env => {
      Version = "2012-10-17"
      Statement = [
        {
          # State and lock files: read (Decrypt) and write (GenerateDataKey), through S3 only.
          Sid       = "EncryptOwnState"
          Effect    = "Allow"
          Action    = ["kms:Decrypt", "kms:GenerateDataKey"]
          Resource  = [aws_kms_key.delivery[env].arn]
          Condition = local.kms_state_conditions[env]
        },
        {
          Sid       = "OpenPlans"
          Effect    = "Allow"
          Action    = ["kms:Decrypt"]
          Resource  = [aws_kms_key.delivery[env].arn]
          Condition = local.kms_plan_conditions[env]
        },
      ]
    }
  }

  # Deploy, part 1: state and artifacts, roles, functions, logs, state machines, and what reads
  # them on call (dashboards, saved queries, X-Ray groups: observability.tf).
  deploy_compute_policy = {
    for env, s in local.scope : env => {
      Version = "2012-10-17"
      Statement = concat([
        {
          Sid       = "WriteOwnState"
          Effect    = "Allow"
          Action    = ["s3:PutObject"]
          Resource  = s.state_objects
          Condition = { StringEquals = local.s3_own_account }
        },
        {
          # Only the deploy role locks state (use_lockfile): plans never do (-lock=false).
          Sid       = "LockOwnState"
          Effect    = "Allow"
          Action    = ["s3:DeleteObject"]
          Resource  = s.state_locks
          Condition = { StringEquals = local.s3_own_account }
        },
        {
          Sid       = "UploadArtifacts"
          Effect    = "Allow"
          Action    = ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"]
          Resource  = s.artifacts
          Condition = { StringEquals = local.s3_own_account }
        },
        {
          Sid       = "ListOwnArtifacts"
          Effect    = "Allow"
          Action    = ["s3:ListBucket"]
          Resource  = [local.artifact_bucket_arn]
          Condition = { StringEquals = local.s3_own_account, StringLike = { "s3:prefix" = ["${env}/*"] } }
        },
        {
          # Creating or changing a workload role's policy is only allowed when the role carries
          # this environment's boundary, so a deploy can never mint a role stronger than it.
          Sid    = "ManageWorkloadRolesWithinBoundary"
          Effect = "Allow"
          Action = [
            "iam:CreateRole",
            "iam:DeleteRolePolicy",
            "iam:PutRolePermissionsBoundary",
            "iam:PutRolePolicy",
          ]
          Resource  = s.roles
          Condition = { StringEquals = { "iam:PermissionsBoundary" = s.boundary } }
        },
        {
          # No iam:UpdateAssumeRolePolicy: IAM has no condition key on a trust policy's content,
          # so a deploy role allowed to re-trust roles could make one trust an outside account.
          # A changed workload trust policy is applied by an administrator (README.md). CreateRole
          # sets a trust policy too: org-policies/ holds the RCP that keeps it inside the org.
          Sid    = "ManageWorkloadRoles"
          Effect = "Allow"
          Action = [
            "iam:DeleteRole",
            "iam:ListInstanceProfilesForRole",
            "iam:TagRole",
            "iam:UntagRole",
            "iam:UpdateRole",
            "iam:UpdateRoleDescription",
          ]
          Resource = s.roles
        },
        {
          Sid      = "PassWorkloadRoles"
          Effect   = "Allow"
          Action   = ["iam:PassRole"]
          Resource = s.roles
          Condition = { StringEquals = {
            "iam:PassedToService" = ["lambda.amazonaws.com", "states.amazonaws.com", "events.amazonaws.com", "scheduler.amazonaws.com"]
          } }
        },
        {
          Sid    = "ManageFunctions"
          Effect = "Allow"
          Action = [
            "lambda:CreateAlias",
            "lambda:CreateFunction",
            "lambda:DeleteAlias",
            "lambda:DeleteFunction",
            "lambda:DeleteFunctionConcurrency",
            "lambda:DeleteFunctionEventInvokeConfig",
            "lambda:PublishVersion",
            "lambda:PutFunctionConcurrency",
            "lambda:PutFunctionEventInvokeConfig",
            "lambda:TagResource",
            "lambda:UntagResource",
            "lambda:UpdateAlias",
            "lambda:UpdateFunctionCode",
            "lambda:UpdateFunctionConfiguration",
            "lambda:UpdateFunctionEventInvokeConfig",
          ]
          Resource = s.functions_qualified
        },
        {
          # CreateEventSourceMapping has no resource type ("*"); the condition pins the function.
          Sid       = "CreateEventSourceMappings"
          Effect    = "Allow"
          Action    = ["lambda:CreateEventSourceMapping"]
          Resource  = "*"
          Condition = { ArnLike = { "lambda:FunctionArn" = s.functions } }
        },
        {
          Sid       = "ManageEventSourceMappings"
          Effect    = "Allow"
          Action    = ["lambda:DeleteEventSourceMapping", "lambda:UpdateEventSourceMapping"]
          Resource  = ["${local.arn.lambda}:event-source-mapping:*"]
          Condition = { ArnLike = { "lambda:FunctionArn" = s.functions } }
        },
        {
          Sid      = "TagEventSourceMappings"
          Effect   = "Allow"
          Action   = ["lambda:TagResource", "lambda:UntagResource"]
          Resource = ["${local.arn.lambda}:event-source-mapping:*"]
        },
        {
          Sid    = "ManageLogGroups"
          Effect = "Allow"
          Action = [
            "logs:AssociateKmsKey",
            "logs:CreateLogGroup",
            "logs:DeleteLogGroup",
            "logs:DeleteRetentionPolicy",
            "logs:DisassociateKmsKey",
            "logs:PutRetentionPolicy",
            "logs:TagLogGroup",
            "logs:TagResource",
            "logs:UntagLogGroup",
            "logs:UntagResource",
          ]
          Resource = concat(s.log_groups, [for g in s.log_groups : "${g}:*"])
        },
        {
          # Creating a state machine with logging sets up CloudWatch Logs vended delivery on the
          # caller's behalf; these actions are only authorized on "*".
          Sid    = "SetUpStateMachineLogDelivery"
          Effect = "Allow"
          Action = [
            "logs:CreateLogDelivery",
            "logs:DeleteLogDelivery",
            "logs:DescribeResourcePolicies",
            "logs:GetLogDelivery",
            "logs:ListLogDeliveries",
            "logs:PutResourcePolicy",
            "logs:UpdateLogDelivery",
          ]
          Resource = "*"
        },
        {
          Sid    = "ManageStateMachines"
          Effect = "Allow"
          Action = [
            "states:CreateStateMachine",
            "states:DeleteStateMachine",
            "states:PublishStateMachineVersion",
            "states:TagResource",
            "states:UntagResource",
            "states:UpdateStateMachine",
          ]
          Resource = concat(s.state_machines, [for m in s.state_machines : "${m}:*"])
        },
        {
          # Belt and braces: the bootstrap's own roles and policies live under local.iam_path,
          # outside the Allow scopes above; this Deny keeps it that way if a scope ever widens.
          Sid    = "DenyBootstrapIamChanges"
          Effect = "Deny"
          Action = [
            "iam:AttachRolePolicy",
            "iam:CreatePolicyVersion",
            "iam:DeletePolicy",
            "iam:DeletePolicyVersion",
            "iam:DeleteRole",
            "iam:DeleteRolePermissionsBoundary",
            "iam:DeleteRolePolicy",
            "iam:DetachRolePolicy",
            "iam:PutRolePermissionsBoundary",
            "iam:PutRolePolicy",
            "iam:SetDefaultPolicyVersion",
            "iam:UpdateAssumeRolePolicy",
          ]
          Resource = [
            "${local.arn.iam}:role${local.iam_path}*",
            "${local.arn.iam}:policy${local.iam_path}*",
          ]
        },
        {
          Sid      = "DenyRemovingWorkloadBoundary"
          Effect   = "Deny"
          Action   = ["iam:DeleteRolePermissionsBoundary"]
          Resource = s.roles
        },
      ], local.observability_deploy_statements[env])
    }
  }

  # Deploy, part 2: the integration resources (queues, topics, alarms, rules, buses, archives,
  # schedules, tables, buckets) and the alarm topic's key and subscriptions (observability.tf).
  deploy_integration_policy = {
    for env, s in local.scope : env => {
      Version = "2012-10-17"
      Statement = concat([
        {
          Sid    = "ManageQueues"
          Effect = "Allow"
          Action = [
            "sqs:CreateQueue",
            "sqs:DeleteQueue",
            "sqs:SetQueueAttributes",
            "sqs:TagQueue",
            "sqs:UntagQueue",
          ]
          Resource = s.queues
        },
        {
          # No sns:Subscribe here: a deploy role that could subscribe to any topic would be able
          # to send its messages to an outside endpoint. Only the alarm topic takes subscriptions,
          # with sns:Protocol and sns:Endpoint conditions (observability.tf, and
          # org-policies/scp-deploy-roles.json).
          Sid    = "ManageTopics"
          Effect = "Allow"
          Action = [
            "sns:CreateTopic",
            "sns:DeleteTopic",
            "sns:SetTopicAttributes",
            "sns:TagResource",
            "sns:UntagResource",
          ]
          Resource = concat(s.topics, [for t in s.topics : "${t}:*"])
        },
        {
          Sid      = "ManageAlarms"
          Effect   = "Allow"
          Action   = ["cloudwatch:DeleteAlarms", "cloudwatch:PutCompositeAlarm", "cloudwatch:PutMetricAlarm", "cloudwatch:TagResource", "cloudwatch:UntagResource"]
          Resource = s.alarms
        },
        {
          Sid    = "ManageRules"
          Effect = "Allow"
          Action = [
            "events:DeleteRule",
            "events:DisableRule",
            "events:EnableRule",
            "events:PutRule",
            "events:PutTargets",
            "events:RemoveTargets",
            "events:TagResource",
            "events:UntagResource",
          ]
          Resource = s.rules
        },
        {
          Sid      = "ManageEventBuses"
          Effect   = "Allow"
          Action   = ["events:CreateEventBus", "events:DeleteEventBus", "events:TagResource", "events:UntagResource", "events:UpdateEventBus"]
          Resource = s.buses
        },
        {
          # CreateArchive names the source bus (EventSourceArn): granted on own buses too, so an
          # archive can only record this environment's buses.
          Sid      = "ManageEventArchives"
          Effect   = "Allow"
          Action   = ["events:CreateArchive", "events:DeleteArchive", "events:UpdateArchive"]
          Resource = concat(s.archives, s.buses)
        },
        {
          # The target role is passed with iam:PassedToService scheduler.amazonaws.com
          # (PassWorkloadRoles in deploy_compute).
          Sid      = "ManageSchedules"
          Effect   = "Allow"
          Action   = ["scheduler:CreateSchedule", "scheduler:DeleteSchedule", "scheduler:UpdateSchedule"]
          Resource = s.schedules
        },
        {
          # The stored templates of modules/email-template (the v1 actions: the provider's
          # aws_ses_template calls the v1 API). No identity, configuration set or sending
          # action: verifying a domain and leaving the SES sandbox are done once by an
          # administrator (README.md), and the deploy role sends nothing.
          Sid      = "ManageEmailTemplates"
          Effect   = "Allow"
          Action   = ["ses:CreateTemplate", "ses:DeleteTemplate", "ses:UpdateTemplate"]
          Resource = s.email_templates
        },
        {
          # The event-rule module's invoke permission (source ARN = its rule): only on this
          # environment's functions and only for EventBridge, as GrantInvokeToApiGatewayOnly
          # (apigateway.tf) for API Gateway. Scheduler needs none: it invokes with its role.
          # https://docs.aws.amazon.com/lambda/latest/dg/lambda-api-permissions-ref.html
          Sid       = "GrantInvokeToEventBridgeOnly"
          Effect    = "Allow"
          Action    = ["lambda:AddPermission", "lambda:RemovePermission"]
          Resource  = s.functions
          Condition = { StringEquals = { "lambda:Principal" = "events.amazonaws.com" } }
        },
        {
          # Table configuration only: no item action, so the deploy role cannot read or write
          # workload data. Deletion protection (prod) is an UpdateTable away: that needs a
          # reviewed plan that shows it turning off.
          Sid    = "ManageTables"
          Effect = "Allow"
          Action = [
            "dynamodb:CreateTable",
            "dynamodb:DeleteTable",
            "dynamodb:TagResource",
            "dynamodb:UntagResource",
            "dynamodb:UpdateContinuousBackups",
            "dynamodb:UpdateTable",
            "dynamodb:UpdateTimeToLive",
          ]
          Resource = s.tables
        },
        {
          # Bucket configuration only: the deploy role cannot read, write or delete workload data.
          Sid    = "ManageBuckets"
          Effect = "Allow"
          Action = [
            "s3:CreateBucket",
            "s3:DeleteBucket",
            "s3:DeleteBucketPolicy",
            "s3:PutBucketLogging",
            "s3:PutBucketNotification",
            "s3:PutBucketOwnershipControls",
            "s3:PutBucketPolicy",
            "s3:PutBucketPublicAccessBlock",
            "s3:PutBucketTagging",
            "s3:PutBucketVersioning",
            "s3:PutEncryptionConfiguration",
            "s3:PutLifecycleConfiguration",
          ]
          Resource  = s.buckets
          Condition = { StringEquals = local.s3_own_account }
        },
      ], local.alarm_topic_deploy_statements[env])
    }
  }

  # The most a workload role (Lambda / Step Functions) of one environment can ever do, whatever
  # its own policy says. Extend it when a stack starts using a new service.
  workload_boundary = {
    for env, s in local.scope : env => {
      Version = "2012-10-17"
      Statement = concat([
        {
          Sid      = "WriteOwnLogs"
          Effect   = "Allow"
          Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
          Resource = [for g in s.log_groups : "${g}:*"]
        },
        {
          # Vended log delivery (Step Functions) and X-Ray: AWS only accepts "*" for these.
          Sid    = "LogDeliveryAndTracing"
          Effect = "Allow"
          Action = [
            "logs:CreateLogDelivery",
            "logs:DeleteLogDelivery",
            "logs:DescribeLogGroups",
            "logs:DescribeResourcePolicies",
            "logs:GetLogDelivery",
            "logs:ListLogDeliveries",
            "logs:PutResourcePolicy",
            "logs:UpdateLogDelivery",
            "xray:GetSamplingRules",
            "xray:GetSamplingTargets",
            "xray:PutTelemetryRecords",
            "xray:PutTraceSegments",
          ]
          Resource = "*"
        },
        {
          Sid      = "InvokeOwnFunctions"
          Effect   = "Allow"
          Action   = ["lambda:InvokeFunction"]
          Resource = s.functions_qualified
        },
        {
          Sid    = "RunOwnStateMachines"
          Effect = "Allow"
          Action = ["states:DescribeExecution", "states:StartExecution", "states:StartSyncExecution", "states:StopExecution"]
          Resource = concat(
            s.state_machines,
            ["${local.arn.states}:execution:${var.name_prefix}-${env}-*:*", "${local.arn.states}:express:${var.name_prefix}-${env}-*:*"],
          )
        },
        {
          Sid      = "PutEvents"
          Effect   = "Allow"
          Action   = ["events:PutEvents"]
          Resource = concat(s.buses, ["${local.arn.events}:event-bus/default"])
        },
        {
          Sid    = "UseOwnObjects"
          Effect = "Allow"
          Action = [
            "s3:AbortMultipartUpload",
            "s3:DeleteObject",
            "s3:DeleteObjectVersion",
            "s3:GetObject",
            "s3:GetObjectTagging",
            "s3:GetObjectVersion",
            "s3:ListMultipartUploadParts",
            "s3:PutObject",
            "s3:PutObjectTagging",
          ]
          Resource  = s.objects
          Condition = { StringEquals = local.s3_own_account }
        },
        {
          Sid       = "ListOwnBuckets"
          Effect    = "Allow"
          Action    = ["s3:GetBucketLocation", "s3:ListBucket"]
          Resource  = s.buckets
          Condition = { StringEquals = local.s3_own_account }
        },
        {
          Sid    = "UseOwnQueues"
          Effect = "Allow"
          Action = [
            "sqs:ChangeMessageVisibility",
            "sqs:DeleteMessage",
            "sqs:GetQueueAttributes",
            "sqs:ReceiveMessage",
            "sqs:SendMessage",
          ]
          Resource = s.queues
        },
        {
          # Step Functions' MediaConvert tasks (state-machine module, mediaconvert_role_arns):
          # submit, poll, cancel and tag jobs. Job ids are generated, and queues, presets and
          # templates are account resources, so the scope is this account's MediaConvert.
          Sid      = "RunMediaConvertJobs"
          Effect   = "Allow"
          Action   = ["mediaconvert:CancelJob", "mediaconvert:CreateJob", "mediaconvert:GetJob", "mediaconvert:TagResource"]
          Resource = ["${local.arn.mc}:*"]
        },
        {
          # The job's role (modules/mediaconvert-role) is passed by the state machine when it runs.
          Sid       = "PassRolesToMediaConvert"
          Effect    = "Allow"
          Action    = ["iam:PassRole"]
          Resource  = s.roles
          Condition = { StringEquals = { "iam:PassedToService" = "mediaconvert.amazonaws.com" } }
        },
        {
          # The rule Step Functions manages for .sync MediaConvert tasks (fixed name).
          # https://docs.aws.amazon.com/step-functions/latest/dg/mediaconvert-iam.html
          Sid      = "ManageMediaConvertSyncRule"
          Effect   = "Allow"
          Action   = ["events:DescribeRule", "events:PutRule", "events:PutTargets"]
          Resource = ["${local.arn.events}:rule/StepFunctionsGetEventsForMediaConvertJobRule"]
        },
        {
          Sid      = "PublishToOwnTopics"
          Effect   = "Allow"
          Action   = ["sns:Publish"]
          Resource = s.topics
        },
        {
          Sid      = "ReadOwnParameters"
          Effect   = "Allow"
          Action   = ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"]
          Resource = ["${local.arn.ssm}:parameter/${var.name_prefix}/${env}/*"]
        },
        {
          # Item actions on this environment's tables; each function's own policy names its
          # tables (read/write table:<name>).
          Sid    = "UseOwnTables"
          Effect = "Allow"
          Action = [
            "dynamodb:BatchGetItem",
            "dynamodb:BatchWriteItem",
            "dynamodb:ConditionCheckItem",
            "dynamodb:DeleteItem",
            "dynamodb:GetItem",
            "dynamodb:PutItem",
            "dynamodb:Query",
            "dynamodb:UpdateItem",
          ]
          Resource = concat(s.tables, [for t in s.tables : "${t}/index/*"])
        },
        {
          # SES v2 SendEmail with a stored template authorizes on the sending identity and on
          # the template. Identities are the environment's verified domains or addresses, which
          # carry no "<prefix>-<env>-" name: the boundary admits this account's identities, the
          # templates of this environment only, and each function's own policy names its one
          # identity with ses:FromAddress pinned to the sender (send email:<template>).
          # https://docs.aws.amazon.com/ses/latest/dg/control-user-access.html
          Sid      = "SendOwnTemplatedEmail"
          Effect   = "Allow"
          Action   = ["ses:SendEmail"]
          Resource = concat(["${local.arn.ses}:identity/*"], s.email_templates)
        },
        {
          Sid      = "ReadOwnSecrets"
          Effect   = "Allow"
          Action   = ["secretsmanager:GetSecretValue"]
          Resource = ["${local.arn.secret}:secret:${var.name_prefix}/${env}/*"]
        },
        {
          # Customer-managed keys of this account, only through the services above.
          Sid      = "UseKmsViaServices"
          Effect   = "Allow"
          Action   = ["kms:Decrypt", "kms:GenerateDataKey"]
          Resource = ["${local.arn.kms}:key/*"]
          Condition = { StringEquals = { "kms:ViaService" = [
            "s3.${local.region}.amazonaws.com",
            "sqs.${local.region}.amazonaws.com",
            "sns.${local.region}.amazonaws.com",
            "ssm.${local.region}.amazonaws.com",
            "secretsmanager.${local.region}.amazonaws.com",
            "dynamodb.${local.region}.amazonaws.com",
          ] } }
        },
      ], local.appsync_boundary_statements[env])
    }
  }

  # S3 ARNs name no account, so "<prefix>-<env>-*" would also match buckets of other accounts:
  # every S3 statement also requires the bucket to be this account's.
  # https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html#example-object-resource-account
  s3_own_account = { "s3:ResourceAccount" = local.account }

  oidc_audience_condition = { "${local.github_oidc_host}:aud" = "sts.amazonaws.com" }

  # OIDC subjects in the repository's customized template (claims repo, context, job_workflow_ref;
  # docs/delivery.md, one-time setup): "repo:<repo>:<context>:job_workflow_ref:<workflow>@<ref>".
  # https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect#customizing-the-subject-claims-for-an-organization-or-repository
  workflows = "${var.github_repository}/.github/workflows"

  # The provider's ARN is fixed by AWS (oidc-provider/<host>); built here rather than read from
  # the resource so the trust policies are known in the plan, where tests and reviewers read them.
  github_oidc_provider_arn = "${local.arn.iam}:oidc-provider/${local.github_oidc_host}"

  # The deploy role of an environment: only the apply workflow, as committed on main, in a job of
  # that GitHub environment. A workflow pushed on any other branch names another ref and is refused
  # even if the environment were left unprotected.
  deploy_subject = {
    for env in local.environments : env =>
    "repo:${var.github_repository}:environment:${env}:job_workflow_ref:${local.workflows}/${var.apply_workflow_file}@refs/heads/main"
  }

  # The plan role of an environment: the plan workflows on the drift-check branches, and pull
  # requests (whose code runs in the plan job) only for pull_request_plan_environment.
  plan_subjects = {
    for env in local.environments : env => concat(
      env == var.pull_request_plan_environment ? [
        "repo:${var.github_repository}:pull_request:job_workflow_ref:${local.workflows}/${var.plan_workflow_files[0]}@refs/pull/*/merge",
      ] : [],
      flatten([for b in var.plan_role_branches : [
        for f in var.plan_workflow_files :
        "repo:${var.github_repository}:ref:refs/heads/${b}:job_workflow_ref:${local.workflows}/${f}@refs/heads/${b}"
      ]]),
    )
  }
}

resource "aws_iam_policy" "workload_boundary" {
  for_each = local.environments

  name        = "${var.name_prefix}-${each.key}-workload-boundary"
  path        = local.iam_path
  description = "Permissions boundary of every ${each.key} workload role created by the ${each.key} deploy role."
  policy      = jsonencode(local.workload_boundary[each.key])
}

resource "aws_iam_policy" "terraform_read" {
  for_each = local.environments

  name        = "${var.name_prefix}-${each.key}-terraform-read"
  path        = local.iam_path
  description = "Terraform state lock/read and refresh of the ${each.key} stacks (plan and deploy roles)."
  policy      = jsonencode(local.read_policy[each.key])
}

resource "aws_iam_policy" "deploy_compute" {
  for_each = local.environments

  name        = "${var.name_prefix}-${each.key}-deploy-compute"
  path        = local.iam_path
  description = "Deploy of the ${each.key} stacks: state, artifacts, workload roles, functions, logs, state machines."
  policy      = jsonencode(local.deploy_compute_policy[each.key])
}

resource "aws_iam_policy" "deploy_integration" {
  for_each = local.environments

  name        = "${var.name_prefix}-${each.key}-deploy-integration"
  path        = local.iam_path
  description = "Deploy of the ${each.key} stacks: queues, topics, alarms, EventBridge rules, buses and archives, schedules, buckets."
  policy      = jsonencode(local.deploy_integration_policy[each.key])
}

resource "aws_iam_policy" "plan_key" {
  for_each = local.environments

  name        = "${var.name_prefix}-${each.key}-plan-key"
  path        = local.iam_path
  description = "The ${each.key} delivery key for the plan role: decrypt ${each.key} state through S3, seal plans."
  policy      = jsonencode(local.plan_key_policy[each.key])
}

resource "aws_iam_policy" "deploy_key" {
  for_each = local.environments

  name        = "${var.name_prefix}-${each.key}-deploy-key"
  path        = local.iam_path
  description = "The ${each.key} delivery key for the deploy role: encrypt and decrypt ${each.key} state through S3, open sealed plans."
  policy      = jsonencode(local.deploy_key_policy[each.key])
}

resource "aws_iam_role" "plan" {
  for_each = local.environments

  name                 = "${var.name_prefix}-${each.key}-github-plan"
  path                 = local.iam_path
  description          = "Read-only Terraform plan of the ${each.key} stacks from GitHub Actions plan workflows${each.key == var.pull_request_plan_environment ? " and pull requests" : " on ${join(", ", var.plan_role_branches)}"}."
  max_session_duration = 3600
  # The trust names the provider by its built ARN (local.github_oidc_provider_arn): create it first.
  depends_on = [aws_iam_openid_connect_provider.github]

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "GitHubActionsPlanWorkflows"
      Effect    = "Allow"
      Principal = { Federated = local.github_oidc_provider_arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = local.oidc_audience_condition
        # StringLike for the pull-request number; branch and file names cannot hold * or ?
        # (variable validation), so the other subjects match exactly.
        StringLike = { "${local.github_oidc_host}:sub" = local.plan_subjects[each.key] }
      }
    }]
  })
}

resource "aws_iam_role_policy_attachment" "plan_read" {
  for_each = local.environments

  role       = aws_iam_role.plan[each.key].name
  policy_arn = aws_iam_policy.terraform_read[each.key].arn
}

resource "aws_iam_role_policy_attachment" "plan_key" {
  for_each = local.environments

  role       = aws_iam_role.plan[each.key].name
  policy_arn = aws_iam_policy.plan_key[each.key].arn
}

resource "aws_iam_role" "deploy" {
  for_each = local.environments

  name                 = "${var.name_prefix}-${each.key}-github-deploy"
  path                 = local.iam_path
  description          = "Terraform apply of the ${each.key} stacks, only from ${var.apply_workflow_file} on main in GitHub environment \"${each.key}\"."
  max_session_duration = 3600
  # The trust names the provider by its built ARN (local.github_oidc_provider_arn): create it first.
  depends_on = [aws_iam_openid_connect_provider.github]

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "GitHubActionsEnvironment"
      Effect    = "Allow"
      Principal = { Federated = local.github_oidc_provider_arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = merge(local.oidc_audience_condition, {
          "${local.github_oidc_host}:sub" = local.deploy_subject[each.key]
        })
      }
    }]
  })
}

resource "aws_iam_role_policy_attachment" "deploy" {
  # Every (environment, policy) pair: the shared read policy, the three deploy parts and the key.
  for_each = {
    for pair in setproduct(local.environments, ["terraform_read", "deploy_compute", "deploy_integration", "deploy_api", "deploy_key"]) :
    "${pair[0]}/${pair[1]}" => { env = pair[0], policy = pair[1] }
  }

  role = aws_iam_role.deploy[each.value.env].name
  policy_arn = {
    terraform_read     = aws_iam_policy.terraform_read
    deploy_compute     = aws_iam_policy.deploy_compute
    deploy_integration = aws_iam_policy.deploy_integration
    deploy_api         = aws_iam_policy.deploy_api
    deploy_key         = aws_iam_policy.deploy_key
  }[each.value.policy][each.value.env].arn
}
