# Secure defaults, scoped permissions and the access log format, asserted on a mock apply (no AWS
# calls, no credentials). tests/fixtures/openapi.json is the body: three jwt routes (one with a
# path parameter, one greedy) and one public webhook.
mock_provider "aws" {
  mock_resource "aws_api_gateway_rest_api" {
    defaults = {
      id            = "a1b2c3d4e5"
      execution_arn = "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5"
    }
  }
  mock_resource "aws_api_gateway_stage" {
    defaults = {
      arn        = "arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/stages/test"
      invoke_url = "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/test"
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
  name         = "slipway-test-api"
  stage_name   = "test"
  openapi_body = file("tests/fixtures/openapi.json")
  authorizer   = { function_name = "slipway-test-authorizer" }
  routes = [
    { method = "POST", path = "/uploads", function_name = "slipway-test-upload-presign", auth = "jwt", throttle = { rate_limit = 5, burst_limit = 10 } },
    { method = "GET", path = "/things/{id}", function_name = "slipway-test-things", auth = "jwt" },
    { method = "GET", path = "/files/{proxy+}", function_name = "slipway-test-files", auth = "jwt" },
    { method = "POST", path = "/webhooks/stripe", function_name = "slipway-test-payment-webhook", auth = "public", public_reason = "Stripe webhook; the Stripe-Signature header is its authentication" },
  ]
}

run "secure_defaults" {
  command = apply

  assert {
    condition     = aws_api_gateway_rest_api.this.body == file("tests/fixtures/openapi.json") && aws_api_gateway_rest_api.this.put_rest_api_mode == "overwrite" && aws_api_gateway_rest_api.this.endpoint_configuration[0].types == tolist(["REGIONAL"])
    error_message = "The body is deployed verbatim, in overwrite mode, as a regional API."
  }

  assert {
    condition     = aws_api_gateway_stage.this.xray_tracing_enabled == true
    error_message = "X-Ray tracing must always be on."
  }

  assert {
    condition     = aws_api_gateway_deployment.this.triggers.body == sha256(file("tests/fixtures/openapi.json"))
    error_message = "The deployment must be replaced whenever the body changes (trigger = SHA-256 of the body)."
  }

  assert {
    condition = (
      aws_cloudwatch_log_group.access.name == "/aws/apigateway/slipway-test-api/test/access" &&
      aws_cloudwatch_log_group.access.retention_in_days == 30 && aws_cloudwatch_log_group.access.kms_key_id == null &&
      aws_cloudwatch_log_group.execution.name == "API-Gateway-Execution-Logs_a1b2c3d4e5/test" &&
      aws_cloudwatch_log_group.execution.retention_in_days == 30
    )
    error_message = "Access logs go to /aws/apigateway/<name>/<stage>/access, execution logs to API Gateway's fixed group; both keep 30 days by default."
  }

  assert {
    condition     = aws_api_gateway_stage.this.access_log_settings[0].destination_arn == "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/apigateway/slipway-test-api/test/access"
    error_message = "The stage must write access logs to the module's access log group."
  }

  assert {
    condition = jsondecode(aws_api_gateway_stage.this.access_log_settings[0].format) == {
      requestId          = "$context.requestId"
      extendedRequestId  = "$context.extendedRequestId"
      ip                 = "$context.identity.sourceIp"
      caller             = "$context.identity.caller"
      user               = "$context.identity.user"
      principalId        = "$context.authorizer.principalId"
      requestTime        = "$context.requestTime"
      httpMethod         = "$context.httpMethod"
      resourcePath       = "$context.resourcePath"
      status             = "$context.status"
      protocol           = "$context.protocol"
      responseLength     = "$context.responseLength"
      integrationLatency = "$context.integrationLatency"
      authorizerError    = "$context.authorizer.error"
      xrayTraceId        = "$context.xrayTraceId"
    }
    error_message = "The access log format must be exactly the documented JSON keys."
  }

  assert {
    condition = (
      aws_api_gateway_method_settings.this.method_path == "*/*" &&
      aws_api_gateway_method_settings.this.settings[0].metrics_enabled == true &&
      aws_api_gateway_method_settings.this.settings[0].logging_level == "INFO" &&
      aws_api_gateway_method_settings.this.settings[0].data_trace_enabled == false &&
      aws_api_gateway_method_settings.this.settings[0].throttling_rate_limit == 100 &&
      aws_api_gateway_method_settings.this.settings[0].throttling_burst_limit == 200
    )
    error_message = "Every method: metrics on, INFO logs, no data trace, 100 rps / 200 burst by default."
  }

  assert {
    condition = (
      aws_api_gateway_stage.this.cache_cluster_enabled == false &&
      aws_api_gateway_method_settings.this.settings[0].caching_enabled == false &&
      aws_api_gateway_method_settings.this.settings[0].cache_data_encrypted == true
    )
    error_message = "No cache by default (and encryption set should it be turned on)."
  }

  assert {
    condition = (
      keys(aws_api_gateway_method_settings.route) == ["POST /uploads"] &&
      aws_api_gateway_method_settings.route["POST /uploads"].method_path == "uploads/POST" &&
      aws_api_gateway_method_settings.route["POST /uploads"].settings[0].throttling_rate_limit == 5 &&
      aws_api_gateway_method_settings.route["POST /uploads"].settings[0].throttling_burst_limit == 10 &&
      aws_api_gateway_method_settings.route["POST /uploads"].settings[0].logging_level == "INFO" &&
      aws_api_gateway_method_settings.route["POST /uploads"].settings[0].data_trace_enabled == false
    )
    error_message = "A route's throttle gets its own method override (uploads/POST, 5 rps / 10 burst) that keeps the stage's logging settings."
  }

  assert {
    condition = { for key, p in aws_lambda_permission.route : key => [p.function_name, p.principal, p.action, p.source_arn] } == {
      "POST /uploads"         = ["slipway-test-upload-presign", "apigateway.amazonaws.com", "lambda:InvokeFunction", "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/test/POST/uploads"]
      "GET /things/{id}"      = ["slipway-test-things", "apigateway.amazonaws.com", "lambda:InvokeFunction", "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/test/GET/things/*"]
      "GET /files/{proxy+}"   = ["slipway-test-files", "apigateway.amazonaws.com", "lambda:InvokeFunction", "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/test/GET/files/*"]
      "POST /webhooks/stripe" = ["slipway-test-payment-webhook", "apigateway.amazonaws.com", "lambda:InvokeFunction", "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/test/POST/webhooks/stripe"]
    }
    error_message = "One invoke permission per route, scoped to this stage, method and path ({param} as *)."
  }

  assert {
    condition = (
      aws_lambda_permission.authorizer[0].function_name == "slipway-test-authorizer" &&
      aws_lambda_permission.authorizer[0].principal == "apigateway.amazonaws.com" &&
      aws_lambda_permission.authorizer[0].source_arn == "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/authorizers/auth12"
    )
    error_message = "The authorizer may be invoked by this API's authorizer only."
  }

  assert {
    condition     = length(distinct([for p in aws_lambda_permission.route : p.statement_id])) == 4 && aws_lambda_permission.route["GET /things/{id}"].statement_id == "AllowApiGateway-GET-${substr(sha1("GET /things/{id}"), 0, 12)}"
    error_message = "Statement ids are unique per route."
  }

  assert {
    condition     = length(aws_wafv2_web_acl_association.this) == 0 && length(aws_api_gateway_domain_name.this) == 0 && length(aws_api_gateway_base_path_mapping.this) == 0
    error_message = "No WAF association and no custom domain unless asked for."
  }

  assert {
    condition = (
      output.rest_api_id == "a1b2c3d4e5" &&
      output.execution_arn == "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5" &&
      output.stage_name == "test" &&
      output.stage_arn == "arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/stages/test" &&
      output.invoke_url == "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/test" &&
      output.log_group_name == "/aws/apigateway/slipway-test-api/test/access" &&
      output.domain_name == null
    )
    error_message = "Outputs must expose the API, stage and log group."
  }
}

run "options_waf_domain_cache_kms" {
  command = apply

  variables {
    web_acl_arn     = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/slipway-test/0a1b2c3d-4e5f-6789-abcd-ef0123456789"
    custom_domain   = { domain_name = "api.example.com", certificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789", base_path = "v1" }
    cache           = { enabled = true, size = "1.6", ttl_in_seconds = 60 }
    log_kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-4e5f-6789-abcd-ef0123456789"
    logging_level   = "ERROR"
    throttle        = { rate_limit = 50, burst_limit = 100 }
  }

  assert {
    condition     = aws_wafv2_web_acl_association.this[0].resource_arn == "arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/stages/test" && aws_wafv2_web_acl_association.this[0].web_acl_arn == var.web_acl_arn
    error_message = "The web ACL must be associated with the stage."
  }

  assert {
    condition = (
      aws_api_gateway_domain_name.this[0].domain_name == "api.example.com" &&
      aws_api_gateway_domain_name.this[0].security_policy == "TLS_1_2" &&
      aws_api_gateway_domain_name.this[0].regional_certificate_arn == var.custom_domain.certificate_arn &&
      aws_api_gateway_domain_name.this[0].endpoint_configuration[0].types == tolist(["REGIONAL"]) &&
      aws_api_gateway_base_path_mapping.this[0].base_path == "v1" &&
      aws_api_gateway_base_path_mapping.this[0].stage_name == "test" &&
      aws_api_gateway_base_path_mapping.this[0].api_id == "a1b2c3d4e5"
    )
    error_message = "A custom domain is regional with TLS 1.2 minimum and maps the stage at base_path."
  }

  assert {
    condition = (
      aws_api_gateway_stage.this.cache_cluster_enabled == true && aws_api_gateway_stage.this.cache_cluster_size == "1.6" &&
      aws_api_gateway_method_settings.this.settings[0].caching_enabled == true &&
      aws_api_gateway_method_settings.this.settings[0].cache_data_encrypted == true &&
      aws_api_gateway_method_settings.this.settings[0].cache_ttl_in_seconds == 60 &&
      aws_api_gateway_method_settings.this.settings[0].require_authorization_for_cache_control == true &&
      aws_api_gateway_method_settings.route["POST /uploads"].settings[0].cache_data_encrypted == true
    )
    error_message = "An enabled cache is encrypted, on every method override too, and clients need authorization to bypass it."
  }

  assert {
    condition     = aws_cloudwatch_log_group.access.kms_key_id == var.log_kms_key_arn && aws_cloudwatch_log_group.execution.kms_key_id == var.log_kms_key_arn
    error_message = "Both log groups are encrypted with log_kms_key_arn."
  }

  assert {
    condition = (
      aws_api_gateway_method_settings.this.settings[0].logging_level == "ERROR" &&
      aws_api_gateway_method_settings.this.settings[0].throttling_rate_limit == 50 &&
      aws_api_gateway_method_settings.this.settings[0].throttling_burst_limit == 100
    )
    error_message = "logging_level and throttle reach the stage-wide method settings."
  }
}

run "only_public_routes_need_no_authorizer" {
  command = apply

  variables {
    authorizer   = null
    openapi_body = file("tests/fixtures/openapi-public.json")
    routes = [
      { method = "POST", path = "/webhooks/stripe", function_name = "slipway-test-payment-webhook", auth = "public", public_reason = "Stripe webhook; the Stripe-Signature header is its authentication" },
    ]
  }

  assert {
    condition     = length(aws_lambda_permission.authorizer) == 0 && keys(aws_lambda_permission.route) == ["POST /webhooks/stripe"]
    error_message = "Without jwt routes there is no authorizer permission."
  }
}
