terraform {
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # thumbprint_list on aws_iam_openid_connect_provider became optional in the 5.8x line
      # (hashicorp/terraform-provider-aws#37255); 5.90 is a safe floor. .terraform.lock.hcl pins
      # the exact version (5.100.0, the one in the offline mirror).
      version = ">= 5.90, < 7.0"
    }
  }

  # Local state on the first apply: the state bucket does not exist yet. Once it does, move this
  # root's state into it (README.md, "Moving the bootstrap state into S3").
  backend "local" {
    path = "terraform.tfstate"
  }
}
