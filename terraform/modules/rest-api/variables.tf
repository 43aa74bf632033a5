variable "name" {
  description = "Name of the REST API. Also names its access log group (/aws/apigateway/<name>/<stage>/access). Slipway stacks use slipway-<env>-<domain>."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.name))
    error_message = "name must be 1-64 characters of letters, digits, hyphens or underscores, e.g. \"slipway-dev-media\"."
  }
}

variable "description" {
  description = "Description of the REST API, shown in the API Gateway console."
  type        = string
  default     = "Managed by Terraform (terraform/modules/rest-api)."
  nullable    = false

  validation {
    condition     = length(var.description) <= 1024
    error_message = "description must be at most 1024 characters."
  }
}

variable "openapi_body" {
  description = "The API as an OpenAPI 3.0 document (JSON string): one x-amazon-apigateway-integration per operation and the Lambda authorizer in components.securitySchemes (x-amazon-apigateway-authorizer). Build it with literal ARNs (partition, region, account and function names are known) so the plan can show and check it."
  type        = string

  validation {
    condition     = can(jsondecode(var.openapi_body))
    error_message = "openapi_body must be a valid JSON string (an OpenAPI 3.0 document); pass jsonencode(...) or file(\"<path>.json\")."
  }

  validation {
    # API Gateway imports OpenAPI 2.0 and 3.0 only:
    # https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-import-api.html
    condition     = can(regex("^3\\.0\\.[0-9]+$", try(tostring(jsondecode(var.openapi_body).openapi), "")))
    error_message = "openapi_body must declare \"openapi\": \"3.0.x\": API Gateway does not import OpenAPI 3.1 documents. Generate the body as 3.0 (the published docs may stay 3.1)."
  }

  validation {
    condition     = try(length(keys(jsondecode(var.openapi_body).paths)) > 0, false)
    error_message = "openapi_body must have a non-empty \"paths\" object: an API without operations cannot be deployed."
  }
}

variable "stage_name" {
  description = "Name of the stage the API is deployed to, e.g. the environment (dev, staging, prod). Part of the invoke URL and of every permission's source ARN."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,128}$", var.stage_name))
    error_message = "stage_name must be 1-128 characters of letters, digits, hyphens or underscores, e.g. \"dev\"."
  }
}

