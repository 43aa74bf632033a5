output "state_bucket_name" {
  description = "Bucket holding every stack's Terraform state (key \"<env>/<stack>.tfstate\")."
  value       = module.state_bucket.bucket_id
}

output "artifact_bucket_name" {
  description = "Bucket holding the Lambda zips (key \"<env>/<lambda>/<hex sha256>.zip\")."
  value       = module.artifact_bucket.bucket_id
}

output "access_log_bucket_name" {
  description = "Bucket receiving S3 server access logs under \"s3-access-logs/<bucket>/\"."
  value       = module.access_log_bucket.bucket_id
}

output "oidc_provider_arn" {
  description = "ARN of the GitHub Actions OIDC identity provider."
  value       = aws_iam_openid_connect_provider.github.arn
}

output "plan_role_arns" {
  description = "Read-only plan role per environment (role-to-assume for pull_request workflows)."
  value       = { for env, role in aws_iam_role.plan : env => role.arn }
}

output "deploy_role_arns" {
  description = "Deploy role per environment (role-to-assume for jobs running in the GitHub environment of the same name)."
  value       = { for env, role in aws_iam_role.deploy : env => role.arn }
}

output "workload_permissions_boundary_arns" {
  description = "Permissions boundary per environment; pass it as permissions_boundary_arn to the lambda-function and state-machine modules."
  # The ARN the deploy policy's iam:PermissionsBoundary condition expects, for the same env.
  value = { for env, policy in aws_iam_policy.workload_boundary : env => policy.arn }
}

output "backend_config" {
  description = "S3 backend settings per environment for the stacks (add key = \"<env>/<stack>.tfstate\")."
  value = {
    for env in local.environments : env => {
      bucket               = module.state_bucket.bucket_id
      region               = var.region
      workspace_key_prefix = "${env}/workspaces"
      use_lockfile         = true
      encrypt              = true
      # The alias ARN is known before the key exists (stacks can build it from the account and
      # region); the state bucket policy accepts it as well as the key ARN.
      kms_key_id = local.delivery_key_alias_arn[env]
    }
  }
}

output "delivery_key_arns" {
  description = "Customer-managed KMS key per environment: its Terraform state (S3 SSE-KMS under \"<env>/\") and its sealed plan artifacts (encryption context slipway:purpose = plan, slipway:environment = <env>)."
  value       = { for env, key in aws_kms_key.delivery : env => key.arn }
}

output "delivery_key_aliases" {
  description = "Alias ARN of each environment's delivery key (arn:<partition>:kms:<region>:<account>:alias/<name_prefix>-<env>-delivery), usable as the S3 backend's kms_key_id and as a KMS KeyId."
  value       = local.delivery_key_alias_arn
}

output "role_policies_json" {
  description = "Policy documents per environment, for review and governance checks: terraform_read (plan and deploy roles), plan_key (plan role), deploy_compute, deploy_integration, deploy_api and deploy_key (deploy role), workload_boundary. plan_key and deploy_key name the delivery key's ARN, known once the key exists."
  value = {
    for env in local.environments : env => {
      terraform_read     = jsonencode(local.read_policy[env])
      deploy_compute     = jsonencode(local.deploy_compute_policy[env])
      deploy_integration = jsonencode(local.deploy_integration_policy[env])
      deploy_api         = jsonencode(local.deploy_api_policy[env])
      workload_boundary  = jsonencode(local.workload_boundary[env])
      plan_key           = jsonencode(local.plan_key_policy[env])
      deploy_key         = jsonencode(local.deploy_key_policy[env])
    }
  }
}
