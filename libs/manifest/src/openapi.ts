import * as z from 'zod';
import { OpenApiError } from './errors';
import type { ApiAuthorizer, Route, SchemaCatalog } from './routes';
import type { HttpMethod } from './triggers';

/**
 * The API's OpenAPI documents, built from the route table and the route body schemas (pure: no
 * file, no clock). Two flavours of one builder:
 *
 * - {@link openApiDocument}: OpenAPI 3.1 with JSON Schema draft 2020-12, for people and client
 *   generators (`docs/api/openapi.json`).
 * - {@link restApiBody}: the same paths plus the `x-amazon-apigateway-*` extensions, as the
 *   REST API's `body`. It says `openapi: 3.0.1` with OpenAPI 3.0 schemas, because API Gateway
 *   imports OpenAPI 2.0 and 3.0 only and answers "Invalid OpenAPI input" to 3.1
 *   (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-import-api.html);
 *   its models are JSON Schema draft 4.
 *
 * Keys are sorted at every level, so the same routes give the same bytes.
 */

/** `info` of the document. */
export interface OpenApiInfo {
  title: string;
  /** The workspace version (root package.json). */
  version: string;
  description?: string;
}

/** Name of the error body schema in the catalog; used for every 4xx/5xx answer when present. */
export const ERROR_SCHEMA_NAME = 'ErrorResponse';

/** What {@link restApiBody} needs from the stacks beyond the routes. */
export interface RestApiBodyOptions {
  /**
   * Lambda name → its invoke ARN (`aws_lambda_function.invoke_arn`, i.e.
   * `arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<arn>/invocations`), or a
   * placeholder the caller substitutes. Every routed Lambda and the authorizer need one.
   */
  invokeArns: Readonly<Record<string, string>>;
  /** The API's authorizer (`apiAuthorizer(manifests)`); required when a route uses `jwt`. */
  authorizer?: ApiAuthorizer;
  /** Media types API Gateway passes base64-encoded; default `application/octet-stream` when a route is binary. */
  binaryMediaTypes?: readonly string[];
}

/** A JSON object of the document. */
export type JsonObject = { [key: string]: unknown };

/** The one request validator the body declares: body against its model, and path parameters. */
export const REQUEST_VALIDATOR = 'body-and-params';

const BODY_METHODS: readonly HttpMethod[] = ['POST', 'PUT', 'PATCH', 'ANY'];
/** What `ANY` stands for in the OpenAPI 3.1 document, which has no catch-all method. */
const ANY_EXPANDS_TO: readonly HttpMethod[] = [
  'DELETE',
  'GET',
  'HEAD',
  'OPTIONS',
  'PATCH',
  'POST',
  'PUT',
];

/** Error answers every route documents, by status: component name, description, when. */
const ERROR_RESPONSES: readonly {
  status: string;
  name: string;
  description: string;
  applies: (route: Route) => boolean;
}[] = [
  {
    status: '400',
    name: 'BadRequest',
    description:
      'The request is malformed or its body fails the schema; the message names the field.',
    applies: () => true,
  },
  {
    status: '401',
    name: 'Unauthorized',
    description: 'No bearer token, or it is invalid or expired: sign in again.',
    applies: (r) => r.auth === 'jwt',
  },
  {
    status: '403',
    name: 'Forbidden',
    description: "The token's roles include none this route requires.",
    applies: (r) => r.auth === 'jwt',
  },
  {
    status: '404',
    name: 'NotFound',
    description: 'Nothing exists at this path.',
    applies: () => true,
  },
  {
    status: '413',
    name: 'PayloadTooLarge',
    description: "The body is larger than the route's limit.",
    applies: (r) => BODY_METHODS.includes(r.method),
  },
  {
    status: '429',
    name: 'TooManyRequests',
    description: 'Throttled: retry later, with backoff.',
    applies: () => true,
  },
  {
    status: '500',
    name: 'InternalServerError',
    description: 'The function failed; the error is logged with the request id.',
    applies: () => true,
  },
];

/**
 * API Gateway's own answers (authorizer refusals, throttling, validation, size), rewritten to
 * the error schema's `{code, message}` so every 4xx the document lists has the body it says.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
 */
const GATEWAY_RESPONSES: Readonly<
  Record<string, { status: number; code: string; message: string }>
