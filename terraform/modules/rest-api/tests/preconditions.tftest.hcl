# The body and var.routes must agree, checked at plan: every jwt route is authorized by the Lambda
# authorizer in the body, every unauthorized operation is a declared public route, and each
# route's integration invokes its own function. Prepare: the valid fixture. Act: each run clones
# it and breaks one field of the body. Assess: the rest API's preconditions fail.
mock_provider "aws" {}

variables {
  name         = "slipway-test-api"
  stage_name   = "test"
  openapi_body = file("tests/fixtures/openapi.json")
  authorizer   = { function_name = "slipway-test-authorizer" }
  routes = [
    { method = "POST", path = "/uploads", function_name = "slipway-test-upload-presign", auth = "jwt" },
    { method = "GET", path = "/things/{id}", function_name = "slipway-test-things", auth = "jwt" },
    { method = "GET", path = "/files/{proxy+}", function_name = "slipway-test-files", auth = "jwt" },
    { method = "POST", path = "/webhooks/stripe", function_name = "slipway-test-payment-webhook", auth = "public", public_reason = "Stripe webhook; the Stripe-Signature header is its authentication" },
  ]
}

run "valid_fixture_plans" {
  command = plan

  assert {
    condition     = length(aws_lambda_permission.route) == 4
    error_message = "The valid fixture plans one permission per route."
  }
}

run "rejects_jwt_route_without_security" {
  command = plan

  variables {
    openapi_body = jsonencode(merge(jsondecode(file("tests/fixtures/openapi.json")), {
      paths = merge(jsondecode(file("tests/fixtures/openapi.json")).paths, {
        "/things/{id}" = { get = merge(jsondecode(file("tests/fixtures/openapi.json")).paths["/things/{id}"].get, { security = [] }) }
      })
    }))
  }

  expect_failures = [aws_api_gateway_rest_api.this]
}

run "rejects_jwt_route_with_security_field_removed" {
  command = plan

  variables {
    openapi_body = jsonencode(merge(jsondecode(file("tests/fixtures/openapi.json")), {
      paths = merge(jsondecode(file("tests/fixtures/openapi.json")).paths, {
        "/uploads" = { post = { for k, v in jsondecode(file("tests/fixtures/openapi.json")).paths["/uploads"].post : k => v if k != "security" } }
      })
    }))
  }

  expect_failures = [aws_api_gateway_rest_api.this]
}

run "rejects_jwt_route_with_anonymous_alternative" {
  command = plan

  variables {
    # [{slipwayJwt: []}, {}] lets anonymous callers through in OpenAPI.
    openapi_body = jsonencode(merge(jsondecode(file("tests/fixtures/openapi.json")), {
      paths = merge(jsondecode(file("tests/fixtures/openapi.json")).paths, {
        "/uploads" = { post = merge(jsondecode(file("tests/fixtures/openapi.json")).paths["/uploads"].post, { security = [{ slipwayJwt = [] }, {}] }) }
      })
    }))
  }

  expect_failures = [aws_api_gateway_rest_api.this]
}

run "rejects_jwt_route_secured_by_another_scheme" {
  command = plan

  variables {
    openapi_body = jsonencode(merge(jsondecode(file("tests/fixtures/openapi.json")), {
      paths = merge(jsondecode(file("tests/fixtures/openapi.json")).paths, {
        "/uploads" = { post = merge(jsondecode(file("tests/fixtures/openapi.json")).paths["/uploads"].post, { security = [{ apiKey = [] }] }) }
      })
    }))
  }

  expect_failures = [aws_api_gateway_rest_api.this]
}

run "rejects_body_operation_not_declared" {
  command = plan

  variables {
    # The body's unauthorized webhook is no longer a declared public route.
    routes = [
      { method = "POST", path = "/uploads", function_name = "slipway-test-upload-presign", auth = "jwt" },
      { method = "GET", path = "/things/{id}", function_name = "slipway-test-things", auth = "jwt" },
      { method = "GET", path = "/files/{proxy+}", function_name = "slipway-test-files", auth = "jwt" },
    ]
  }

  expect_failures = [aws_api_gateway_rest_api.this]
}

run "rejects_public_route_declared_as_jwt" {
  command = plan

  variables {
    routes = [
      { method = "POST", path = "/uploads", function_name = "slipway-test-upload-presign", auth = "jwt" },
      { method = "GET", path = "/things/{id}", function_name = "slipway-test-things", auth = "jwt" },
      { method = "GET", path = "/files/{proxy+}", function_name = "slipway-test-files", auth = "jwt" },
      { method = "POST", path = "/webhooks/stripe", function_name = "slipway-test-payment-webhook", auth = "jwt" },
    ]
  }

  expect_failures = [aws_api_gateway_rest_api.this]
}

