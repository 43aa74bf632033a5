# One Lambda data source of an AppSync API and its own role, allowed to invoke that function only
# (and its versions and aliases). A submodule so that each role is the one aws_iam_role of its
# module instance: reviewers, governance and the bootstrap's permission checks read a role and
# its policy together.

variable "api_id" {
  description = "Id of the AppSync API the data source belongs to."
  type        = string
}

variable "name" {
  description = "Data source name ([_A-Za-z][_0-9A-Za-z]*), derived from the function's name by the parent module."
  type        = string

  validation {
    condition     = can(regex("^[_A-Za-z][_0-9A-Za-z]{0,64}$", var.name))
    error_message = "name must be a GraphQL-style name: letters, digits and underscores, not starting with a digit."
  }
}

variable "function_arn" {
  description = "Unqualified ARN of the Lambda function the data source invokes."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]{1,64}$", var.function_arn))
    error_message = "function_arn must be an unqualified Lambda function ARN."
  }
}

variable "role_name" {
  description = "Name of the data source's role, e.g. \"<api name>-ds-1\"."
  type        = string
}

variable "role_arn" {
  description = "ARN of that role, built by the parent from its partition and account, so it is known at plan time."
  type        = string
}

variable "assume_role_policy" {
  description = "Trust policy (JSON): AppSync, acting for the parent's account."
  type        = string
}

variable "permissions_boundary_arn" {
  description = "Permissions boundary of the role, or null."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags of the role."
  type        = map(string)
  default     = {}
}

locals {
  function_name = element(split(":", var.function_arn), 6)
}

resource "aws_iam_role" "this" {
  name                 = var.role_name
  description          = "AppSync invokes Lambda ${local.function_name} (managed by Terraform)."
  assume_role_policy   = var.assume_role_policy
  permissions_boundary = var.permissions_boundary_arn
  tags                 = var.tags

  lifecycle {
    postcondition {
      condition     = self.arn == var.role_arn
      error_message = "The role's ARN is not the one the parent built (${var.role_arn}); pass the account the provider deploys to as account_id."
    }
  }
}

resource "aws_iam_role_policy" "this" {
  name = "invoke-function"
  role = aws_iam_role.this.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "InvokeResolverFunction"
      Effect   = "Allow"
      Action   = ["lambda:InvokeFunction"]
      Resource = [var.function_arn, "${var.function_arn}:*"]
    }]
  })
}

resource "aws_appsync_datasource" "this" {
  api_id           = var.api_id
  name             = var.name
  description      = "Lambda ${local.function_name} (managed by Terraform)."
  type             = "AWS_LAMBDA"
  service_role_arn = var.role_arn

  lambda_config {
    function_arn = var.function_arn
  }

  # AppSync checks the role when the data source is created: it must exist with its policy.
  depends_on = [aws_iam_role.this, aws_iam_role_policy.this]
}

output "name" {
  description = "Name of the data source."
  value       = aws_appsync_datasource.this.name
}

output "role_arn" {
  description = "ARN of the data source's role."
  value       = aws_iam_role.this.arn
}

output "role" {
  description = "The role as created: name, boundary and trust policy (for tests and review)."
  value = {
    name                 = aws_iam_role.this.name
    permissions_boundary = aws_iam_role.this.permissions_boundary
    assume_role_policy   = aws_iam_role.this.assume_role_policy
  }
}

output "policy" {
  description = "The role's inline policy (JSON)."
  value       = aws_iam_role_policy.this.policy
}

output "data_source" {
  description = "The data source as created: type, function and role."
  value = {
    type             = aws_appsync_datasource.this.type
    function_arn     = aws_appsync_datasource.this.lambda_config[0].function_arn
    service_role_arn = aws_appsync_datasource.this.service_role_arn
  }
}