> = {
  ACCESS_DENIED: {
    status: 403,
    code: 'FORBIDDEN',
    message: "The token's roles include none this route requires.",
  },
  BAD_REQUEST_BODY: {
    status: 400,
    code: 'BAD_REQUEST_BODY',
    message: '$context.error.validationErrorString',
  },
  DEFAULT_5XX: {
    status: 500,
    code: 'INTERNAL',
    message: 'The request failed; retry later. Request id: $context.requestId',
  },
  // A status on DEFAULT_5XX replaces the status of every 5XX not customised itself: without
  // these two, a failed function (502) and a timeout (504) would both answer 500.
  INTEGRATION_FAILURE: {
    status: 502,
    code: 'BAD_GATEWAY',
    message: 'The function failed; retry later. Request id: $context.requestId',
  },
  INTEGRATION_TIMEOUT: {
    status: 504,
    code: 'GATEWAY_TIMEOUT',
    message: 'The function did not answer in time; retry later. Request id: $context.requestId',
  },
  MISSING_AUTHENTICATION_TOKEN: {
    // API Gateway's answer to an unknown path or method; its 403 status is kept (as AWS does).
    status: 403,
    code: 'NO_ROUTE',
    message: 'No route matches this method and path: see the API document.',
  },
  REQUEST_TOO_LARGE: {
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    message: 'The body is larger than this route accepts.',
  },
  THROTTLED: { status: 429, code: 'THROTTLED', message: 'Too many requests: retry later.' },
  UNAUTHORIZED: {
    status: 401,
    code: 'UNAUTHORIZED',
    message: 'Send a valid bearer token in the Authorization header.',
  },
};

/**
 * The OpenAPI 3.1 document of the API: one operation per route (`ANY` as every method), path
 * parameters from `{param}`, request and response bodies as `$ref`s to `components.schemas`
 * generated by zod (draft 2020-12), the error answers, and `security` with the route's roles in
 * `x-slipway-roles` (JWT) or its `x-slipway-public-reason` (public).
 *
 * @throws {OpenApiError} when a body schema cannot be expressed as JSON Schema.
 * @example
 * openApiDocument(routeTable(manifests), EDGE_SCHEMAS, { title: 'Slipway API', version: '0.1.0' });
 */
export function openApiDocument(
  routes: readonly Route[],
  schemas: SchemaCatalog,
  info: OpenApiInfo,
): JsonObject {
  return sortKeys(build(routes, schemas, info, undefined));
}

/**
 * The REST API's `body`: {@link openApiDocument}'s paths in OpenAPI 3.0.1 with
 * `x-amazon-apigateway-integration` (Lambda proxy) on every operation, the Lambda REQUEST
 * authorizer as the `jwt` security scheme, `x-slipway-public-reason` on public operations (for
 * governance), `x-amazon-apigateway-request-validators` and a
 * validator on every route with a request schema, the binary media types, and gateway
 * responses in the error schema's shape.
 *
 * @throws {OpenApiError} when a Lambda has no invoke ARN, a JWT route has no authorizer, or a
 *   body schema cannot be expressed as JSON Schema.
 */
export function restApiBody(
  routes: readonly Route[],
  schemas: SchemaCatalog,
  info: OpenApiInfo,
  options: RestApiBodyOptions,
): JsonObject {
  return sortKeys(build(routes, schemas, info, options));
}

