# An ANY route: the body writes it as API Gateway's x-amazon-apigateway-any-method extension
# (libs/manifest restApiBody), the preconditions read that key as the route's operation, and the
# invoke permission admits every method on the path (API Gateway invokes with the caller's
# method). Prepare: the valid fixture plus one ANY operation. Act: apply on mocks, then break one
# field at a time. Assess: the exact source ARN, and the precondition failures.
mock_provider "aws" {
  mock_resource "aws_api_gateway_rest_api" {
    defaults = {
      id            = "a1b2c3d4e5"
      execution_arn = "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5"
    }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/apigateway/slipway-test-api/test/access"
    }
  }
  mock_data "aws_api_gateway_authorizers" {
    defaults = {
      ids = ["auth12"]
    }
  }
}

variables {
  name       = "slipway-test-api"
  stage_name = "test"
  authorizer = { function_name = "slipway-test-authorizer" }
  openapi_body = jsonencode(merge(jsondecode(file("tests/fixtures/openapi.json")), {
    paths = merge(jsondecode(file("tests/fixtures/openapi.json")).paths, {
      "/proxy/{proxy+}" = {
        "x-amazon-apigateway-any-method" = merge(jsondecode(file("tests/fixtures/openapi.json")).paths["/files/{proxy+}"].get, {
          operationId = "anyProxy"
          "x-amazon-apigateway-integration" = merge(jsondecode(file("tests/fixtures/openapi.json")).paths["/files/{proxy+}"].get["x-amazon-apigateway-integration"], {
            uri = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:slipway-test-proxy/invocations"
          })
        })
      }
    })
  }))
  routes = [
    { method = "POST", path = "/uploads", function_name = "slipway-test-upload-presign", auth = "jwt" },
    { method = "GET", path = "/things/{id}", function_name = "slipway-test-things", auth = "jwt" },
    { method = "GET", path = "/files/{proxy+}", function_name = "slipway-test-files", auth = "jwt" },
    { method = "POST", path = "/webhooks/stripe", function_name = "slipway-test-payment-webhook", auth = "public", public_reason = "Stripe webhook; the Stripe-Signature header is its authentication" },
    { method = "ANY", path = "/proxy/{proxy+}", function_name = "slipway-test-proxy", auth = "jwt" },
  ]
}

run "any_route_gets_a_permission_for_every_method_on_its_path" {
  command = apply

  assert {
    condition     = aws_lambda_permission.route["ANY /proxy/{proxy+}"].source_arn == "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/test/*/proxy/*"
    error_message = "An ANY route's permission is scoped to its stage and path, any method: .../test/*/proxy/*."
  }

  assert {
    condition     = aws_lambda_permission.route["ANY /proxy/{proxy+}"].function_name == "slipway-test-proxy" && aws_lambda_permission.route["POST /uploads"].source_arn == "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/test/POST/uploads"
    error_message = "The ANY route's permission goes to its own function; other routes keep their method."
  }
}

run "rejects_any_route_missing_from_the_body" {
  command = plan

  variables {
    # The body has no x-amazon-apigateway-any-method under /proxy/{proxy+}: a GET is not an ANY.
    openapi_body = jsonencode(merge(jsondecode(file("tests/fixtures/openapi.json")), {
      paths = merge(jsondecode(file("tests/fixtures/openapi.json")).paths, {
        "/proxy/{proxy+}" = {
          get = jsondecode(file("tests/fixtures/openapi.json")).paths["/files/{proxy+}"].get
        }
      })
    }))
  }

  expect_failures = [aws_api_gateway_rest_api.this]
}

run "rejects_any_operation_without_the_authorizer" {
  command = plan

  variables {
    openapi_body = jsonencode(merge(jsondecode(file("tests/fixtures/openapi.json")), {
      paths = merge(jsondecode(file("tests/fixtures/openapi.json")).paths, {
        "/proxy/{proxy+}" = {
          "x-amazon-apigateway-any-method" = merge(jsondecode(file("tests/fixtures/openapi.json")).paths["/files/{proxy+}"].get, {
            security = []
            "x-amazon-apigateway-integration" = merge(jsondecode(file("tests/fixtures/openapi.json")).paths["/files/{proxy+}"].get["x-amazon-apigateway-integration"], {
              uri = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:slipway-test-proxy/invocations"
            })
          })
        }
      })
    }))
  }

  expect_failures = [aws_api_gateway_rest_api.this]
}
