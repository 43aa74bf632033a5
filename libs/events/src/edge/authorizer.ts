import * as z from 'zod';

// The Lambda REQUEST authorizer of the REST API: its input event and its IAM-policy response.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-input.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html

/**
 * The REQUEST authorizer event. `methodArn` is
 * `arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/<METHOD>/<path>` of the request.
 */
export const ApiGatewayRequestAuthorizerEventSchema = z.looseObject({
  type: z.literal('REQUEST'),
  methodArn: z.string().startsWith('arn:'),
  resource: z.string(),
  path: z.string(),
  httpMethod: z.string(),
  headers: z.record(z.string(), z.string()).nullable(),
  multiValueHeaders: z.record(z.string(), z.array(z.string())).nullable().optional(),
  queryStringParameters: z.record(z.string(), z.string()).nullable().optional(),
  pathParameters: z.record(z.string(), z.string()).nullable().optional(),
  stageVariables: z.record(z.string(), z.string()).nullable().optional(),
  requestContext: z.looseObject({
    accountId: z.string(),
    apiId: z.string(),
    stage: z.string(),
    requestId: z.string(),
  }),
});
/** The REQUEST authorizer event. */
export type ApiGatewayRequestAuthorizerEvent = z.infer<
  typeof ApiGatewayRequestAuthorizerEventSchema
>;

/** One statement of the authorizer's policy: `execute-api:Invoke` on method ARNs. */
export const AuthorizerStatementSchema = z.object({
  Action: z.literal('execute-api:Invoke'),
  Effect: z.enum(['Allow', 'Deny']),
  Resource: z.array(z.string().startsWith('arn:')).min(1),
});
/** One statement of the authorizer's policy. */
export type AuthorizerStatement = z.infer<typeof AuthorizerStatementSchema>;

/**
 * The `context` the authorizer returns; API Gateway passes it to the route as
 * `requestContext.authorizer`. Values must be strings, numbers or booleans (no arrays), hence
 * `roles` comma-joined.
 */
export const AuthorizerContextSchema = z.object({
  userId: z.string().min(1),
  roles: z.string(),
});
/** The authorizer's `context`. */
export type AuthorizerContext = z.infer<typeof AuthorizerContextSchema>;

/** The authorizer's response: the caller's principal id, an IAM policy and the context. */
export const AuthorizerResultSchema = z.object({
  principalId: z.string().min(1),
  policyDocument: z.object({
    Version: z.literal('2012-10-17'),
    Statement: z.array(AuthorizerStatementSchema).min(1),
  }),
  context: AuthorizerContextSchema.optional(),
});
/** The authorizer's response. */
export type AuthorizerResult = z.infer<typeof AuthorizerResultSchema>;