function build(
  routes: readonly Route[],
  schemas: SchemaCatalog,
  info: OpenApiInfo,
  aws: RestApiBodyOptions | undefined,
): JsonObject {
  const hasError = ERROR_SCHEMA_NAME in schemas;
  const invokeArn = (lambda: string, what: string) => {
    const arn = aws?.invokeArns[lambda];
    if (!arn)
      throw new OpenApiError(
        `no invoke ARN for Lambda "${lambda}" (${what}): pass invokeArns["${lambda}"] ` +
          '(its aws_lambda_function invoke_arn) to restApiBody',
      );
    return arn;
  };

  const paths: Record<string, JsonObject> = {};
  const usedErrors = new Set<string>();
  for (const declared of routes) {
    const item = (paths[declared.path] ??= {});
    const methods = declared.method === 'ANY' && !aws ? ANY_EXPANDS_TO : [declared.method];
    for (const method of methods) {
      // An ANY route written as every method documents a body only where the method has one.
      const route = { ...declared, method };
      const operation: JsonObject = {
        operationId: operationId(method, route.path),
        tags: [route.lambda],
        responses: {
          '200': {
            description: 'OK',
            content: { 'application/json': { schema: schemaRef(route.response) } },
          },
          ...Object.fromEntries(
            ERROR_RESPONSES.filter((e) => e.applies(route)).map((e) => {
              usedErrors.add(e.name);
              return [e.status, { $ref: `#/components/responses/${e.name}` }];
            }),
          ),
        },
        security: route.auth === 'jwt' ? [{ jwt: [] }] : [],
      };
      const parameters = pathParameters(route.path);
      if (parameters.length) operation.parameters = parameters;
      const body = requestBody(route, !!aws);
      if (body) operation.requestBody = body;
      if (aws) {
        operation['x-amazon-apigateway-integration'] = {
          type: 'aws_proxy',
          // Lambda is always invoked with POST, whatever the route's method.
          httpMethod: 'POST',
          uri: invokeArn(route.lambda, `${route.method} ${route.path}`),
          passthroughBehavior: 'when_no_match',
        };
        if (route.request) operation['x-amazon-apigateway-request-validator'] = REQUEST_VALIDATOR;
        // The reason travels in the deployed body too: governance (SLW-APIGW-002) reads it from the
        // planned aws_api_gateway_rest_api, beside the operation's `security: []`.
        if (route.auth === 'public') operation['x-slipway-public-reason'] = route.reason ?? '';
      } else {
        operation['x-slipway-lambda'] = route.lambda;
        if (route.auth === 'jwt') operation['x-slipway-roles'] = [...route.roles];
        else operation['x-slipway-public-reason'] = route.reason ?? '';
        if (route.maxBodyBytes !== undefined)
          operation['x-slipway-max-body-bytes'] = route.maxBodyBytes;
        if (route.throttle) operation['x-slipway-throttle'] = { ...route.throttle };
      }
      const key = method === 'ANY' ? 'x-amazon-apigateway-any-method' : method.toLowerCase();
      item[key] = operation;
    }
  }

  const components: JsonObject = {
    schemas: componentSchemas(routes, schemas, hasError, aws ? 'openapi-3.0' : 'draft-2020-12'),
    responses: Object.fromEntries(
      ERROR_RESPONSES.filter((e) => usedErrors.has(e.name)).map((e) => [
        e.name,
        {
          description: e.description,
          ...(hasError
            ? { content: { 'application/json': { schema: schemaRef(ERROR_SCHEMA_NAME) } } }
            : {}),
        },
      ]),
    ),
    securitySchemes: { jwt: securityScheme(routes, aws, invokeArn) },
  };

  const document: JsonObject = {
    openapi: aws ? '3.0.1' : '3.1.0',
    info: { title: info.title, version: info.version },
    paths,
    components,
  };
  if (info.description) (document.info as JsonObject).description = info.description;
  if (!aws) {
    document.jsonSchemaDialect = 'https://json-schema.org/draft/2020-12/schema';
    return document;
  }

  document['x-amazon-apigateway-request-validators'] = {
    [REQUEST_VALIDATOR]: { validateRequestBody: true, validateRequestParameters: true },
  };
  const binary =
    aws.binaryMediaTypes ?? (routes.some((r) => r.binary) ? ['application/octet-stream'] : []);
  if (binary.length) document['x-amazon-apigateway-binary-media-types'] = [...binary].sort();
  if (hasError)
    document['x-amazon-apigateway-gateway-responses'] = Object.fromEntries(
      Object.entries(GATEWAY_RESPONSES).map(([type, r]) => [
        type,
        {
          statusCode: r.status,
          responseTemplates: {
            'application/json': JSON.stringify({ code: r.code, message: r.message }),
          },
        },
      ]),
    );
  return document;
}