variable "routes" {
  description = "Every operation of openapi_body, declared once more so the module can grant one scoped lambda:InvokeFunction per route and prove the body's authorization: method (ANY: the body's x-amazon-apigateway-any-method), path (API Gateway syntax), function_name of the route's Lambda (unqualified), auth (\"jwt\": behind the authorizer, or \"public\" with a public_reason) and optional per-route throttle."
  type = list(object({
    method        = string
    path          = string
    function_name = string
    auth          = string
    public_reason = optional(string)
    throttle = optional(object({
      rate_limit  = number
      burst_limit = number
    }))
  }))

  validation {
    condition     = length(var.routes) > 0
    error_message = "routes must declare at least one route (one per operation of openapi_body)."
  }

  validation {
    condition     = alltrue([for r in var.routes : contains(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"], r.method)])
    error_message = "routes[*].method must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS or ANY (upper case); offending: ${join(", ", [for r in var.routes : "\"${r.method} ${r.path}\"" if !contains(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"], r.method)])}."
  }

  validation {
    # "/", or segments of literals and {param}, with at most one greedy {param+} as the last segment.
    condition     = alltrue([for r in var.routes : can(regex("^(/|(/([A-Za-z0-9._~-]+|\\{[A-Za-z_][A-Za-z0-9_]*\\}))*(/\\{[A-Za-z_][A-Za-z0-9_]*\\+\\})?)$", r.path)) && r.path != ""])
    error_message = "routes[*].path must use API Gateway path syntax: \"/\" or \"/seg/{param}\", with a greedy \"{proxy+}\" only as the last segment and no trailing slash; offending: ${join(", ", [for r in var.routes : "\"${r.path}\"" if !(can(regex("^(/|(/([A-Za-z0-9._~-]+|\\{[A-Za-z_][A-Za-z0-9_]*\\}))*(/\\{[A-Za-z_][A-Za-z0-9_]*\\+\\})?)$", r.path)) && r.path != "")])}."
  }

  validation {
    condition     = length(distinct([for r in var.routes : "${r.method} ${r.path}"])) == length(var.routes)
    error_message = "routes must not declare the same method and path twice; duplicates: ${join(", ", distinct([for r in var.routes : "${r.method} ${r.path}" if length([for o in var.routes : o if o.method == r.method && o.path == r.path]) > 1]))}."
  }

  validation {
    condition     = alltrue([for r in var.routes : can(regex("^[A-Za-z0-9_-]{1,64}$", r.function_name))])
    error_message = "routes[*].function_name must be the unqualified name of the route's Lambda (1-64 letters, digits, hyphens or underscores), e.g. \"slipway-dev-upload-presign\"; not an ARN, alias or version."
  }

  validation {
    condition     = alltrue([for r in var.routes : contains(["jwt", "public"], r.auth)])
    error_message = "routes[*].auth must be \"jwt\" (behind the Lambda authorizer) or \"public\" (with public_reason)."
  }

  validation {
    condition     = alltrue([for r in var.routes : r.auth != "public" || length(try(trimspace(r.public_reason), "")) >= 10])
    error_message = "routes with auth \"public\" need a public_reason of at least 10 characters saying why anyone may call them (e.g. \"Stripe webhook; the Stripe-Signature header is its authentication\"); missing on: ${join(", ", [for r in var.routes : "${r.method} ${r.path}" if r.auth == "public" && length(try(trimspace(r.public_reason), "")) < 10])}."
  }

  validation {
    condition     = alltrue([for r in var.routes : r.auth == "public" || r.public_reason == null])
    error_message = "public_reason is only for routes with auth \"public\"; remove it from the jwt routes: ${join(", ", [for r in var.routes : "${r.method} ${r.path}" if r.auth != "public" && r.public_reason != null])}."
  }

  validation {
    # Account-level defaults per region: 10,000 requests per second, burst 5,000.
    # https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html
    condition = alltrue([for r in var.routes : r.throttle == null ? true : (
      r.throttle.rate_limit >= 0 && r.throttle.rate_limit <= 10000 &&
      r.throttle.burst_limit >= 0 && r.throttle.burst_limit <= 5000 && floor(r.throttle.burst_limit) == r.throttle.burst_limit
    )])
    error_message = "routes[*].throttle must have rate_limit 0-10000 (requests per second) and burst_limit a whole number 0-5000, API Gateway's account limits."
  }
}

variable "authorizer" {
  description = "The Lambda REQUEST authorizer the body's security scheme (x-amazon-apigateway-authorizer) invokes: function_name (unqualified). null only when every route is public."
  type = object({
    function_name = string
  })
  default = null

  validation {
    condition     = var.authorizer == null ? true : can(regex("^[A-Za-z0-9_-]{1,64}$", var.authorizer.function_name))
    error_message = "authorizer.function_name must be the unqualified name of the authorizer Lambda (1-64 letters, digits, hyphens or underscores), not an ARN."
  }
}

variable "throttle" {
  description = "Stage-wide default throttling for every method (rate_limit requests per second, burst_limit requests); routes[*].throttle overrides it per route."
  type = object({
    rate_limit  = optional(number, 100)
    burst_limit = optional(number, 200)
  })
  default  = {}
  nullable = false

  validation {
    condition = (
      var.throttle.rate_limit >= 0 && var.throttle.rate_limit <= 10000 &&
      var.throttle.burst_limit >= 0 && var.throttle.burst_limit <= 5000 && floor(var.throttle.burst_limit) == var.throttle.burst_limit
    )
    error_message = "throttle must have rate_limit 0-10000 (requests per second) and burst_limit a whole number 0-5000, API Gateway's account limits."
  }
}

variable "logging_level" {
  description = "Execution logging level of every method: INFO (requests and authorizer decisions) or ERROR. Data trace (full payloads) stays off."
  type        = string
  default     = "INFO"
  nullable    = false

  validation {
    condition     = contains(["INFO", "ERROR"], var.logging_level)
    error_message = "logging_level must be \"INFO\" or \"ERROR\" (upper case); OFF is not allowed: execution logs are how an authorizer or integration failure is explained."
  }
}

variable "log_retention_in_days" {
  description = "Days CloudWatch Logs keeps the API's access and execution log events."
  type        = number
  default     = 30
  nullable    = false

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_in_days)
    error_message = "log_retention_in_days must be one of the values CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 (never-expire is not allowed)."
  }
}

