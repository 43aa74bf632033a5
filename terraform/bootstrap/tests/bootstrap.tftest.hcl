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
          for a in flatten([st.Action]) : !contains(["iam:UpdateAssumeRolePolicy", "lambda:AddPermission", "sns:Subscribe"], a)
        ] if st.Effect == "Allow"
      ]
    ]]))
    error_message = "No role may re-trust roles (iam:UpdateAssumeRolePolicy), add function permissions (lambda:AddPermission) or subscribe endpoints to topics (sns:Subscribe)."
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
          "ListMappingsAndValidateDefinitions", "CreateEventSourceMappings", "SetUpStateMachineLogDelivery", "LogDeliveryAndTracing",
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
    condition     = length(aws_iam_role_policy_attachment.deploy) == 9 && length(aws_iam_role_policy_attachment.plan_read) == 3
    error_message = "Deploy roles get read + compute + integration; plan roles only read."
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
