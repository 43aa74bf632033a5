# Trust and least-privilege policy, asserted on a mock apply (no AWS calls, no credentials).
mock_provider "aws" {}

variables {
  name               = "slipway-test-media-mediaconvert"
  input_object_arns  = ["arn:aws:s3:::slipway-test-media/uploads/*"]
  output_object_arns = ["arn:aws:s3:::slipway-test-media/derived/*"]
  account_id         = "123456789012"
}

run "secure_defaults" {
  command = apply

  assert {
    condition = (
      aws_iam_role.this.name == "slipway-test-media-mediaconvert" &&
      aws_iam_role.this.permissions_boundary == null &&
      jsondecode(aws_iam_role.this.assume_role_policy).Statement == [{
        Sid       = "MediaConvertAssumeRole"
        Effect    = "Allow"
        Principal = { Service = "mediaconvert.amazonaws.com" }
        Action    = "sts:AssumeRole"
        Condition = { StringEquals = { "aws:SourceAccount" = "123456789012" } }
      }]
    )
    error_message = "Only mediaconvert.amazonaws.com, and only for jobs of account_id (aws:SourceAccount), may assume the role."
  }

  assert {
    condition = aws_iam_role_policy.this.policy == output.policy_json && jsondecode(output.policy_json).Statement == [
      { Sid = "ReadInputObjects", Effect = "Allow", Action = ["s3:GetObject"], Resource = ["arn:aws:s3:::slipway-test-media/uploads/*"] },
      { Sid = "WriteOutputObjects", Effect = "Allow", Action = ["s3:PutObject"], Resource = ["arn:aws:s3:::slipway-test-media/derived/*"] },
    ]
    error_message = "The role may read exactly the input prefixes and write exactly the output prefixes, nothing else."
  }

  assert {
    condition     = alltrue([for s in jsondecode(output.policy_json).Statement : alltrue([for r in s.Resource : r != "*"])])
    error_message = "No statement may use Resource \"*\"."
  }
}

run "account_kms_boundary" {
  command = apply

  variables {
    input_object_arns        = ["arn:aws:s3:::slipway-test-media/uploads/*", "arn:aws:s3:::slipway-test-media/uploads/*", "arn:aws:s3:::slipway-test-ingest/raw/clip.mov"]
    kms_key_arns             = ["arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"]
    account_id               = "210987654321"
    permissions_boundary_arn = "arn:aws:iam::123456789012:policy/slipway/bootstrap/slipway-test-workload-boundary"
    tags                     = { flow = "media" }
  }

  assert {
    condition     = jsondecode(aws_iam_role.this.assume_role_policy).Statement[0].Condition == { StringEquals = { "aws:SourceAccount" = "210987654321" } }
    error_message = "The trust condition names the account_id given, not a fixed one."
  }

  assert {
    condition     = jsondecode(output.policy_json).Statement[0].Resource == ["arn:aws:s3:::slipway-test-media/uploads/*", "arn:aws:s3:::slipway-test-ingest/raw/clip.mov"]
    error_message = "Input ARNs are granted once each, exact objects as well as prefixes."
  }

  assert {
    condition = [for s in jsondecode(output.policy_json).Statement : s if s.Sid == "UseBucketKeys"][0] == {
      Sid      = "UseBucketKeys"
      Effect   = "Allow"
      Action   = ["kms:Decrypt", "kms:GenerateDataKey"]
      Resource = ["arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"]
    }
    error_message = "SSE-KMS buckets: decrypt and generate data keys with exactly the given keys."
  }

  assert {
    condition     = aws_iam_role.this.permissions_boundary == "arn:aws:iam::123456789012:policy/slipway/bootstrap/slipway-test-workload-boundary" && aws_iam_role.this.tags == tomap({ flow = "media" })
    error_message = "The permissions boundary and tags must be set on the role."
  }
}
