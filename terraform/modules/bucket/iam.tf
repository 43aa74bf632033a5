# Offline-safe: answered from the provider configuration, no API call.
data "aws_partition" "current" {}

locals {
  # Built from the name (S3 ARNs carry no account or region) so the policy is known at plan time
  # and governance can read it in `terraform show -json`.
  bucket_arn       = "arn:${data.aws_partition.current.partition}:s3:::${var.bucket_name}"
  bucket_resources = [local.bucket_arn, "${local.bucket_arn}/*"]

  # Not configurable: plaintext HTTP and TLS < 1.2 are refused for every principal.
  # A Deny on "s3:*" is the documented pattern here; it grants nothing.
  # https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html#transit
  tls_statements = [
    {
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = local.bucket_resources
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    },
    {
      Sid       = "DenyOutdatedTls"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = local.bucket_resources
      Condition = { NumericLessThan = { "s3:TlsVersion" = "1.2" } }
    },
  ]

  # Principals of the same type are merged ({ AWS = [...], Service = [...] }). Type "*" (only
  # accepted in a Deny) is written as { AWS = ["*"] }, which IAM treats exactly like "*".
  additional_statements = [
    for s in var.additional_policy_statements : merge(
      {
        Sid    = s.sid
        Effect = s.effect
        Principal = {
          for type, ids in {
            for p in s.principals : (p.type == "*" ? "AWS" : p.type) => (p.type == "*" ? ["*"] : p.identifiers)...
          } : type => distinct(flatten(ids))
        }
        Action   = s.actions
        Resource = s.resources
      },
      {
        for key, value in {
          Condition = {
            for test, variables in { for c in s.conditions : c.test => { (c.variable) = c.values }... } :
            test => merge(variables...)
          }
        } : key => value if length(s.conditions) > 0
      },
    )
  ]

  policy = {
    Version   = "2012-10-17"
    Statement = concat(local.tls_statements, local.additional_statements)
  }
}

resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id
  policy = jsonencode(local.policy)

  # S3 rejects concurrent bucket-configuration calls (OperationAborted); the public access block
  # also has to be in place before any policy is evaluated for "public".
  depends_on = [aws_s3_bucket_public_access_block.this]
}
