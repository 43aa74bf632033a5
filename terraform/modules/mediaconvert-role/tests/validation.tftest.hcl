# Every constrained input rejects bad values at plan time with its own message.
# Prepare: the valid fixture below. Act: each run breaks one field. Assess: expect_failures.
mock_provider "aws" {}

variables {
  name               = "slipway-test-media-mediaconvert"
  input_object_arns  = ["arn:aws:s3:::slipway-test-media/uploads/*"]
  output_object_arns = ["arn:aws:s3:::slipway-test-media/derived/*"]
  account_id         = "123456789012"
}

run "valid_fixture_plans" {
  command = plan
}

run "rejects_name_too_long" {
  command = plan

  variables {
    name = "slipway-test-this-role-name-is-far-too-long-for-iam-to-accept-it-x"
  }

  expect_failures = [var.name]
}

run "rejects_name_with_slash" {
  command = plan

  variables {
    name = "slipway/test/mediaconvert"
  }

  expect_failures = [var.name]
}

run "rejects_input_bare_star" {
  command = plan

  variables {
    input_object_arns = ["*"]
  }

  expect_failures = [var.input_object_arns]
}

run "rejects_input_all_buckets" {
  command = plan

  variables {
    input_object_arns = ["arn:aws:s3:::*"]
  }

  expect_failures = [var.input_object_arns]
}

run "rejects_input_whole_bucket" {
  command = plan

  variables {
    input_object_arns = ["arn:aws:s3:::slipway-test-media/*"]
  }

  expect_failures = [var.input_object_arns]
}

run "rejects_input_bucket_arn" {
  command = plan

  variables {
    input_object_arns = ["arn:aws:s3:::slipway-test-media"]
  }

  expect_failures = [var.input_object_arns]
}

run "rejects_input_wildcard_in_bucket" {
  command = plan

  variables {
    input_object_arns = ["arn:aws:s3:::slipway-*/uploads/*"]
  }

  expect_failures = [var.input_object_arns]
}

run "rejects_input_wildcard_mid_key" {
  command = plan

  variables {
    input_object_arns = ["arn:aws:s3:::slipway-test-media/*/uploads/*"]
  }

  expect_failures = [var.input_object_arns]
}

run "rejects_input_empty" {
  command = plan

  variables {
    input_object_arns = []
  }

  expect_failures = [var.input_object_arns]
}

run "rejects_output_bare_star" {
  command = plan

  variables {
    output_object_arns = ["*"]
  }

  expect_failures = [var.output_object_arns]
}

run "rejects_output_s3_uri" {
  command = plan

  variables {
    output_object_arns = ["s3://slipway-test-media/derived/"]
  }

  expect_failures = [var.output_object_arns]
}

run "rejects_output_empty" {
  command = plan

  variables {
    output_object_arns = []
  }

  expect_failures = [var.output_object_arns]
}

run "rejects_kms_key_alias" {
  command = plan

  variables {
    kms_key_arns = ["arn:aws:kms:eu-west-1:123456789012:alias/media"]
  }

  expect_failures = [var.kms_key_arns]
}

run "rejects_kms_key_star" {
  command = plan

  variables {
    kms_key_arns = ["*"]
  }

  expect_failures = [var.kms_key_arns]
}

run "rejects_account_id_not_12_digits" {
  command = plan

  variables {
    account_id = "12345678901"
  }

  expect_failures = [var.account_id]
}

run "rejects_permissions_boundary_not_policy_arn" {
  command = plan

  variables {
    permissions_boundary_arn = "slipway-test-boundary"
  }

  expect_failures = [var.permissions_boundary_arn]
}

run "rejects_tag_key_aws_prefix" {
  command = plan

  variables {
    tags = { "aws:owner" = "me" }
  }

  expect_failures = [var.tags]
}
