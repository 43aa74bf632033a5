provider "aws" {
  region = var.region
  # No allowed_account_ids: the provider cannot check it when planning offline
  # (skip_requesting_account_id). README.md says to confirm the account before applying.

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
