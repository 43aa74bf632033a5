# Trust policies, scoping and guard rails of the bootstrap, asserted on a mock plan (no AWS calls).
mock_provider "aws" {
  # aws_partition is offline-safe but mocked values would be random: pin the commercial partition.
  mock_data "aws_partition" {
    defaults = {
      partition = "aws"
    }
  }
  # Policy attachments validate the ARN even under a mock.
  mock_resource "aws_iam_policy" {
    defaults = {
      arn = "arn:aws:iam::123456789012:policy/slipway/bootstrap/mock"
    }
  }
  # One mock ARN for every environment's key: the assertions below pin it in the policies.
  mock_resource "aws_kms_key" {
    defaults = {
      arn    = "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-4000-8000-000000000000"
      key_id = "00000000-0000-4000-8000-000000000000"
    }
  }
  # The API Gateway account setting validates its CloudWatch role ARN even under a mock.
  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/slipway/bootstrap/mock"
    }
  }
  mock_resource "aws_iam_openid_connect_provider" {
    defaults = {
      arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
    }
  }
}

variables {
  github_repository = "acme/slipway"
  aws_account_id    = "123456789012"
  # Every environment in one run, so the assertions compare them: a shared account on purpose.
  allow_shared_account = true
  admin_principal_arns = ["arn:aws:iam::123456789012:role/slipway-admin"]
}

