locals {
  partition = data.aws_partition.current.partition
  account   = var.aws_account_id
  region    = var.region

  # Bucket names are global: the account id makes them unique (the stacks' S3 backend uses the
  # same "<prefix>-tfstate-<account>" name). The word after the prefix is a reserved environment
  # name (see var.environments), so no deploy role's "<prefix>-<env>-*" scope reaches them.
  state_bucket_name      = "${var.name_prefix}-tfstate-${local.account}"
  artifact_bucket_name   = "${var.name_prefix}-artifacts-${local.account}"
  access_log_bucket_name = "${var.name_prefix}-accesslogs-${local.account}"
  access_log_prefix      = "s3-access-logs/"

  github_oidc_host = "token.actions.githubusercontent.com"

  # The bootstrap's own IAM lives under this path, outside every "role/<prefix>-<env>-*" scope.
  iam_path = "/${var.name_prefix}/bootstrap/"

  environments = toset(var.environments)
}

# -----------------------------------------------------------------------------------------------
# Buckets
# -----------------------------------------------------------------------------------------------

# Receives S3 server access logs (state and artifact buckets here; stacks may point workload
# buckets at it too). It cannot log to itself.
module "access_log_bucket" {
  source = "../modules/bucket"

  bucket_name = local.access_log_bucket_name
  lifecycle_rules = [{
    id                                 = "expire-access-logs"
    expiration_days                    = 365
    noncurrent_version_expiration_days = 30
  }]

  # ACL-based log delivery is impossible with BucketOwnerEnforced: grant the logging service.
  # https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
  additional_policy_statements = [{
    sid        = "AllowS3ServerAccessLogs"
    principals = [{ type = "Service", identifiers = ["logging.s3.amazonaws.com"] }]
    actions    = ["s3:PutObject"]
    resources  = ["arn:${local.partition}:s3:::${local.access_log_bucket_name}/${local.access_log_prefix}*"]
    conditions = [{ test = "StringEquals", variable = "aws:SourceAccount", values = [local.account] }]
  }]
}

# Terraform state of every stack, keyed "<env>/<stack>.tfstate", locked with S3 lock files
# (use_lockfile). Versioned so a bad apply can be rolled back to the previous state version.
module "state_bucket" {
  source = "../modules/bucket"

  bucket_name        = local.state_bucket_name
  versioning_enabled = true
  lifecycle_rules = [{
    id                                     = "state-history"
    noncurrent_version_expiration_days     = 365
    abort_incomplete_multipart_upload_days = 7
  }]
  access_log_bucket = local.access_log_bucket_name
  access_log_prefix = "${local.access_log_prefix}${local.state_bucket_name}/"

  # State holds secrets (sensitive values in plaintext): whatever an IAM policy of the account
  # grants, only the environment's plan and deploy roles and the administrators (kms.tf,
  # local.admin_principals) reach "<env>/", and every object written there is encrypted with the
  # environment's key, whose policy admits the same principals. Lock files ("<env>/*.tflock") are
  # not exempt: Terraform's S3 backend sends the same SSE-KMS headers with the lock's PutObject
  # as with the state's (lockWithFile, internal/backend/remote-state/s3/client.go).
  # The bucket's default stays SSE-S3 (it holds one key, and several environments may share the
  # bucket); "bootstrap/" (this root's own state) is outside every "<env>/" and admin-only.
  additional_policy_statements = flatten([for env in sort(tolist(local.environments)) : [
    {
      sid        = "DenyStateAccessExcept${title(env)}Roles"
      effect     = "Deny"
      principals = [{ type = "AWS", identifiers = ["*"] }]
      actions    = ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"]
      resources  = ["${local.state_bucket_arn}/${env}/*"]
      conditions = [{
        test     = "ArnNotEquals"
        variable = "aws:PrincipalArn"
        values   = concat([local.role_arns[env].plan, local.role_arns[env].deploy], local.admin_principals)
      }]
    },
    {
      sid        = "DenyStateWritesWithoutKms${title(env)}"
      effect     = "Deny"
      principals = [{ type = "AWS", identifiers = ["*"] }]
      actions    = ["s3:PutObject"]
      resources  = ["${local.state_bucket_arn}/${env}/*"]
      conditions = [{ test = "StringNotEquals", variable = "s3:x-amz-server-side-encryption", values = ["aws:kms"] }]
    },
    {
      # S3 compares the key it encrypts with, as a key ARN (the documented format of this
      # condition); the alias ARN is accepted too, should S3 ever compare the header as sent, so
      # a backend configured with kms_key_id = the alias ARN (output backend_config) passes either
      # way. An absent header matches StringNotEquals, so a write without it is denied.
      # https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#require-sse-kms
      sid        = "DenyStateWritesWithOtherKeys${title(env)}"
      effect     = "Deny"
      principals = [{ type = "AWS", identifiers = ["*"] }]
      actions    = ["s3:PutObject"]
      resources  = ["${local.state_bucket_arn}/${env}/*"]
      conditions = [{
        test     = "StringNotEquals"
        variable = "s3:x-amz-server-side-encryption-aws-kms-key-id"
        values   = [aws_kms_key.delivery[env].arn, local.delivery_key_alias_arn[env]]
      }]
    },
  ]])