variable "log_kms_key_arn" {
  description = "KMS key ARN that encrypts the access and execution log groups. null uses CloudWatch Logs' service-managed encryption. The key policy must allow logs.<region>.amazonaws.com."
  type        = string
  default     = null

  validation {
    condition     = var.log_kms_key_arn == null ? true : can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", var.log_kms_key_arn))
    error_message = "log_kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key-id>); aliases are not accepted by CloudWatch Logs."
  }
}

variable "cache" {
  description = "Stage cache. Off by default; when enabled, cached responses are always encrypted and clients need authorization to bypass the cache."
  type = object({
    enabled        = optional(bool, false)
    size           = optional(string, "0.5")
    ttl_in_seconds = optional(number, 300)
  })
  default  = {}
  nullable = false

  validation {
    condition     = contains(["0.5", "1.6", "6.1", "13.5", "28.4", "58.2", "118", "237"], var.cache.size)
    error_message = "cache.size must be a cache cluster size API Gateway offers (GB): 0.5, 1.6, 6.1, 13.5, 28.4, 58.2, 118 or 237."
  }

  validation {
    condition     = var.cache.ttl_in_seconds >= 0 && var.cache.ttl_in_seconds <= 3600 && floor(var.cache.ttl_in_seconds) == var.cache.ttl_in_seconds
    error_message = "cache.ttl_in_seconds must be a whole number of seconds from 0 to 3600."
  }
}

variable "binary_media_types" {
  description = "Media types API Gateway passes to the Lambdas as base64 (e.g. image/png, multipart/form-data, or */* for all). Overrides x-amazon-apigateway-binary-media-types in the body."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for t in var.binary_media_types : can(regex("^([A-Za-z0-9!#$&^_.+-]+|\\*)/([A-Za-z0-9!#$&^_.+-]+|\\*)$", t))])
    error_message = "binary_media_types must be media types \"type/subtype\" (wildcards allowed: \"image/*\", \"*/*\"), without parameters."
  }
}

variable "web_acl_arn" {
  description = "ARN of a regional AWS WAFv2 web ACL to associate with the stage. null: no WAF."
  type        = string
  default     = null

  validation {
    condition     = var.web_acl_arn == null ? true : can(regex("^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:[0-9]{12}:regional/webacl/[A-Za-z0-9_-]{1,128}/[a-f0-9-]{36}$", var.web_acl_arn))
    error_message = "web_acl_arn must be a regional WAFv2 web ACL ARN (arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>); CloudFront-scoped (global) ACLs cannot protect a regional API."
  }
}

variable "custom_domain" {
  description = "Optional custom domain: a regional domain name with minimum TLS 1.2, its ACM certificate (in the API's region) and the base path the stage is mapped to (\"\" = the root)."
  type = object({
    domain_name     = string
    certificate_arn = string
    base_path       = optional(string, "")
  })
  default = null

  validation {
    condition     = var.custom_domain == null ? true : can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.custom_domain.domain_name))
    error_message = "custom_domain.domain_name must be a lower-case fully qualified domain name without a trailing dot or wildcard, e.g. \"api.example.com\"."
  }

  validation {
    condition     = var.custom_domain == null ? true : can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[A-Za-z0-9-]+$", var.custom_domain.certificate_arn))
    error_message = "custom_domain.certificate_arn must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>) in the API's region (regional endpoint)."
  }

  validation {
    condition     = var.custom_domain == null ? true : can(regex("^([A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*)?$", var.custom_domain.base_path))
    error_message = "custom_domain.base_path must be \"\" (the domain's root) or path segments without leading or trailing slash, e.g. \"v1\"."
  }
}

variable "tags" {
  description = "Tags for every taggable resource the module creates (merged over the provider's default_tags)."
  type        = map(string)
  default     = {}
  nullable    = false

  validation {
    condition     = alltrue([for k, v in var.tags : length(k) >= 1 && length(k) <= 128 && length(v) <= 256 && !startswith(lower(k), "aws:")])
    error_message = "tags keys must be 1-128 characters and must not start with \"aws:\"; values at most 256 characters."
  }
}