run "trust_and_least_privilege" {
  command = apply

  assert {
    condition = (
      aws_iam_openid_connect_provider.github.url == "https://token.actions.githubusercontent.com" &&
      aws_iam_openid_connect_provider.github.client_id_list == toset(["sts.amazonaws.com"])
    )
    error_message = "The GitHub OIDC provider must accept only the sts.amazonaws.com audience."
  }

  assert {
    condition = alltrue([for env, role in aws_iam_role.deploy : (
      jsondecode(role.assume_role_policy).Statement[0].Action == "sts:AssumeRoleWithWebIdentity" &&
      jsondecode(role.assume_role_policy).Statement[0].Condition == {
        StringEquals = {
          "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com"
          "token.actions.githubusercontent.com:sub" = "repo:acme/slipway:environment:${env}:job_workflow_ref:acme/slipway/.github/workflows/reusable-apply.yml@refs/heads/main"
        }
      }
    )])
    error_message = "Each deploy role must trust only the apply workflow on main in the GitHub environment of the same name."
  }

  assert {
    condition = alltrue([for env, role in aws_iam_role.plan : (
      jsondecode(role.assume_role_policy).Statement[0].Condition == {
        StringEquals = { "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com" }
        StringLike = { "token.actions.githubusercontent.com:sub" = concat(
          env == "dev" ? ["repo:acme/slipway:pull_request:job_workflow_ref:acme/slipway/.github/workflows/reusable-plan.yml@refs/pull/*/merge"] : [],
          [
            "repo:acme/slipway:ref:refs/heads/main:job_workflow_ref:acme/slipway/.github/workflows/reusable-plan.yml@refs/heads/main",
            "repo:acme/slipway:ref:refs/heads/main:job_workflow_ref:acme/slipway/.github/workflows/drift.yml@refs/heads/main",
          ],
        ) }
      }
    )])
    error_message = "Plan roles trust the plan workflows on main; only dev's also trusts pull requests."
  }

  assert {
    # Plans run with -lock=false: the plan role (terraform_read) writes nothing, not even a lock.
    condition = alltrue(flatten([for env, docs in output.role_policies_json : [
      for st in jsondecode(docs.terraform_read).Statement : [
        for a in flatten([st.Action]) : !contains(["s3:PutObject", "s3:DeleteObject"], a)
      ]
    ]]))
    error_message = "The plan role must not write or delete state or lock files."
  }

  assert {
    condition = alltrue(flatten([for env, docs in output.role_policies_json : [
      for name, doc in docs : [
        for st in jsondecode(doc).Statement : [
          for a in flatten([st.Action]) : a != "iam:UpdateAssumeRolePolicy" && (a != "sns:Subscribe" || contains(["SubscribeAlarmTopicToPeople", "SubscribeAlarmTopicToOwnQueuesAndFunctions"], st.Sid)) && (a != "lambda:AddPermission" || (
            st.Sid == "GrantInvokeToApiGatewayOnly" && try(st.Condition, null) == { StringEquals = { "lambda:Principal" = "apigateway.amazonaws.com" } }
            ) || (
            st.Sid == "GrantInvokeToEventBridgeOnly" && try(st.Condition, null) == { StringEquals = { "lambda:Principal" = "events.amazonaws.com" } }
            ) || (
            st.Sid == "GrantInvokeToAppSyncOnly" && try(st.Condition, null) == { StringEquals = { "lambda:Principal" = "appsync.amazonaws.com" } }
          ))
        ] if st.Effect == "Allow"
      ]
    ]]))
    error_message = "No role may re-trust roles (iam:UpdateAssumeRolePolicy), add function permissions (lambda:AddPermission) except for apigateway.amazonaws.com, events.amazonaws.com or appsync.amazonaws.com, or subscribe endpoints to topics (sns:Subscribe) except to the alarm topic."
  }

  assert {
    # Subscriptions only to the environment's alarm topic: people by email or https, or this
    # account's queues and functions in this Region.
    condition = alltrue([for env, docs in output.role_policies_json : (
      [for st in jsondecode(docs.deploy_integration).Statement : [st.Resource, st.Condition] if st.Sid == "SubscribeAlarmTopicToPeople"] == [[
        ["arn:aws:sns:eu-west-1:123456789012:slipway-${env}-alarms"],
        { StringEquals = { "sns:Protocol" = ["email", "https"] } },
      ]] &&
      [for st in jsondecode(docs.deploy_integration).Statement : [st.Resource, st.Condition] if st.Sid == "SubscribeAlarmTopicToOwnQueuesAndFunctions"] == [[
        ["arn:aws:sns:eu-west-1:123456789012:slipway-${env}-alarms"],
        {
          StringEquals = { "sns:Protocol" = ["sqs", "lambda"] }
          StringLike   = { "sns:Endpoint" = ["arn:aws:sqs:eu-west-1:123456789012:*", "arn:aws:lambda:eu-west-1:123456789012:function:*"] }
        },
      ]]
    )])
    error_message = "sns:Subscribe only on <prefix>-<env>-alarms: email/https, or sqs/lambda endpoints of this account and Region."
  }

  assert {
    # The alarm topics' keys: KMS generates their ids, so every key action is scoped by the
    # environment tag, created with it and managed only while the key carries it.
    condition = alltrue([for env, docs in output.role_policies_json : (
      [for st in jsondecode(docs.deploy_integration).Statement : st.Condition if st.Sid == "CreateAlarmTopicKeys"] == [{ StringEquals = { "aws:RequestTag/environment" = env } }] &&
      [for st in jsondecode(docs.deploy_integration).Statement : [st.Resource, st.Condition] if st.Sid == "ManageAlarmTopicKeys"] == [[["arn:aws:kms:eu-west-1:123456789012:key/*"], { StringEquals = { "aws:ResourceTag/environment" = env } }]] &&
      alltrue([for name, doc in docs : alltrue([for st in jsondecode(doc).Statement : alltrue([
        for a in flatten([st.Action]) : !contains(["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:CreateGrant", "kms:ReEncryptFrom", "kms:ReEncryptTo"], a)
      ]) if st.Effect == "Allow" && !contains(["DecryptOwnState", "SealPlans", "EncryptOwnState", "OpenPlans", "UseKmsViaServices"], st.Sid)])])
    )])
    error_message = "The deploy role creates alarm-topic keys only tagged with its environment, administers only keys carrying that tag, and never uses key material outside the delivery-key and boundary statements."
  }

  assert {
    condition = [for st in jsondecode(module.artifact_bucket.policy_json).Statement : st if st.Sid == "DenyArtifactWritesExceptDeployProd"][0] == {
      Sid       = "DenyArtifactWritesExceptDeployProd"
      Effect    = "Deny"
      Principal = { AWS = ["*"] }
      Action    = ["s3:PutObject"]
      Resource  = ["arn:aws:s3:::slipway-artifacts-123456789012/prod/*"]
      Condition = { ArnNotEquals = { "aws:PrincipalArn" = ["arn:aws:iam::123456789012:role/slipway/bootstrap/slipway-prod-github-deploy"] } }
    }
    error_message = "Only prod's deploy role may write prod artifacts."
  }

  assert {
    condition = [for st in jsondecode(module.artifact_bucket.policy_json).Statement : st.Condition if st.Sid == "DenyArtifactOverwritesDev"][0] == {
      Null = { "s3:if-none-match" = ["true"] }
    }
    error_message = "Artifact writes must be creates (If-None-Match), never overwrites."
  }

  assert {
    # S3 ARNs carry no account: without s3:ResourceAccount, "slipway-prod-*" matches other accounts' buckets.
    condition = alltrue(flatten([for env, docs in output.role_policies_json : [
      for name, doc in docs : [
        for st in jsondecode(doc).Statement : try(st.Condition.StringEquals["s3:ResourceAccount"], null) == "123456789012"
        if st.Effect == "Allow" && anytrue([for a in flatten([st.Action]) : startswith(a, "s3:")])
      ]
    ]]))
    error_message = "Every S3 statement must require s3:ResourceAccount = the bootstrap's account."
  }

  assert {
    condition = (
      aws_s3_account_public_access_block.this.account_id == "123456789012" &&
      aws_s3_account_public_access_block.this.block_public_acls &&
      aws_s3_account_public_access_block.this.block_public_policy &&
      aws_s3_account_public_access_block.this.ignore_public_acls &&
      aws_s3_account_public_access_block.this.restrict_public_buckets
    )
    error_message = "The account's S3 public access block must block and restrict everything."
  }

  assert {
    condition = alltrue(flatten([for env, docs in output.role_policies_json : [
      for name, doc in docs : [
        for st in jsondecode(doc).Statement : [for a in flatten([st.Action]) : !strcontains(a, "*")]
      ]
    ]]))
    error_message = "No policy may use a wildcard in an action."
  }

  assert {
    condition = alltrue(flatten([for env, docs in output.role_policies_json : [
      for name, doc in docs : [
        for st in jsondecode(doc).Statement : contains([
          "ListMappingsAndValidateDefinitions", "CreateEventSourceMappings", "SetUpStateMachineLogDelivery", "LogDeliveryAndTracing", "CreateGraphqlApis",
          "ReadAliasesQueriesAndSubscriptions", "CreateAlarmTopicKeys", "ManageSubscriptions", "ManageQueryDefinitions",
        ], st.Sid) if st.Effect == "Allow" && contains(flatten([st.Resource]), "*")
      ]
    ]]))
    error_message = "Resource \"*\" only in the statements README.md documents as unavoidable."
  }

  assert {
    condition = alltrue(flatten([for env, docs in output.role_policies_json : [
      for name, doc in docs : length(doc) <= 6144
    ]]))
    error_message = "Each managed policy must stay within IAM's 6,144-character limit."
  }

  assert {
    # dev's policies never name another environment's resources or state.
    condition = alltrue(flatten([for name, doc in output.role_policies_json["dev"] : [
      for st in jsondecode(doc).Statement : [
        for r in flatten([st.Resource]) : !strcontains(r, "slipway-staging-") && !strcontains(r, "slipway-prod-") && !strcontains(r, "/staging/") && !strcontains(r, "/prod/")
      ]
    ]]))
    error_message = "An environment's roles must be scoped to that environment."
  }

  assert {
    condition = [for st in jsondecode(output.role_policies_json["prod"].deploy_compute).Statement : st.Condition if st.Sid == "ManageWorkloadRolesWithinBoundary"][0] == {
      StringEquals = { "iam:PermissionsBoundary" = "arn:aws:iam::123456789012:policy/slipway/bootstrap/slipway-prod-workload-boundary" }
    }
    error_message = "Workload roles can only be created with the environment's permissions boundary."
  }

  assert {
    # MediaConvert roles are passed by the state machine at run time (workload boundary), never by
    # a deploy.
    condition = [for st in jsondecode(output.role_policies_json["prod"].deploy_compute).Statement : st.Condition if st.Sid == "PassWorkloadRoles"][0] == {
      StringEquals = { "iam:PassedToService" = ["lambda.amazonaws.com", "states.amazonaws.com", "events.amazonaws.com", "scheduler.amazonaws.com"] }
    }
    error_message = "A deploy passes workload roles only to Lambda, Step Functions, EventBridge rules and EventBridge Scheduler."
  }

  assert {
    condition = (
      aws_iam_policy.workload_boundary["prod"].name == "slipway-prod-workload-boundary" &&
      aws_iam_policy.workload_boundary["prod"].path == "/slipway/bootstrap/" &&
      aws_iam_role.deploy["prod"].path == "/slipway/bootstrap/" &&
      aws_iam_role.deploy["prod"].name == "slipway-prod-github-deploy"
    )
    error_message = "Bootstrap IAM lives under /slipway/bootstrap/, outside every role/slipway-<env>-* scope, and the boundary ARN matches the one the deploy policy expects."
  }

  assert {
    condition     = length(aws_iam_role_policy_attachment.deploy) == 15 && length(aws_iam_role_policy_attachment.plan_read) == 3 && length(aws_iam_role_policy_attachment.plan_key) == 3
    error_message = "Deploy roles get read + compute + integration + api + key; plan roles read + key."
  }

  assert {
    # The REST API of an environment: created and changed only by its name, and invoke
    # permissions only for API Gateway on the environment's own functions.
    condition = {
      for st in jsondecode(output.role_policies_json["dev"].deploy_api).Statement : st.Sid => st.Condition
      if contains(["CreateOwnRestApis", "ManageOwnRestApis", "GrantInvokeToApiGatewayOnly"], st.Sid)
      } == {
      CreateOwnRestApis           = { StringLike = { "apigateway:Request/ApiName" = "slipway-dev-*" } }
      ManageOwnRestApis           = { StringLike = { "apigateway:Resource/ApiName" = "slipway-dev-*" } }
      GrantInvokeToApiGatewayOnly = { StringEquals = { "lambda:Principal" = "apigateway.amazonaws.com" } }
    }
    error_message = "The deploy role creates and manages only <prefix>-<env>-* REST APIs and grants function invokes only to apigateway.amazonaws.com."
  }

  assert {
    condition = [for st in jsondecode(output.role_policies_json["dev"].deploy_api).Statement : st.Resource if st.Sid == "GrantInvokeToApiGatewayOnly"][0] == ["arn:aws:lambda:eu-west-1:123456789012:function:slipway-dev-*"] && alltrue([
      for st in jsondecode(output.role_policies_json["dev"].deploy_compute).Statement : !contains(flatten([st.Action]), "lambda:RemovePermission") && !contains(flatten([st.Action]), "lambda:AddPermission")
    ])
    error_message = "Function permissions are granted by deploy_api's conditioned statement only."
  }

  assert {
    condition = (
      aws_api_gateway_account.this.cloudwatch_role_arn == aws_iam_role.apigateway_cloudwatch.arn &&
      jsondecode(aws_iam_role.apigateway_cloudwatch.assume_role_policy).Statement[0].Principal == { Service = "apigateway.amazonaws.com" } &&
      jsondecode(aws_iam_role.apigateway_cloudwatch.assume_role_policy).Statement[0].Condition == { StringEquals = { "aws:SourceAccount" = "123456789012" } } &&
      aws_iam_role_policy_attachment.apigateway_cloudwatch.policy_arn == "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"
    )
    error_message = "The account's API Gateway CloudWatch role is trusted by API Gateway of this account only and carries AmazonAPIGatewayPushToCloudWatchLogs."
  }

  assert {
    condition = alltrue([for env, key in aws_kms_key.delivery : (
      key.enable_key_rotation && key.deletion_window_in_days == 30 && key.customer_master_key_spec == "SYMMETRIC_DEFAULT" &&
      aws_kms_alias.delivery[env].name == "alias/slipway-${env}-delivery"
    )]) && keys(aws_kms_key.delivery) == ["dev", "prod", "staging"]
    error_message = "Each environment gets a symmetric delivery key with rotation, a 30-day deletion window and the alias alias/slipway-<env>-delivery."
  }

  assert {
    condition = (
      output.delivery_key_arns == { for env in ["dev", "prod", "staging"] : env => "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-4000-8000-000000000000" } &&
      output.delivery_key_aliases["prod"] == "arn:aws:kms:eu-west-1:123456789012:alias/slipway-prod-delivery" &&
      output.backend_config["prod"].kms_key_id == "arn:aws:kms:eu-west-1:123456789012:alias/slipway-prod-delivery"
    )
    error_message = "delivery_key_arns, delivery_key_aliases and backend_config.kms_key_id must name each environment's key."
  }

  assert {
    # Only the named principals can use the key, whatever an IAM policy grants.
    condition = [for st in jsondecode(aws_kms_key.delivery["prod"].policy).Statement : st if st.Sid == "DenyUseExceptEnvironmentRoles"][0] == {
      Sid       = "DenyUseExceptEnvironmentRoles"
      Effect    = "Deny"
      Principal = { AWS = "*" }
      Action    = ["kms:CreateGrant", "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:GenerateDataKeyPair", "kms:GenerateDataKeyPairWithoutPlaintext", "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptFrom", "kms:ReEncryptTo"]
      Resource  = "*"
      Condition = { ArnNotEquals = { "aws:PrincipalArn" = [
        "arn:aws:iam::123456789012:role/slipway/bootstrap/slipway-prod-github-plan",
        "arn:aws:iam::123456789012:role/slipway/bootstrap/slipway-prod-github-deploy",
        "arn:aws:iam::123456789012:root",
        "arn:aws:iam::123456789012:role/slipway-admin",
      ] } }
    }
    error_message = "The prod key denies every use to all but prod's plan and deploy roles, the root user and admin_principal_arns."
  }

  assert {
    # Administration carries no cryptographic action and no grant.
    condition = alltrue([for env, key in aws_kms_key.delivery : length(setintersection(
      toset([for st in jsondecode(key.policy).Statement : st if st.Sid == "AdministerKey"][0].Action),
      toset(["kms:CreateGrant", "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:ReEncryptFrom", "kms:ReEncryptTo"]),
    )) == 0])
    error_message = "Key administration must not include using the key (Decrypt, Encrypt, GenerateDataKey, ReEncrypt*) or granting it (CreateGrant)."
  }

  assert {
    # The plan role seals plans of its environment only, and is denied opening any plan.
    condition = (
      [for st in jsondecode(aws_kms_key.delivery["dev"].policy).Statement : st.Condition if st.Sid == "PlanRoleSealsPlans"][0] == {
        ArnEquals = { "aws:PrincipalArn" = "arn:aws:iam::123456789012:role/slipway/bootstrap/slipway-dev-github-plan" }
        StringEquals = {
          "kms:EncryptionContext:slipway:purpose"     = "plan"
          "kms:EncryptionContext:slipway:environment" = "dev"
        }
      } &&
      [for st in jsondecode(aws_kms_key.delivery["dev"].policy).Statement : st.Condition if st.Sid == "DenyPlanRoleOpeningPlans"][0] == {
        ArnEquals    = { "aws:PrincipalArn" = "arn:aws:iam::123456789012:role/slipway/bootstrap/slipway-dev-github-plan" }
        StringEquals = { "kms:EncryptionContext:slipway:purpose" = "plan" }
      } &&
      [for st in jsondecode(output.role_policies_json["dev"].plan_key).Statement : st if st.Sid == "DecryptOwnState"][0] == {
        Sid      = "DecryptOwnState"
        Effect   = "Allow"
        Action   = ["kms:Decrypt"]
        Resource = ["arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-4000-8000-000000000000"]
        Condition = {
          StringEquals = { "kms:ViaService" = "s3.eu-west-1.amazonaws.com" }
          StringLike   = { "kms:EncryptionContext:aws:s3:arn" = "arn:aws:s3:::slipway-tfstate-123456789012/dev/*" }
        }
      }
    )
    error_message = "The plan role decrypts only its state through S3 and only seals (GenerateDataKey) plans of its environment; opening a plan is denied."
  }

  assert {
    condition = [for st in jsondecode(module.state_bucket.policy_json).Statement : st if st.Sid == "DenyStateAccessExceptProdRoles"][0] == {
      Sid       = "DenyStateAccessExceptProdRoles"
      Effect    = "Deny"
      Principal = { AWS = ["*"] }
      Action    = ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"]
      Resource  = ["arn:aws:s3:::slipway-tfstate-123456789012/prod/*"]
      Condition = { ArnNotEquals = { "aws:PrincipalArn" = [
        "arn:aws:iam::123456789012:role/slipway/bootstrap/slipway-prod-github-plan",
        "arn:aws:iam::123456789012:role/slipway/bootstrap/slipway-prod-github-deploy",
        "arn:aws:iam::123456789012:root",
        "arn:aws:iam::123456789012:role/slipway-admin",
      ] } }
    }
    error_message = "Only prod's plan and deploy roles and the administrators may reach prod state."
  }

  assert {
    condition = (
      [for st in jsondecode(module.state_bucket.policy_json).Statement : st.Condition if st.Sid == "DenyStateWritesWithoutKmsDev"][0] == {
        StringNotEquals = { "s3:x-amz-server-side-encryption" = ["aws:kms"] }
      } &&
      [for st in jsondecode(module.state_bucket.policy_json).Statement : st.Condition if st.Sid == "DenyStateWritesWithOtherKeysDev"][0] == {
        StringNotEquals = { "s3:x-amz-server-side-encryption-aws-kms-key-id" = [
          "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-4000-8000-000000000000",
          "arn:aws:kms:eu-west-1:123456789012:alias/slipway-dev-delivery",
        ] }
      }
    )
    error_message = "State writes under <env>/ must be SSE-KMS with that environment's key (key ARN or alias ARN)."
  }

  assert {
    condition = [for st in jsondecode(module.artifact_bucket.policy_json).Statement : st if st.Sid == "DenyArtifactDeletesExceptAdmins"][0] == {
      Sid       = "DenyArtifactDeletesExceptAdmins"
      Effect    = "Deny"
      Principal = { AWS = ["*"] }
      Action    = ["s3:DeleteObject", "s3:DeleteObjectVersion"]
      Resource  = ["arn:aws:s3:::slipway-artifacts-123456789012/*"]
      Condition = { ArnNotEquals = { "aws:PrincipalArn" = ["arn:aws:iam::123456789012:root", "arn:aws:iam::123456789012:role/slipway-admin"] } }
    }
    error_message = "No one but an administrator may delete an artifact or one of its versions."
  }

  assert {
    # A deploy role that could delete artifacts would free a content key for a different zip.
    condition = alltrue(flatten([for env, docs in output.role_policies_json : [
      for name, doc in docs : [
        for st in jsondecode(doc).Statement : !anytrue([for a in flatten([st.Action]) : contains(["s3:DeleteObject", "s3:DeleteObjectVersion"], a)]) ||
        alltrue([for r in flatten([st.Resource]) : !strcontains(r, "slipway-artifacts-")])
        if st.Effect == "Allow" && name != "workload_boundary"
      ]
    ]]))
    error_message = "No plan or deploy policy may allow deleting artifacts."
  }

  assert {
    condition = (
      local.state_bucket_name == "slipway-tfstate-123456789012" &&
      local.artifact_bucket_name == "slipway-artifacts-123456789012" &&
      strcontains(module.state_bucket.policy_json, "DenyInsecureTransport") &&
      output.backend_config["dev"].workspace_key_prefix == "dev/workspaces" &&
      output.backend_config["dev"].use_lockfile == true
    )
    error_message = "State bucket name and backend settings must follow the documented contract."
  }
}

