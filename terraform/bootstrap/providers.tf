provider "aws" {
  region = var.region
  # No allowed_account_ids: the provider cannot check it when planning offline
  # (skip_requesting_account_id). README.md says to confirm the account before applying.

  default_tags {
    tags = merge(
      {
        Project   = var.name_prefix
        Stack     = "bootstrap"
        ManagedBy = "terraform"
      },
      var.default_tags,
    )
  }
}

# Offline-safe: answered from the provider's region data, no API call.
data "aws_partition" "current" {}
