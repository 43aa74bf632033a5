terraform {
  # 1.10: cross-variable validation (1.9) and mock_provider overrides in `terraform test` (1.7).
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # aws_ses_template (name, subject, html, text) is unchanged since 3.x; 5.70 is the floor
      # every Slipway module supports. 5.100.0 has no aws_sesv2_email_template.
      version = ">= 5.70, < 7.0"
    }
  }
}