run "rejects_bad_repository" {
  command = plan
  variables {
    github_repository = "https://github.com/acme/slipway.git"
  }
  expect_failures = [var.github_repository]
}

run "rejects_bad_account_id" {
  command = plan
  variables {
    aws_account_id = "12345"
  }
  expect_failures = [var.aws_account_id]
}

run "rejects_bad_region" {
  command = plan
  variables {
    region = "Europe"
  }
  expect_failures = [var.region]
}

run "rejects_name_prefix_with_hyphen" {
  command = plan
  variables {
    name_prefix = "slip-way"
  }
  expect_failures = [var.name_prefix]
}

run "rejects_environment_with_hyphen" {
  command = plan
  variables {
    environments = ["dev", "dev-eu"]
  }
  expect_failures = [var.environments]
}

run "rejects_reserved_environment" {
  command = plan
  variables {
    environments = ["dev", "tfstate"]
  }
  expect_failures = [var.environments]
}

run "rejects_wildcard_branch" {
  command = plan
  variables {
    plan_role_branches = ["*"]
  }
  expect_failures = [var.plan_role_branches]
}

run "rejects_aws_tag" {
  command = plan
  variables {
    default_tags = { "aws:owner" = "me" }
  }
  expect_failures = [var.default_tags]
}

run "rejects_pull_request_plans_for_prod" {
  command = plan
  variables {
    pull_request_plan_environment = "prod"
  }
  expect_failures = [var.pull_request_plan_environment]
}

