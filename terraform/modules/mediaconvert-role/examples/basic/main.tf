# Minimal use: the role MediaConvert assumes to read uploads and write renditions of the media flow.
# Plan it offline with fake credentials as described in terraform/bootstrap/README.md.
terraform {
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.70, < 7.0"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

module "media_transcoder" {
  source = "../.."

  name = "slipway-dev-media-mediaconvert"

  input_object_arns  = ["arn:aws:s3:::slipway-dev-media/uploads/*"]
  output_object_arns = ["arn:aws:s3:::slipway-dev-media/derived/*"]

  # MediaConvert may assume the role only for jobs of this account (aws:SourceAccount).
  account_id = "123456789012"

  tags = { flow = "media" }
}

output "role_arn" {
  description = "ARN of the example role (give it to the state-machine module's mediaconvert_role_arns)."
  value       = module.media_transcoder.role_arn
}

output "policy_json" {
  description = "The role policy the module generated."
  value       = module.media_transcoder.policy_json
}
