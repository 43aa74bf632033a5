variable "github_repository" {
  description = "GitHub repository whose Actions workflows may assume the plan/deploy roles, as \"owner/name\" (case-sensitive, as in the OIDC sub claim)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$", var.github_repository))
    error_message = "github_repository must be \"owner/name\" exactly as GitHub spells it (e.g. \"acme/slipway\"), without https://github.com/ and without .git."
  }
}

variable "aws_account_id" {
  description = "The AWS account this root manages; the provider refuses any other (allowed_account_ids)."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.aws_account_id))
    error_message = "aws_account_id must be exactly 12 digits, e.g. \"123456789012\" (quote it to keep leading zeros)."
  }
}

variable "admin_principal_arns" {
  description = "IAM roles or users of this account that administer the delivery keys and may read and repair any environment's state (break-glass), e.g. the SSO administrator role. Must include the principal that applies this root. The account's root user is always added."
  type        = list(string)
  nullable    = false

  validation {
    condition     = length(var.admin_principal_arns) > 0 && alltrue([for a in var.admin_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/[A-Za-z0-9+=,.@_/-]+$", a))])
    error_message = "admin_principal_arns must list at least one IAM role or user ARN without wildcards, e.g. [\"arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_AdministratorAccess_0123456789abcdef\"] (aws iam get-role --role-name <name> --query Role.Arn); include the principal that runs terraform apply here."
  }

  validation {
    condition     = alltrue([for a in var.admin_principal_arns : try(split(":", a)[4], "") == var.aws_account_id])
    error_message = "admin_principal_arns must be principals of aws_account_id: the key and bucket policies compare aws:PrincipalArn, and an administrator of another account would be a cross-account grant."
  }

  validation {
    condition     = alltrue([for a in var.admin_principal_arns : !strcontains(a, ":role/${var.name_prefix}/bootstrap/")])
    error_message = "admin_principal_arns must not name the bootstrap's own roles (path /<name_prefix>/bootstrap/): a GitHub plan or deploy role would then administer the keys and read every environment's state."
  }
}

variable "region" {
  description = "Region of the state and artifact buckets and of every Slipway stack."
  type        = string
  default     = "eu-west-1"
  nullable    = false

  validation {
    condition     = can(regex("^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region code such as \"eu-west-1\" or \"us-east-1\"."
  }
}

variable "name_prefix" {
  description = "Prefix of every Slipway resource name. Stack resources are named <name_prefix>-<env>-*, and the deploy roles are scoped to exactly that."
  type        = string
  default     = "slipway"
  nullable    = false

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,19}$", var.name_prefix))
    error_message = "name_prefix must be 2-20 lowercase letters or digits, starting with a letter (no hyphens, so \"<name_prefix>-<env>-\" scopes stay unambiguous)."
  }
}

variable "owner" {
  description = "Team that owns the bootstrap resources: the owner default tag on every resource (same value as owner in terraform/stacks/environments.json)."
  type        = string
  default     = "platform-team"
  nullable    = false

  validation {
    condition     = length(var.owner) >= 1 && length(var.owner) <= 256
    error_message = "owner must be 1-256 characters, e.g. \"platform-team\"."
  }
}

variable "environments" {
  description = "Deployment environments of this account (one, unless allow_shared_account). Each gets a plan role, a deploy role (trusted only for apply_workflow_file on main in the GitHub environment of the same name) and a workload permissions boundary."
  type        = list(string)
  default     = ["dev", "staging", "prod"]
  nullable    = false

  validation {
    condition     = length(var.environments) > 0 && alltrue([for e in var.environments : can(regex("^[a-z][a-z0-9]{1,11}$", e))])
    error_message = "environments must be a non-empty list of 2-12 lowercase letters or digits starting with a letter (no hyphens: with \"dev\" and \"dev-eu\", the scope slipway-dev-* would also cover slipway-dev-eu-*)."
  }

  validation {
    condition     = length(var.environments) == 1 || var.allow_shared_account
    error_message = "One AWS account per environment: pass only this account's environment, e.g. environments = [\"prod\"], or set allow_shared_account = true to put several environments in one account on purpose."
  }

  validation {
    condition     = length(distinct(var.environments)) == length(var.environments)
    error_message = "environments must not repeat a name."
  }

  validation {
    condition     = length(setintersection(toset(var.environments), toset(["tfstate", "artifacts", "accesslogs", "github", "bootstrap"]))) == 0
    error_message = "environments must not be named tfstate, artifacts, accesslogs, github or bootstrap: the bootstrap's own resources use those names after the prefix, and an environment's deploy role would then reach them."
  }
}

variable "allow_shared_account" {
  description = "Allow more than one environment in this account. Off by default: account-wide grants (the \"*\" resources, MediaConvert, KMS via services) cross environment lines in a shared account, so apply this root once per environment's account with environments = [\"<env>\"]."
  type        = bool
  default     = false
  nullable    = false
}

variable "plan_role_branches" {
  description = "Branches whose runs of plan_workflow_files (the deploy's plans and scheduled drift detection on main) may assume the read-only plan roles, besides pull_request runs of pull_request_plan_environment."
  type        = list(string)
  default     = ["main"]
  nullable    = false

  validation {
    condition     = alltrue([for b in var.plan_role_branches : can(regex("^[A-Za-z0-9._/-]{1,200}$", b))])
    error_message = "plan_role_branches must be exact branch names such as \"main\" (no wildcards, no refs/heads/ prefix)."
  }
}

variable "apply_workflow_file" {
  description = "File name under .github/workflows of the workflow whose jobs run terraform apply (the reusable one a caller invokes: its job_workflow_ref is what the OIDC subject names). The deploy roles trust only this file as committed on main."
  type        = string
  default     = "reusable-apply.yml"
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{1,100}\\.ya?ml$", var.apply_workflow_file))
    error_message = "apply_workflow_file must be a file name in .github/workflows such as \"reusable-apply.yml\" (no directory, no wildcard, ending in .yml or .yaml)."
  }
}

variable "plan_workflow_files" {
  description = "File names under .github/workflows of the workflows whose jobs assume the plan roles (job_workflow_ref): the first one also runs pull-request plans."
  type        = list(string)
  default     = ["reusable-plan.yml", "drift.yml"]
  nullable    = false

  validation {
    condition     = length(var.plan_workflow_files) > 0 && alltrue([for f in var.plan_workflow_files : can(regex("^[A-Za-z0-9._-]{1,100}\\.ya?ml$", f))])
    error_message = "plan_workflow_files must be a non-empty list of file names in .github/workflows such as \"reusable-plan.yml\" (no directory, no wildcard, ending in .yml or .yaml)."
  }
}

variable "pull_request_plan_environment" {
  description = "The one environment whose plan role pull requests may assume (their code runs in the plan job, so it must not be staging or prod). When it is not in environments (an account of another environment) or null, no plan role trusts pull requests."
  type        = string
  default     = "dev"

  validation {
    condition     = var.pull_request_plan_environment == null || !contains(["staging", "prod"], coalesce(var.pull_request_plan_environment, "-"))
    error_message = "pull_request_plan_environment must not be staging or prod: pull-request code would read that environment's state. Use \"dev\" or null."
  }
}

variable "default_tags" {
  description = "Tags added to every resource through the provider's default_tags (merged over project, environment, owner, stack and managed-by)."
  type        = map(string)
  default     = {}
  nullable    = false

  validation {
    condition     = alltrue([for k, v in var.default_tags : length(k) >= 1 && length(k) <= 128 && length(v) <= 256 && !startswith(lower(k), "aws:")])
    error_message = "default_tags keys must be 1-128 characters and must not start with \"aws:\"; values at most 256 characters."
  }
}
