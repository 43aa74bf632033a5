locals {
  body = jsondecode(var.openapi_body)

  # OpenAPI 3.0 path item keys that are operations (the rest are summary, parameters, servers, ...),
  # by the route method each stands for. API Gateway's catch-all method is its own extension key:
  # https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-any-method.html
  http_methods = {
    get                              = "GET"
    put                              = "PUT"
    post                             = "POST"
    delete                           = "DELETE"
    options                          = "OPTIONS"
    head                             = "HEAD"
    patch                            = "PATCH"
    "x-amazon-apigateway-any-method" = "ANY"
  }

  # The body's Lambda authorizer: the one security scheme that carries x-amazon-apigateway-authorizer.
  authorizer_schemes = {
    for name, scheme in try(local.body.components.securitySchemes, {}) : name => {
      type            = lower(try(scheme["x-amazon-apigateway-authorizer"].type, ""))
      uri             = try(tostring(scheme["x-amazon-apigateway-authorizer"].authorizerUri), "")
      identity_source = try(tostring(scheme["x-amazon-apigateway-authorizer"].identitySource), "")
    } if can(scheme["x-amazon-apigateway-authorizer"])
  }
  authorizer_scheme = length(local.authorizer_schemes) == 1 ? one(keys(local.authorizer_schemes)) : null

  # Every operation of the body by "<METHOD> <path>", reduced to what the checks below need.
  # Only operation-level `security` counts: API Gateway attaches authorizers per method, and an
  # operation-level `security` replaces the document's root one, so reading the root would be a
  # second, weaker source of truth.
  operations = {
    for o in flatten([
      for path, item in local.body.paths : [
        for method, op in item : {
          key  = "${lookup(local.http_methods, lower(method), upper(method))} ${path}"
          path = path
          # Authorized: at least one security requirement, and every alternative names the Lambda
          # authorizer (an empty {} alternative means "anonymous allowed" in OpenAPI).
          authorized = try(length(op.security) > 0 && alltrue([for req in op.security : contains(keys(req), local.authorizer_scheme)]), false)
          # Public: no requirement at all, or an anonymous {} alternative.
          public           = try(length(op.security) == 0, true) || try(anytrue([for req in op.security : length(keys(req)) == 0]), false)
          integration_type = lower(try(tostring(op["x-amazon-apigateway-integration"].type), ""))
          integration_uri  = try(tostring(op["x-amazon-apigateway-integration"].uri), "")
        } if contains(keys(local.http_methods), lower(method))
      ]
    ]) : o.key => o
  }

  routes = { for r in var.routes : "${r.method} ${r.path}" => r }

  # What the preconditions report, by route key.
  routes_missing_from_body = [for key, r in local.routes : key if !contains(keys(local.operations), key)]
  # A mock OPTIONS operation is a CORS preflight answered by API Gateway itself, with no Lambda.
  operations_not_declared = [for key, o in local.operations : key if !contains(keys(local.routes), key) && !(startswith(key, "OPTIONS ") && o.integration_type == "mock")]
  jwt_routes_unauthorized = [for key, r in local.routes : key if r.auth == "jwt" && !try(local.operations[key].authorized, false)]
  public_routes_secured   = [for key, r in local.routes : key if r.auth == "public" && !try(local.operations[key].public, true)]
  routes_wrong_function = [
    for key, r in local.routes : key
    if contains(keys(local.operations), key) && !strcontains(try(local.operations[key].integration_uri, ""), ":function:${r.function_name}/invocations")
  ]
  has_jwt_routes = anytrue([for r in var.routes : r.auth == "jwt"])
}

resource "aws_api_gateway_rest_api" "this" {
  name        = var.name
  description = var.description
  body        = var.openapi_body

  # "overwrite": the body is the whole truth, so an operation removed from it leaves the API.
  put_rest_api_mode  = "overwrite"
  binary_media_types = var.binary_media_types
  # Off: API Gateway warns about vendor extensions it does not import (x-slipway-public-reason,
  # which governance reads) and would otherwise refuse the body for them.
  fail_on_warnings = false

  # Regional: the custom domain, WAF and X-Ray all attach to a regional endpoint; an edge-optimized
  # API would put a CloudFront distribution we do not govern in front of it.
  endpoint_configuration {
    types = ["REGIONAL"]
  }

  tags = var.tags

  lifecycle {
    precondition {
      condition     = length(local.routes_missing_from_body) == 0
      error_message = "routes not found in openapi_body (paths[\"<path>\"][\"<method>\"]): ${join(", ", local.routes_missing_from_body)}. Regenerate the body from the manifests, or remove the route from var.routes."
    }
    precondition {
      condition     = length(local.operations_not_declared) == 0
      error_message = "openapi_body has operations that var.routes does not declare, so they would have no invoke permission and no declared auth: ${join(", ", local.operations_not_declared)}. Declare each in var.routes (auth \"jwt\", or \"public\" with public_reason) or remove it from the body."
    }
    precondition {
      condition     = !local.has_jwt_routes || (var.authorizer != null && local.authorizer_scheme != null)
      error_message = "jwt routes need the Lambda authorizer: set var.authorizer and define exactly one components.securitySchemes entry with x-amazon-apigateway-authorizer in openapi_body (found ${length(local.authorizer_schemes)}: ${join(", ", keys(local.authorizer_schemes))})."
    }
    precondition {
      condition = local.authorizer_scheme == null || var.authorizer == null ? true : (
        local.authorizer_schemes[local.authorizer_scheme].type == "request" &&
        strcontains(local.authorizer_schemes[local.authorizer_scheme].identity_source, "method.request.header.Authorization") &&
        strcontains(local.authorizer_schemes[local.authorizer_scheme].uri, ":function:${var.authorizer.function_name}/invocations")
      )
      error_message = "The security scheme \"${coalesce(local.authorizer_scheme, "-")}\" must be a REQUEST authorizer (x-amazon-apigateway-authorizer.type \"request\") whose identitySource includes method.request.header.Authorization (the result cache key) and whose authorizerUri invokes var.authorizer.function_name \"${try(var.authorizer.function_name, "-")}\"."
    }
    precondition {
      condition     = length(local.jwt_routes_unauthorized) == 0
      error_message = "jwt routes not authorized in openapi_body: ${join(", ", local.jwt_routes_unauthorized)}. Each needs \"security\": [{\"${coalesce(local.authorizer_scheme, "<authorizer scheme>")}\": []}] on the operation (every alternative naming the authorizer, no anonymous {}), or auth \"public\" with a public_reason."
    }
    precondition {
      condition     = length(local.public_routes_secured) == 0
      error_message = "routes declared public but secured in openapi_body: ${join(", ", local.public_routes_secured)}. Either make the route auth \"jwt\" or give the operation \"security\": [] in the body."
    }
    precondition {
      condition     = length(local.routes_wrong_function) == 0
      error_message = "routes whose x-amazon-apigateway-integration.uri does not invoke their function_name (expected \"...:function:<function_name>/invocations\"): ${join(", ", local.routes_wrong_function)}. The invoke permission would be granted to a different function than API Gateway calls."
    }
  }
}