function securityScheme(
  routes: readonly Route[],
  aws: RestApiBodyOptions | undefined,
  invokeArn: (lambda: string, what: string) => string,
): JsonObject {
  if (!aws) return { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' };
  const authorizer = aws.authorizer;
  if (!authorizer) {
    const route = routes.find((r) => r.auth === 'jwt');
    if (route)
      throw new OpenApiError(
        `${route.method} ${route.path} needs the JWT authorizer: pass apiAuthorizer(manifests) ` +
          'as options.authorizer to restApiBody (and declare {"type": "authorizer"} in its manifest)',
      );
  }
  // API Gateway declares a Lambda authorizer as an apiKey scheme with its own extensions.
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-authorizer.html
  return {
    type: 'apiKey',
    name: 'Authorization',
    in: 'header',
    ...(authorizer
      ? {
          'x-amazon-apigateway-authtype': 'custom',
          'x-amazon-apigateway-authorizer': {
            type: 'request',
            identitySource: `method.request.header.${authorizer.identitySource}`,
            authorizerResultTtlInSeconds: authorizer.cacheTtlSeconds,
            authorizerUri: invokeArn(authorizer.lambda, 'the authorizer'),
          },
        }
      : {}),
  };
}

function requestBody(route: Route, aws: boolean): JsonObject | undefined {
  if (!BODY_METHODS.includes(route.method)) return undefined;
  if (route.request)
    return {
      required: true,
      content: { 'application/json': { schema: schemaRef(route.request) } },
    };
  if (route.binary)
    return {
      required: true,
      content: {
        'application/octet-stream': {
          schema: aws
            ? { type: 'string', format: 'binary' }
            : { type: 'string', contentMediaType: 'application/octet-stream' },
        },
      },
    };
  return undefined;
}

function pathParameters(path: string): JsonObject[] {
  return [...path.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)(\+?)\}/g)].map(([, name, greedy]) => ({
    name,
    in: 'path',
    required: true,
    // API Gateway names a greedy {proxy+} parameter "proxy" in its own OpenAPI exports.
    ...(greedy ? { description: 'The rest of the path, slashes included.' } : {}),
    schema: { type: 'string' },
  }));
}

/** `GET /things/{id}` → `getThingsById`; `/` → `getRoot`; `{proxy+}` → `ByProxyPath`. */
function operationId(method: HttpMethod, path: string): string {
  const words = path
    .split('/')
    .filter(Boolean)
    .map((segment) => {
      const param = /^\{(\w+)(\+?)\}$/.exec(segment);
      const word = param ? `by-${param[1]}${param[2] ? '-path' : ''}` : segment;
      return word
        .split(/[^A-Za-z0-9]+/)
        .filter(Boolean)
        .map((w) => w[0].toUpperCase() + w.slice(1))
        .join('');
    });
  return `${method === 'ANY' ? 'any' : method.toLowerCase()}${words.length ? words.join('') : 'Root'}`;
}

const schemaRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/**
 * JSON Schema of every body the routes name (and the error schema). Request bodies are
 * described as input (a field with a default is optional for the caller), the others as output.
 */
function componentSchemas(
  routes: readonly Route[],
  schemas: SchemaCatalog,
  withError: boolean,
  target: 'draft-2020-12' | 'openapi-3.0',
): JsonObject {
  const requests = new Set(routes.flatMap((r) => (r.request ? [r.request] : [])));
  const responses = new Set(routes.map((r) => r.response).filter((n) => !requests.has(n)));
  if (withError && !requests.has(ERROR_SCHEMA_NAME)) responses.add(ERROR_SCHEMA_NAME);
  return {
    ...toJsonSchemas([...requests], schemas, 'input', target),
    ...toJsonSchemas([...responses], schemas, 'output', target),
  };
}

function toJsonSchemas(
  names: readonly string[],
  schemas: SchemaCatalog,
  io: 'input' | 'output',
  target: 'draft-2020-12' | 'openapi-3.0',
): JsonObject {
  const registry = z.registry<{ id: string }>();
  for (const name of [...names].sort()) {
    const schema = schemas[name];
    if (!schema)
      throw new OpenApiError(
        `no schema "${name}" in the catalog: add it to EDGE_SCHEMAS (libs/events/src/edge/index.ts) ` +
          'or fix the manifest (checkRoutes reports which)',
      );
    registry.add(schema, { id: name });
  }
  let generated: { schemas: Record<string, JsonObject> };
  try {
    generated = z.toJSONSchema(registry, {
      target,
      io,
      uri: (id) => `#/components/schemas/${id}`,
    }) as { schemas: Record<string, JsonObject> };
  } catch (error) {
    const culprit = names.find((name) => {
      try {
        z.toJSONSchema(schemas[name], { target, io });
        return false;
      } catch {
        return true;
      }
    });
    throw new OpenApiError(
      `schema "${culprit ?? names.join(', ')}" cannot be written as JSON Schema ` +
        `(${(error as Error).message}): describe it with JSON-representable zod types ` +
        '(no transform, date or custom check on a body schema)',
      { cause: error },
    );
  }
  return Object.fromEntries(
    Object.entries(generated.schemas).map(([name, schema]) => {
      // A component is addressed by its place in the document, not by its own $id/$schema.
      const { $id: _id, $schema: _schema, ...rest } = schema;
      return [name, rest];
    }),
  );
}

/** A copy of `value` with object keys sorted at every level (arrays keep their order). */
function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeys) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
  ) as T;
}
