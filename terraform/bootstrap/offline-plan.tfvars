# Placeholder values for the offline plan (npx nx run tf-bootstrap:plan). A real apply takes
# the repository and account from the operator: see README.md.
github_repository = "acme/slipway"
aws_account_id    = "111111111111"
# All three environments in one plan, so one file shows every role: a shared account, on purpose.
allow_shared_account = true
# Who administers the delivery keys and may repair state (a real apply names the SSO admin role).
admin_principal_arns = ["arn:aws:iam::111111111111:role/slipway-admin"]
