# Every constrained input rejects bad values at plan time with its own message.
# Prepare: the valid fixture below. Act: each run breaks one field. Assess: expect_failures.
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
}

run "rejects_method_not_allowed" {
  command = plan

  variables {
    routes = [
      { method = "POST", path = "/uploads", function_name = "slipway-test-upload-presign", auth = "jwt" },
      { method = "get", path = "/things/{id}", function_name = "slipway-test-things", auth = "jwt" },
    ]
  }

  expect_failures = [var.routes]
}

run "rejects_method_lower_case" {
  command = plan

  variables {
    routes = [
      { method = "POST", path = "/uploads", function_name = "slipway-test-upload-presign", auth = "jwt" },
      { method = "get", path = "/things/{id}", function_name = "slipway-test-things", auth = "jwt" },
    ]
  }

  expect_failures = [var.routes]
}

run "rejects_path_without_leading_slash" {
  command = plan

  variables {
    routes = [
      { method = "POST", path = "/uploads", function_name = "slipway-test-upload-presign", auth = "jwt" },
      { method = "GET", path = "things/{id}", function_name = "slipway-test-things", auth = "jwt" },
    ]
  }

  expect_failures = [var.routes]
}

run "rejects_path_trailing_slash" {
  command = plan

  variables {
    routes = [
      { method = "POST", path = "/uploads", function_name = "slipway-test-upload-presign", auth = "jwt" },
      { method = "GET", path = "/things/", function_name = "slipway-test-things", auth = "jwt" },
    ]
  }

  expect_failures = [var.routes]
}

run "rejects_greedy_not_last" {
  command = plan

  variables {
    routes = [
      { method = "POST", path = "/uploads", function_name = "slipway-test-upload-presign", auth = "jwt" },
      { method = "GET", path = "/files/{proxy+}/meta", function_name = "slipway-test-files", auth = "jwt" },
    ]
  }

  expect_failures = [var.routes]
}

run "rejects_unclosed_param" {
  command = plan

  variables {
    routes = [
      { method = "POST", path = "/uploads", function_name = "slipway-test-upload-presign", auth = "jwt" },
      { method = "GET", path = "/things/{id", function_name = "slipway-test-things", auth = "jwt" },
    ]
  }

  expect_failures = [var.routes]
}

run "rejects_duplicate_route" {
  command = plan

  variables {
    routes = [
      { method = "POST", path = "/uploads", function_name = "slipway-test-upload-presign", auth = "jwt" },
      { method = "POST", path = "/uploads", function_name = "slipway-test-upload-presign", auth = "jwt" },
    ]
  }

  expect_failures = [var.routes]
}

run "rejects_function_arn_as_name" {
  command = plan

  variables {
    routes = [
      { method = "POST", path = "/uploads", function_name = "slipway-test-upload-presign", auth = "jwt" },
      { method = "GET", path = "/things/{id}", function_name = "arn:aws:lambda:eu-west-1:123456789012:function:slipway-test-things", auth = "jwt" },
    ]
  }

  expect_failures = [var.routes]
}

run "rejects_auth_not_allowed" {
  command = plan

  variables {
    routes = [
      { method = "POST", path = "/uploads", function_name = "slipway-test-upload-presign", auth = "jwt" },
      { method = "GET", path = "/things/{id}", function_name = "slipway-test-things", auth = "iam" },
    ]
  }

  expect_failures = [var.routes]
}

run "rejects_public_route_without_reason" {
  command = plan

  variables {
    routes = [
      { method = "POST", path = "/uploads", function_name = "slipway-test-upload-presign", auth = "jwt" },
      { method = "POST", path = "/webhooks/stripe", function_name = "slipway-test-payment-webhook", auth = "public" },
    ]
  }

  expect_failures = [var.routes]
}

run "rejects_public_route_with_blank_reason" {
  command = plan

  variables {
    routes = [
      { method = "POST", path = "/uploads", function_name = "slipway-test-upload-presign", auth = "jwt" },
      { method = "POST", path = "/webhooks/stripe", function_name = "slipway-test-payment-webhook", auth = "public", public_reason = "   " },
    ]
  }

  expect_failures = [var.routes]
}

run "rejects_reason_on_jwt_route" {
  command = plan

  variables {
    routes = [
      { method = "POST", path = "/uploads", function_name = "slipway-test-upload-presign", auth = "jwt" },
      { method = "GET", path = "/things/{id}", function_name = "slipway-test-things", auth = "jwt", public_reason = "not public at all, really" },
    ]
  }

  expect_failures = [var.routes]
}

