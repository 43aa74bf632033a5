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

  # Lambda takes whatever object is at the key: only that environment's deploy role may write
  # under "<env>/", and only as a create (If-None-Match: *, which publish-artifacts sends with a
  # single PutObject), so no principal can replace a zip that a plan already points at.
  # https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes-enforce.html
  additional_policy_statements = flatten([for env in sort(tolist(local.environments)) : [
    {
      sid        = "DenyArtifactWritesExceptDeploy${title(env)}"
      effect     = "Deny"
      principals = [{ type = "AWS", identifiers = ["*"] }]
      actions    = ["s3:PutObject"]
      resources  = ["arn:${local.partition}:s3:::${local.artifact_bucket_name}/${env}/*"]
      conditions = [{
        test     = "ArnNotEquals"
        variable = "aws:PrincipalArn"
        values   = ["${local.arn.iam}:role${local.iam_path}${var.name_prefix}-${env}-github-deploy"]
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
  ]])

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
