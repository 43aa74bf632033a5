provider "aws" {
  region = var.region
  # Credentials of any other account fail before any change. The offline plan
  # (tools/terraform/src/offline-plan.ts) overrides it, since it requests no account id.
  allowed_account_ids = [var.aws_account_id]

  default_tags {
    tags = merge(
      {
        # The same keys as the stacks' default tags (terraform/stacks/src/domain-stack.ts), which
        # governance requires on every taggable resource (governance/config.yaml, requiredTags).
        project      = var.name_prefix
        environment  = "shared"
        owner        = var.owner
        stack        = "bootstrap"
        "managed-by" = "terraform"
      },
      var.default_tags,
    )
  }
}

# Offline-safe: answered from the provider's region data, no API call.
data "aws_partition" "current" {}