  # The name is passed as a known value (it decides whether logging is configured at all); the
  # dependency makes sure the target bucket and its policy exist before logging points at it.
  depends_on = [module.access_log_bucket]
}

# Lambda zips, keyed "<env>/<lambda>/<hex sha256>.zip": content-addressed, so re-uploads are no-ops.
module "artifact_bucket" {
  source = "../modules/bucket"

  bucket_name = local.artifact_bucket_name
  lifecycle_rules = [{
    id                                 = "artifact-history"
    noncurrent_version_expiration_days = 30
  }]
  access_log_bucket = local.access_log_bucket_name
  access_log_prefix = "${local.access_log_prefix}${local.artifact_bucket_name}/"

  # Lambda takes whatever object is current at the key (an s3_object_version is unknown at plan
  # time: the zip is published at apply), so the key is content-addressed and create-only: only
  # that environment's deploy role may write under "<env>/", only as a create (If-None-Match: *,
  # which publish-artifacts sends with a single PutObject), and nobody but an administrator may
  # delete an object or one of its versions (a delete marker or a removed current version would
  # free the key for a new create, or bring back an older version). Noncurrent versions still
  # expire by lifecycle, which S3 applies itself, outside any bucket policy.
  # https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes-enforce.html
  additional_policy_statements = concat(flatten([for env in sort(tolist(local.environments)) : [
    {
      sid        = "DenyArtifactWritesExceptDeploy${title(env)}"
      effect     = "Deny"
      principals = [{ type = "AWS", identifiers = ["*"] }]
      actions    = ["s3:PutObject"]
      resources  = ["arn:${local.partition}:s3:::${local.artifact_bucket_name}/${env}/*"]
      conditions = [{
        test     = "ArnNotEquals"
        variable = "aws:PrincipalArn"
        values   = [local.role_arns[env].deploy]
      }]
    },
    {
      sid        = "DenyArtifactOverwrites${title(env)}"
      effect     = "Deny"
      principals = [{ type = "AWS", identifiers = ["*"] }]
      actions    = ["s3:PutObject"]
      resources  = ["arn:${local.partition}:s3:::${local.artifact_bucket_name}/${env}/*"]
      conditions = [{ test = "Null", variable = "s3:if-none-match", values = ["true"] }]
    },
    ]]), [
    {
      sid        = "DenyArtifactDeletesExceptAdmins"
      effect     = "Deny"
      principals = [{ type = "AWS", identifiers = ["*"] }]
      actions    = ["s3:DeleteObject", "s3:DeleteObjectVersion"]
      resources  = ["${local.artifact_bucket_arn}/*"]
      conditions = [{ test = "ArnNotEquals", variable = "aws:PrincipalArn", values = local.admin_principals }]
    },
  ])

  depends_on = [module.access_log_bucket]
}

# Account-wide: no bucket or access point of this account can become public, whatever a bucket
# policy or ACL a deploy role (or anyone else) writes. The deploy roles cannot change it (no
# s3:PutAccountPublicAccessBlock). https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
resource "aws_s3_account_public_access_block" "this" {
  account_id              = local.account
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# -----------------------------------------------------------------------------------------------
# GitHub Actions OIDC
# -----------------------------------------------------------------------------------------------

# No thumbprint_list: AWS validates token.actions.githubusercontent.com against its own trusted CA
# library; thumbprints are ignored for it.
# https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services
resource "aws_iam_openid_connect_provider" "github" {
  url            = "https://${local.github_oidc_host}"
  client_id_list = ["sts.amazonaws.com"]
}