resource "aws_api_gateway_deployment" "this" {
  rest_api_id = aws_api_gateway_rest_api.this.id

  # A deployment is a snapshot: without a new one a changed body would never reach the stage.
  triggers = {
    body               = sha256(var.openapi_body)
    binary_media_types = sha256(jsonencode(var.binary_media_types))
  }

  # The stage points at the new deployment before the old one is deleted (deleting the deployment a
  # stage uses fails).
  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_api_gateway_stage" "this" {
  rest_api_id   = aws_api_gateway_rest_api.this.id
  deployment_id = aws_api_gateway_deployment.this.id
  stage_name    = var.stage_name

  # Not configurable: only REST APIs emit X-Ray segments, and the edge must be in the service map.
  xray_tracing_enabled = true

  cache_cluster_enabled = var.cache.enabled
  cache_cluster_size    = var.cache.enabled ? var.cache.size : null

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format          = local.access_log_format
  }

  tags = var.tags

  # API Gateway creates the execution log group itself (never expiring) if it does not exist yet.
  depends_on = [aws_cloudwatch_log_group.execution]
}

locals {
  method_settings = {
    metrics_enabled = true
    logging_level   = var.logging_level
    # Off: data trace logs full requests and responses, tokens and personal data included.
    data_trace_enabled   = false
    caching_enabled      = var.cache.enabled
    cache_ttl_in_seconds = var.cache.ttl_in_seconds
    # Always true: the setting only takes effect with caching on, and then it must be on.
    cache_data_encrypted                       = true
    require_authorization_for_cache_control    = true
    unauthorized_cache_control_header_strategy = "FAIL_WITH_403"
  }

  throttled_routes = { for key, r in local.routes : key => r if r.throttle != null }
}

resource "aws_api_gateway_method_settings" "this" {
  rest_api_id = aws_api_gateway_rest_api.this.id
  stage_name  = aws_api_gateway_stage.this.stage_name
  method_path = "*/*"

  settings {
    metrics_enabled                            = local.method_settings.metrics_enabled
    logging_level                              = local.method_settings.logging_level
    data_trace_enabled                         = local.method_settings.data_trace_enabled
    throttling_rate_limit                      = var.throttle.rate_limit
    throttling_burst_limit                     = var.throttle.burst_limit
    caching_enabled                            = local.method_settings.caching_enabled
    cache_ttl_in_seconds                       = local.method_settings.cache_ttl_in_seconds
    cache_data_encrypted                       = local.method_settings.cache_data_encrypted
    require_authorization_for_cache_control    = local.method_settings.require_authorization_for_cache_control
    unauthorized_cache_control_header_strategy = local.method_settings.unauthorized_cache_control_header_strategy
  }
}

# A method override replaces the stage defaults for that method, so it repeats them beside the
# route's throttle.
resource "aws_api_gateway_method_settings" "route" {
  for_each = local.throttled_routes

  rest_api_id = aws_api_gateway_rest_api.this.id
  stage_name  = aws_api_gateway_stage.this.stage_name
  # "{resource_path}/{http_method}" without the leading slash, as the provider documents.
  method_path = "${trimprefix(each.value.path, "/")}/${each.value.method}"

  settings {
    metrics_enabled                            = local.method_settings.metrics_enabled
    logging_level                              = local.method_settings.logging_level
    data_trace_enabled                         = local.method_settings.data_trace_enabled
    throttling_rate_limit                      = each.value.throttle.rate_limit
    throttling_burst_limit                     = each.value.throttle.burst_limit
    caching_enabled                            = local.method_settings.caching_enabled
    cache_ttl_in_seconds                       = local.method_settings.cache_ttl_in_seconds
    cache_data_encrypted                       = local.method_settings.cache_data_encrypted
    require_authorization_for_cache_control    = local.method_settings.require_authorization_for_cache_control
    unauthorized_cache_control_header_strategy = local.method_settings.unauthorized_cache_control_header_strategy
  }

  # Overrides after the stage-wide defaults, so the two never race on the same stage.
  depends_on = [aws_api_gateway_method_settings.this]
}

resource "aws_wafv2_web_acl_association" "this" {
  count = var.web_acl_arn == null ? 0 : 1

  resource_arn = aws_api_gateway_stage.this.arn
  web_acl_arn  = var.web_acl_arn
}
