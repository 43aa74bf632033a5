locals {
  # Confused-deputy protection: MediaConvert may only assume the role for jobs of this account.
  # aws:SourceAccount only: AWS documents aws:SourceArn as the ARN of the MediaConvert queue, and
  # the role does not know which queue a job is sent to (the Default one unless the job names one).
  # https://docs.aws.amazon.com/mediaconvert/latest/ug/cross-service-confused-deputy-prevention.html
  assume_role_policy = {
    Version = "2012-10-17"
    Statement = [{
      Sid       = "MediaConvertAssumeRole"
      Effect    = "Allow"
      Principal = { Service = "mediaconvert.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = var.account_id } }
    }]
  }

  policy = {
    Version = "2012-10-17"
    Statement = concat(
      [
        {
          # Inputs only: no ListBucket, no GetObjectVersion, nothing outside the given prefixes.
          Sid      = "ReadInputObjects"
          Effect   = "Allow"
          Action   = ["s3:GetObject"]
          Resource = distinct(var.input_object_arns)
        },
        {
          # Outputs only: no DeleteObject, no PutObjectAcl (buckets enforce BucketOwnerEnforced).
          Sid      = "WriteOutputObjects"
          Effect   = "Allow"
          Action   = ["s3:PutObject"]
          Resource = distinct(var.output_object_arns)
        },
      ],
      length(var.kms_key_arns) > 0 ? [
        {
          # SSE-KMS buckets: decrypt inputs, encrypt outputs with exactly these keys.
          Sid      = "UseBucketKeys"
          Effect   = "Allow"
          Action   = ["kms:Decrypt", "kms:GenerateDataKey"]
          Resource = distinct(var.kms_key_arns)
        },
      ] : [],
    )
  }
}

resource "aws_iam_role" "this" {
  name                 = var.name
  description          = "Assumed by AWS Elemental MediaConvert to read job inputs and write job outputs (managed by Terraform)."
  assume_role_policy   = jsonencode(local.assume_role_policy)
  permissions_boundary = var.permissions_boundary_arn

  tags = var.tags
}

resource "aws_iam_role_policy" "this" {
  name   = "least-privilege"
  role   = aws_iam_role.this.id
  policy = jsonencode(local.policy)
}
