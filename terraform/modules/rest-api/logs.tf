locals {
  # One JSON object per request. $context.authorizer.error says why the authorizer refused, and
  # $context.xrayTraceId joins the line to the X-Ray trace of the same request.
  # https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-variables-for-access-logging.html
  access_log_format = jsonencode({
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
  })
}

# Access logs: what the stage writes through access_log_settings.
resource "aws_cloudwatch_log_group" "access" {
  name              = "/aws/apigateway/${var.name}/${var.stage_name}/access"
  retention_in_days = var.log_retention_in_days
  kms_key_id        = var.log_kms_key_arn

  tags = var.tags
}

# Execution logs: API Gateway writes them to this fixed name and would create the group itself,
# without retention, on the first request. Created here first so retention and encryption hold.
# https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
resource "aws_cloudwatch_log_group" "execution" {
  name              = "API-Gateway-Execution-Logs_${aws_api_gateway_rest_api.this.id}/${var.stage_name}"
  retention_in_days = var.log_retention_in_days
  kms_key_id        = var.log_kms_key_arn

  tags = var.tags
}
