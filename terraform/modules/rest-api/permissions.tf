locals {
  # API Gateway invokes a route's function with the source ARN
  # <execution_arn>/<stage>/<METHOD>/<resource path>, where a path parameter matches any one value;
  # "*" stands for it (and for the rest of the path after a greedy {proxy+}), and for the method
  # of an ANY route, which API Gateway invokes with the caller's actual method.
  # https://docs.aws.amazon.com/apigateway/latest/developerguide/arn-format-reference.html
  route_source_arns = {
    for key, r in local.routes : key => "${aws_api_gateway_rest_api.this.execution_arn}/${var.stage_name}/${r.method == "ANY" ? "*" : r.method}${replace(r.path, "/\\{[^}]+\\}/", "*")}"
  }
}

# One permission per route, for that stage, method and path only: never a "*" source, so the
# function cannot be called through another stage, method or API.
resource "aws_lambda_permission" "route" {
  for_each = local.routes

  # Statement ids allow [A-Za-z0-9_-] only; the hash keeps two paths that differ only in
  # punctuation apart.
  statement_id  = "AllowApiGateway-${each.value.method}-${substr(sha1(each.key), 0, 12)}"
  action        = "lambda:InvokeFunction"
  function_name = each.value.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = local.route_source_arns[each.key]
}

# The authorizer's id exists only once API Gateway has imported the body. depends_on defers the
# read to apply whenever the API changes, so the id is never the one of a replaced authorizer.
data "aws_api_gateway_authorizers" "this" {
  count = var.authorizer == null ? 0 : 1

  rest_api_id = aws_api_gateway_rest_api.this.id

  depends_on = [aws_api_gateway_rest_api.this]

  lifecycle {
    postcondition {
      condition     = length(self.ids) == 1
      error_message = "REST API ${var.name} has ${length(self.ids)} authorizers; the module supports exactly one (the body's x-amazon-apigateway-authorizer scheme). Remove the others from openapi_body."
    }
  }
}

# API Gateway calls the authorizer with the source ARN <execution_arn>/authorizers/<id>.
resource "aws_lambda_permission" "authorizer" {
  count = var.authorizer == null ? 0 : 1

  statement_id  = "AllowApiGatewayAuthorizer-${substr(sha1(var.name), 0, 12)}"
  action        = "lambda:InvokeFunction"
  function_name = var.authorizer.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.this.execution_arn}/authorizers/${one(data.aws_api_gateway_authorizers.this[0].ids)}"
}
