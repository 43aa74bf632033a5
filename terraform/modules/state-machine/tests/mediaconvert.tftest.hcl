# MediaConvert support: the statements a flow with a MediaConvert .sync task needs, and nothing
# more, known at plan time (governance reads plan JSON). Only the offline data sources are mocked.
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
}

variables {
  name                 = "slipway-test-flow"
  definition           = file("tests/fixtures/hello.asl.json")
  account_id           = "123456789012"
  lambda_function_arns = ["arn:aws:lambda:eu-west-1:123456789012:function:slipway-test-hello"]
  mediaconvert_role_arns = [
    "arn:aws:iam::123456789012:role/slipway-test-media-mediaconvert",
    "arn:aws:iam::123456789012:role/slipway-test-media-mediaconvert",
  ]
  alarm_actions = ["arn:aws:sns:eu-west-1:123456789012:slipway-test-alarms"]
}

run "mediaconvert_statements_known_at_plan" {
  command = plan

  assert {
    condition = [for s in jsondecode(output.policy_json).Statement : s.Sid] == [
      "InvokeLambdaFunctions", "PassMediaConvertRoles", "RunMediaConvertJobs", "TagMediaConvertJobs",
      "ManageMediaConvertJobEventsRule", "DeliverLogs", "WriteTraces",
    ]
    error_message = "MediaConvert statements come after the invoke/put statements, before the required ones."
  }

  assert {
    condition     = aws_iam_role_policy.this.policy == output.policy_json
    error_message = "The planned role policy is the readable one."
  }

  assert {
    condition = [for s in jsondecode(output.policy_json).Statement : s if s.Sid == "PassMediaConvertRoles"][0] == {
      Sid       = "PassMediaConvertRoles"
      Effect    = "Allow"
      Action    = ["iam:PassRole"]
      Resource  = ["arn:aws:iam::123456789012:role/slipway-test-media-mediaconvert"]
      Condition = { StringEquals = { "iam:PassedToService" = "mediaconvert.amazonaws.com" } }
    }
    error_message = "iam:PassRole on exactly the given roles (once each), and only to mediaconvert.amazonaws.com."
  }

  assert {
    condition = [for s in jsondecode(output.policy_json).Statement : s if s.Sid == "RunMediaConvertJobs"][0] == {
      Sid      = "RunMediaConvertJobs"
      Effect   = "Allow"
      Action   = ["mediaconvert:CreateJob", "mediaconvert:GetJob", "mediaconvert:CancelJob"]
      Resource = "*"
    }
    error_message = "Exactly CreateJob, GetJob and CancelJob: what the .sync integration calls."
  }

  assert {
    condition = [for s in jsondecode(output.policy_json).Statement : s if s.Sid == "TagMediaConvertJobs"][0].Condition == {
      StringEquals                = { "aws:RequestTag/ManagedByService" = "AWSStepFunctions" }
      "ForAllValues:StringEquals" = { "aws:TagKeys" = ["ManagedByService"] }
    }
    error_message = "mediaconvert:TagResource only for the tag Step Functions puts on its jobs."
  }

  assert {
    condition = [for s in jsondecode(output.policy_json).Statement : s if s.Sid == "ManageMediaConvertJobEventsRule"][0] == {
      Sid      = "ManageMediaConvertJobEventsRule"
      Effect   = "Allow"
      Action   = ["events:PutTargets", "events:PutRule", "events:DescribeRule"]
      Resource = ["arn:aws:events:eu-west-1:123456789012:rule/StepFunctionsGetEventsForMediaConvertJobRule"]
    }
    error_message = "The EventBridge actions are scoped to exactly Step Functions' managed MediaConvert rule, in the roles' account."
  }

  assert {
    condition = (
      [for s in jsondecode(output.policy_json).Statement : s.Sid if s.Resource == "*"] == ["RunMediaConvertJobs", "TagMediaConvertJobs", "DeliverLogs", "WriteTraces"] &&
      alltrue([for s in jsondecode(output.policy_json).Statement : alltrue([for a in s.Action : a != "*" && !endswith(a, ":*")])])
    )
    error_message = "Resource \"*\" only where AWS requires it (README); no wildcard actions."
  }
}

run "account_id_names_the_managed_rule" {
  command = plan

  variables {
    mediaconvert_role_arns = ["arn:aws:iam::210987654321:role/slipway-test-media-mediaconvert"]
    account_id             = "210987654321"
  }

  assert {
    condition     = [for s in jsondecode(output.policy_json).Statement : s.Resource if s.Sid == "ManageMediaConvertJobEventsRule"][0] == ["arn:aws:events:eu-west-1:210987654321:rule/StepFunctionsGetEventsForMediaConvertJobRule"]
    error_message = "The managed rule is in account_id's account."
  }
}

run "no_mediaconvert_no_statements" {
  command = plan

  variables {
    mediaconvert_role_arns = []
  }

  assert {
    condition     = [for s in jsondecode(output.policy_json).Statement : s.Sid] == ["InvokeLambdaFunctions", "DeliverLogs", "WriteTraces"]
    error_message = "Without MediaConvert roles the policy is unchanged (account_id alone adds nothing)."
  }
}

run "rejects_mediaconvert_role_wildcard" {
  command = plan

  variables {
    mediaconvert_role_arns = ["arn:aws:iam::123456789012:role/*"]
  }

  expect_failures = [var.mediaconvert_role_arns]
}

run "rejects_mediaconvert_role_is_name" {
  command = plan

  variables {
    mediaconvert_role_arns = ["slipway-test-media-mediaconvert"]
  }

  expect_failures = [var.mediaconvert_role_arns]
}

run "rejects_mediaconvert_role_is_policy" {
  command = plan

  variables {
    mediaconvert_role_arns = ["arn:aws:iam::123456789012:policy/slipway-test-media-mediaconvert"]
  }

  expect_failures = [var.mediaconvert_role_arns]
}

run "rejects_mediaconvert_roles_of_two_accounts" {
  command = plan

  variables {
    mediaconvert_role_arns = [
      "arn:aws:iam::123456789012:role/slipway-test-media-mediaconvert",
      "arn:aws:iam::210987654321:role/slipway-test-media-mediaconvert",
    ]
  }

  expect_failures = [var.mediaconvert_role_arns]
}

run "rejects_mediaconvert_role_of_other_account" {
  command = plan

  variables {
    account_id = "210987654321"
  }

  expect_failures = [var.mediaconvert_role_arns]
}

run "rejects_account_id_not_12_digits" {
  command = plan

  variables {
    account_id = "1234567890"
  }

  expect_failures = [var.account_id]
}

run "rejects_policy_sid_reserved_for_mediaconvert" {
  command = plan

  variables {
    policy_statements = [{ sid = "RunMediaConvertJobs", actions = ["s3:GetObject"], resources = ["arn:aws:s3:::b/*"] }]
  }

  expect_failures = [var.policy_statements]
}
