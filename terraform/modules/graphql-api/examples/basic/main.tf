# The use this module was made for: the users API (the committed SDL) with Cognito user pools,
# one glue Lambda resolving Query.user and Mutation.updateProfile as direct Lambda resolvers,
# field-level error logs kept 30 days, X-Ray on. The data source's role may invoke that one
# function only. Plan it offline with fake credentials as described in terraform/bootstrap/README.md.
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

module "users_api" {
  source = "../.."

  name                = "slipway-example-users"
  schema              = file("${path.module}/../../../../../libs/users/graphql/schema.graphql")
  authentication_type = "AMAZON_COGNITO_USER_POOLS"
  user_pool_id        = "eu-west-1_ExAmPlE12"
  resolvers = [
    { type_name = "Query", field_name = "user", function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:slipway-example-users-graphql" },
    { type_name = "Mutation", field_name = "updateProfile", function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:slipway-example-users-graphql" },
  ]
  field_log_level       = "ERROR"
  log_retention_in_days = 30
  account_id            = "123456789012"

  # The environment's alarm topic (the alarm-topic module's topic_arn in a real stack): every
  # alarm of the module notifies it on ALARM and OK.
  alarm_actions = ["arn:aws:sns:eu-west-1:123456789012:slipway-example-alarms"]

  tags = { domain = "users" }
}

output "graphql_url" {
  value = module.users_api.graphql_url
}
