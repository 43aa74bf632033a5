import * as z from 'zod';

// API Gateway REST API (v1) Lambda proxy integration: the event a route's Lambda receives and
// the result it returns. https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
// The REST API (not an HTTP API, v2) is the edge because only REST APIs emit X-Ray traces.

const StringMapSchema = z.record(z.string(), z.string());
const MultiStringMapSchema = z.record(z.string(), z.array(z.string()));

/**
 * `requestContext.authorizer` as a REQUEST authorizer's `context` reaches the route: API Gateway
 * turns every value into a string and adds `principalId` (and `integrationLatency`).
 */
export const ApiGatewayAuthorizerContextSchema = z.looseObject({
  principalId: z.string().optional(),
  userId: z.string().optional(),
  roles: z.string().optional(),
});
/** `requestContext.authorizer` of a proxy event. */
export type ApiGatewayAuthorizerContext = z.infer<typeof ApiGatewayAuthorizerContextSchema>;

/**
 * The REST proxy event (payload format 1.0). Header and parameter maps are `null` when the
 * request has none, as API Gateway sends them; fields the edge does not read pass through.
 */
export const ApiGatewayProxyEventSchema = z.looseObject({
  resource: z.string().min(1),
  path: z.string().min(1),
  httpMethod: z.string().min(1),
  headers: StringMapSchema.nullable(),
  multiValueHeaders: MultiStringMapSchema.nullable(),
  queryStringParameters: StringMapSchema.nullable(),
  multiValueQueryStringParameters: MultiStringMapSchema.nullable(),
  pathParameters: StringMapSchema.nullable(),
  stageVariables: StringMapSchema.nullable(),
  requestContext: z.looseObject({
    accountId: z.string(),
    apiId: z.string(),
    stage: z.string(),
    requestId: z.string(),
    resourcePath: z.string(),
    httpMethod: z.string(),
    path: z.string().optional(),
    requestTimeEpoch: z.number().int().optional(),
    identity: z.looseObject({ sourceIp: z.string() }).optional(),
    authorizer: ApiGatewayAuthorizerContextSchema.nullish(),
  }),
  /** The body as text, or base64 when `isBase64Encoded` (binary media types). */
  body: z.string().nullable(),
  isBase64Encoded: z.boolean(),
});
/** A REST proxy event (v1). */
export type ApiGatewayProxyEvent = z.infer<typeof ApiGatewayProxyEventSchema>;

/** What a proxy-integrated Lambda returns; API Gateway answers 502 for anything else. */
export const ApiGatewayProxyResultSchema = z.object({
  statusCode: z.number().int().min(100).max(599),
  headers: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  multiValueHeaders: z
    .record(z.string(), z.array(z.union([z.string(), z.number(), z.boolean()])))
    .optional(),
  body: z.string(),
  isBase64Encoded: z.boolean().optional(),
});
/** A REST proxy result (v1). */
export type ApiGatewayProxyResult = z.infer<typeof ApiGatewayProxyResultSchema>;