run "rejects_public_route_secured_in_body" {
  command = plan

  variables {
    openapi_body = jsonencode(merge(jsondecode(file("tests/fixtures/openapi.json")), {
      paths = merge(jsondecode(file("tests/fixtures/openapi.json")).paths, {
        "/webhooks/stripe" = { post = merge(jsondecode(file("tests/fixtures/openapi.json")).paths["/webhooks/stripe"].post, { security = [{ slipwayJwt = [] }] }) }
      })
    }))
  }

  expect_failures = [aws_api_gateway_rest_api.this]
}

run "rejects_route_missing_from_body" {
  command = plan

  variables {
    routes = [
      { method = "POST", path = "/uploads", function_name = "slipway-test-upload-presign", auth = "jwt" },
      { method = "GET", path = "/things/{id}", function_name = "slipway-test-things", auth = "jwt" },
      { method = "GET", path = "/files/{proxy+}", function_name = "slipway-test-files", auth = "jwt" },
      { method = "POST", path = "/webhooks/stripe", function_name = "slipway-test-payment-webhook", auth = "public", public_reason = "Stripe webhook; the Stripe-Signature header is its authentication" },
      { method = "DELETE", path = "/things/{id}", function_name = "slipway-test-things", auth = "jwt" },
    ]
  }

  expect_failures = [aws_api_gateway_rest_api.this]
}

run "rejects_route_invoking_another_function" {
  command = plan

  variables {
    routes = [
      { method = "POST", path = "/uploads", function_name = "slipway-test-upload-presign", auth = "jwt" },
      { method = "GET", path = "/things/{id}", function_name = "slipway-test-other", auth = "jwt" },
      { method = "GET", path = "/files/{proxy+}", function_name = "slipway-test-files", auth = "jwt" },
      { method = "POST", path = "/webhooks/stripe", function_name = "slipway-test-payment-webhook", auth = "public", public_reason = "Stripe webhook; the Stripe-Signature header is its authentication" },
    ]
  }

  expect_failures = [aws_api_gateway_rest_api.this]
}

run "rejects_jwt_routes_without_authorizer" {
  command = plan

  variables {
    authorizer = null
  }

  expect_failures = [aws_api_gateway_rest_api.this]
}

run "rejects_authorizer_of_another_function" {
  command = plan

  variables {
    authorizer = { function_name = "slipway-test-other-authorizer" }
  }

  expect_failures = [aws_api_gateway_rest_api.this]
}

run "rejects_token_authorizer" {
  command = plan

  variables {
    openapi_body = jsonencode(merge(jsondecode(file("tests/fixtures/openapi.json")), {
      components = { securitySchemes = { slipwayJwt = merge(jsondecode(file("tests/fixtures/openapi.json")).components.securitySchemes.slipwayJwt, {
        "x-amazon-apigateway-authorizer" = merge(jsondecode(file("tests/fixtures/openapi.json")).components.securitySchemes.slipwayJwt["x-amazon-apigateway-authorizer"], { type = "token" })
      }) } }
    }))
  }

  expect_failures = [aws_api_gateway_rest_api.this]
}

run "rejects_authorizer_not_keyed_on_authorization" {
  command = plan

  variables {
    openapi_body = jsonencode(merge(jsondecode(file("tests/fixtures/openapi.json")), {
      components = { securitySchemes = { slipwayJwt = merge(jsondecode(file("tests/fixtures/openapi.json")).components.securitySchemes.slipwayJwt, {
        "x-amazon-apigateway-authorizer" = merge(jsondecode(file("tests/fixtures/openapi.json")).components.securitySchemes.slipwayJwt["x-amazon-apigateway-authorizer"], { identitySource = "method.request.querystring.token" })
      }) } }
    }))
  }

  expect_failures = [aws_api_gateway_rest_api.this]
}

run "accepts_mock_options_preflight_undeclared" {
  command = plan

  variables {
    openapi_body = jsonencode(merge(jsondecode(file("tests/fixtures/openapi.json")), {
      paths = merge(jsondecode(file("tests/fixtures/openapi.json")).paths, {
        "/uploads" = merge(jsondecode(file("tests/fixtures/openapi.json")).paths["/uploads"], {
          options = { security = [], "x-amazon-apigateway-integration" = { type = "mock", requestTemplates = { "application/json" = "{\"statusCode\": 200}" } }, responses = { "200" = { description = "CORS preflight" } } }
        })
      })
    }))
  }

  assert {
    condition     = length(aws_lambda_permission.route) == 4
    error_message = "A mock OPTIONS preflight needs no route and gets no permission."
  }
}