run "rejects_route_rate_over_account_limit" {
  command = plan

  variables {
    routes = [
      { method = "POST", path = "/uploads", function_name = "slipway-test-upload-presign", auth = "jwt" },
      { method = "GET", path = "/things/{id}", function_name = "slipway-test-things", auth = "jwt", throttle = { rate_limit = 10001, burst_limit = 10 } },
    ]
  }

  expect_failures = [var.routes]
}

run "rejects_route_burst_over_account_limit" {
  command = plan

  variables {
    routes = [
      { method = "POST", path = "/uploads", function_name = "slipway-test-upload-presign", auth = "jwt" },
      { method = "GET", path = "/things/{id}", function_name = "slipway-test-things", auth = "jwt", throttle = { rate_limit = 10, burst_limit = 5001 } },
    ]
  }

  expect_failures = [var.routes]
}

run "rejects_empty_routes" {
  command = plan

  variables {
    routes = []
  }

  expect_failures = [var.routes]
}

run "rejects_stage_rate_negative" {
  command = plan

  variables {
    throttle = { rate_limit = -1 }
  }

  expect_failures = [var.throttle]
}

run "rejects_stage_burst_fractional" {
  command = plan

  variables {
    throttle = { burst_limit = 10.5 }
  }

  expect_failures = [var.throttle]
}

run "rejects_name_bad_chars" {
  command = plan

  variables {
    name = "slipway test/api"
  }

  expect_failures = [var.name]
}

run "rejects_stage_name_bad_chars" {
  command = plan

  variables {
    stage_name = "dev stage"
  }

  expect_failures = [var.stage_name]
}

run "rejects_body_not_json" {
  command = plan

  variables {
    openapi_body = "{not json"
  }

  expect_failures = [var.openapi_body]
}

run "rejects_body_openapi_31" {
  command = plan

  variables {
    openapi_body = replace(file("tests/fixtures/openapi.json"), "\"openapi\": \"3.0.3\"", "\"openapi\": \"3.1.0\"")
  }

  expect_failures = [var.openapi_body]
}

run "rejects_body_without_paths" {
  command = plan

  variables {
    openapi_body = jsonencode({ openapi = "3.0.3", info = { title = "x", version = "1" }, paths = {} })
  }

  expect_failures = [var.openapi_body]
}

run "rejects_logging_level_off" {
  command = plan

  variables {
    logging_level = "OFF"
  }

  expect_failures = [var.logging_level]
}

run "rejects_retention_not_allowed" {
  command = plan

  variables {
    log_retention_in_days = 31
  }

  expect_failures = [var.log_retention_in_days]
}

run "rejects_log_kms_alias" {
  command = plan

  variables {
    log_kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:alias/slipway"
  }

  expect_failures = [var.log_kms_key_arn]
}

run "rejects_cache_size" {
  command = plan

  variables {
    cache = { enabled = true, size = "2" }
  }

  expect_failures = [var.cache]
}

run "rejects_cache_ttl" {
  command = plan

  variables {
    cache = { enabled = true, ttl_in_seconds = 3601 }
  }

  expect_failures = [var.cache]
}

run "rejects_binary_media_type_with_parameters" {
  command = plan

  variables {
    binary_media_types = ["multipart/form-data; boundary=x"]
  }

  expect_failures = [var.binary_media_types]
}

run "rejects_global_web_acl" {
  command = plan

  variables {
    web_acl_arn = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/slipway/0a1b2c3d-4e5f-6789-abcd-ef0123456789"
  }

  expect_failures = [var.web_acl_arn]
}

run "rejects_domain_with_trailing_dot" {
  command = plan

  variables {
    custom_domain = { domain_name = "api.example.com.", certificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789" }
  }

  expect_failures = [var.custom_domain]
}

run "rejects_domain_certificate_not_acm" {
  command = plan

  variables {
    custom_domain = { domain_name = "api.example.com", certificate_arn = "arn:aws:iam::123456789012:server-certificate/api" }
  }

  expect_failures = [var.custom_domain]
}

run "rejects_domain_base_path_slash" {
  command = plan

  variables {
    custom_domain = { domain_name = "api.example.com", certificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789", base_path = "/v1" }
  }

  expect_failures = [var.custom_domain]
}

run "rejects_authorizer_arn" {
  command = plan

  variables {
    authorizer = { function_name = "arn:aws:lambda:eu-west-1:123456789012:function:slipway-test-authorizer" }
  }

  expect_failures = [var.authorizer]
}

run "rejects_tag_aws_prefix" {
  command = plan

  variables {
    tags = { "aws:owner" = "x" }
  }

  expect_failures = [var.tags]
}