run "rejects_apply_workflow_path" {
  command = plan
  variables {
    apply_workflow_file = ".github/workflows/*.yml"
  }
  expect_failures = [var.apply_workflow_file]
}

run "no_pull_request_trust_when_null" {
  command = plan
  variables {
    pull_request_plan_environment = null
  }

  assert {
    condition     = alltrue([for env, role in aws_iam_role.plan : length(jsondecode(role.assume_role_policy).Statement[0].Condition.StringLike["token.actions.githubusercontent.com:sub"]) == 2])
    error_message = "With pull_request_plan_environment = null no plan role trusts pull requests."
  }
}

run "rejects_shared_account_by_default" {
  command = plan
  variables {
    allow_shared_account = false
  }
  expect_failures = [var.environments]
}

run "one_environment_per_account" {
  command = plan
  variables {
    allow_shared_account = false
    environments         = ["prod"]
  }

  assert {
    condition     = keys(aws_iam_role.deploy) == ["prod"] && keys(aws_iam_role.plan) == ["prod"]
    error_message = "With one environment per account, only that environment's roles exist."
  }
}

run "rejects_admin_of_another_account" {
  command = plan
  variables {
    admin_principal_arns = ["arn:aws:iam::444444444444:role/slipway-admin"]
  }
  expect_failures = [var.admin_principal_arns]
}

run "rejects_wildcard_admin" {
  command = plan
  variables {
    admin_principal_arns = ["arn:aws:iam::123456789012:role/*"]
  }
  expect_failures = [var.admin_principal_arns]
}

run "rejects_bootstrap_role_as_admin" {
  command = plan
  variables {
    admin_principal_arns = ["arn:aws:iam::123456789012:role/slipway/bootstrap/slipway-dev-github-deploy"]
  }
  expect_failures = [var.admin_principal_arns]
}
