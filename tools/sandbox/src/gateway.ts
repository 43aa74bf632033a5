import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiGatewayProxyResultSchema } from '@slipway/events';
import type { ApiAuthorizer, Route, SchemaCatalog } from '@slipway/manifest';
import type { InvokeResult } from './local-lambda';
import {
  traceRequest as startRequestTrace,
  type CallFailure,
  type SegmentWriter,
  type TraceContext,
} from './xray-daemon';

/**
 * The local API Gateway (issue 13, item 5): a REST API (v1) on loopback that routes like API
 * Gateway, runs the Lambda REQUEST authorizer first, enforces and caches its policy, and calls
 * each route's Lambda with the REST proxy event. Its own refusals are API Gateway's gateway
 * responses: AWS's built-in bodies, or the API's customised ones (`restApiBody`'s
 * `x-amazon-apigateway-gateway-responses`) so the sandbox answers with the deployed bytes.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
 */

/** API Gateway's payload limit: 10 MB. */
export const GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;
/** API Gateway's default (and, without a quota increase, maximum) integration timeout: 29 s. */
export const DEFAULT_INTEGRATION_TIMEOUT_MS = 29_000;

/** A gateway response type API Gateway lets an API customise (the ones this gateway emits). */
export type GatewayResponseType =
  | 'MISSING_AUTHENTICATION_TOKEN'
  | 'UNAUTHORIZED'
  | 'ACCESS_DENIED'
  | 'AUTHORIZER_FAILURE'
  | 'AUTHORIZER_CONFIGURATION_ERROR'
  | 'BAD_REQUEST_BODY'
  | 'REQUEST_TOO_LARGE'
  | 'INTEGRATION_FAILURE'
  | 'INTEGRATION_TIMEOUT';

/** One customised gateway response, as `x-amazon-apigateway-gateway-responses` holds it. */
export interface GatewayResponseConfig {
  statusCode?: number | string;
  responseTemplates?: Record<string, string>;
}

/** Customised gateway responses by type (`DEFAULT_4XX` / `DEFAULT_5XX` included). */
export type GatewayResponses = Readonly<Record<string, GatewayResponseConfig>>;

/**
 * API Gateway's answers when the API customises nothing. A Lambda that fails, or returns
 * something that is not a proxy result, gives 502; API Gateway files it under no named type,
 * so only `DEFAULT_5XX` customises it (here: `INTEGRATION_FAILURE` with 502).
 * https://docs.aws.amazon.com/lambda/latest/dg/services-apigateway-errors.html
 */
const BUILT_IN: Readonly<
  Record<GatewayResponseType, { status: number; errorType: string; body: unknown }>
> = {
  MISSING_AUTHENTICATION_TOKEN: {
    status: 403,
    errorType: 'MissingAuthenticationTokenException',
    body: { message: 'Missing Authentication Token' },
  },
  UNAUTHORIZED: {
    status: 401,
    errorType: 'UnauthorizedException',
    body: { message: 'Unauthorized' },
  },
  ACCESS_DENIED: {
    status: 403,
    errorType: 'AccessDeniedException',
    body: { Message: 'User is not authorized to access this resource with an explicit deny' },
  },
  AUTHORIZER_FAILURE: {
    status: 500,
    errorType: 'AuthorizerConfigurationException',
    body: { message: null },
  },
  AUTHORIZER_CONFIGURATION_ERROR: {
    status: 500,
    errorType: 'AuthorizerConfigurationException',
    body: { message: null },
  },
  BAD_REQUEST_BODY: {
    status: 400,
    errorType: 'BadRequestException',
    body: { message: 'Invalid request body' },
  },
  REQUEST_TOO_LARGE: {
    status: 413,
    errorType: 'RequestTooLargeException',
    body: { message: 'Request Too Long' },
  },
  INTEGRATION_FAILURE: {
    status: 502,
    errorType: 'InternalServerErrorException',
    body: { message: 'Internal server error' },
  },
  INTEGRATION_TIMEOUT: {
    status: 504,
    errorType: 'InternalServerErrorException',
    body: { message: 'Endpoint request timed out' },
  },
};

/** A gateway answer: status, headers and body bytes. */
export interface GatewayAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * The gateway response API Gateway sends for `type`: the type's own customisation, else the
 * `DEFAULT_4XX`/`DEFAULT_5XX` one, else AWS's built-in. A status set on `DEFAULT_4XX` or
 * `DEFAULT_5XX` replaces the status of every response of that class not customised itself (as
 * AWS documents). Template variables `$context.requestId` and
 * `$context.error.validationErrorString` / `.message` are filled in, JSON-escaped.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
 *
 * @example
 * gatewayResponse('UNAUTHORIZED', undefined, { requestId: 'r-1' });
 * // { status: 401, headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'UnauthorizedException', ... }, body: '{"message":"Unauthorized"}' }
 */
export function gatewayResponse(
  type: GatewayResponseType,
  responses: GatewayResponses | undefined,
  context: { requestId: string; error?: string },
): GatewayAnswer {
  const builtIn = BUILT_IN[type];
  const own = responses?.[type];
  const fallback = responses?.[builtIn.status >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX'];
  const status = Number(own?.statusCode ?? fallback?.statusCode ?? builtIn.status);
  const template =
    own?.responseTemplates?.['application/json'] ??
    fallback?.responseTemplates?.['application/json'];
  const escape = (s: string) => JSON.stringify(s).slice(1, -1);
  const body =
    template === undefined
      ? JSON.stringify(builtIn.body)
      : template
          .replaceAll('$context.requestId', escape(context.requestId))
          .replaceAll('$context.error.validationErrorString', escape(context.error ?? ''))
          .replaceAll('$context.error.message', escape(context.error ?? ''));
  return {
    status,
    headers: {
      'content-type': 'application/json',
      'x-amzn-errortype': builtIn.errorType,
      'x-amzn-requestid': context.requestId,
    },
    body,
  };
}

/** A matched route with its path parameters (decoded), or `undefined` for API Gateway's 403. */
export interface RouteMatch {
  route: Route;
  pathParameters: Record<string, string>;
}

/**
 * The route API Gateway would pick for `method` and `path`. The resource is chosen first, one
 * segment at a time: a literal segment beats `{param}`, which beats a greedy `{proxy+}` (one or
 * more segments); then the method on that resource, an exact method before `ANY`. A resource
 * without the method is no match (API Gateway answers MISSING_AUTHENTICATION_TOKEN, it does not
 * fall back to a less specific resource).
 *
 * @example
 * matchRoute(routes, 'GET', '/things/42'); // { route: GET /things/{id}, pathParameters: { id: '42' } }
 */
export function matchRoute(
  routes: readonly Route[],
  method: string,
  path: string,
): RouteMatch | undefined {
  const segments = path.split('/').slice(1);
  let best: { rank: number[]; resource: string; params: Record<string, string> } | undefined;
  for (const resource of new Set(routes.map((r) => r.path))) {
    const matched = matchResource(resource, segments);
    if (!matched) continue;
    if (!best || compareRank(matched.rank, best.rank) > 0)
      best = { ...matched, resource } as typeof best;
  }
  if (!best) return undefined;
  const onResource = routes.filter((r) => r.path === best!.resource);
  const route =
    onResource.find((r) => r.method === method.toUpperCase()) ??
    onResource.find((r) => r.method === 'ANY');
  return route ? { route, pathParameters: best.params } : undefined;
}

/** Per segment: 2 literal, 1 `{param}`, 0 greedy; `undefined` when the resource does not match. */
function matchResource(
  resource: string,
  segments: readonly string[],
): { rank: number[]; params: Record<string, string> } | undefined {
  const parts = resource === '/' ? [''] : resource.split('/').slice(1);
  const rank: number[] = [];
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    const greedy = /^\{(\w+)\+\}$/.exec(part);
    if (greedy) {
      const rest = segments.slice(i);
      if (rest.length === 0 || rest.join('/') === '') return undefined;
      params[greedy[1]] = safeDecode(rest.join('/'));
      rank.push(0);
      return { rank, params };
    }
    const segment = segments[i];
    if (segment === undefined) return undefined;
    const param = /^\{(\w+)\}$/.exec(part);
    if (param) {
      if (segment === '') return undefined;
      params[param[1]] = safeDecode(segment);
      rank.push(1);
    } else if (part === segment) rank.push(2);
    else return undefined;
  }
  return parts.length === segments.length ? { rank, params } : undefined;
}

function compareRank(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** A policy document as an authorizer returns it (Resource and Action may be one string). */
export interface PolicyDocument {
  Version?: string;
  Statement: readonly {
    Effect: string;
    Action: string | readonly string[];
    Resource: string | readonly string[];
  }[];
}

/**
 * What IAM decides for `execute-api:Invoke` on `methodArn`: an explicit `Deny` wins, then an
 * `Allow`, else `implicitDeny`. `*` matches any run of characters (slashes included) and `?`
 * one character, in actions and resources, as IAM matches them.
 *
 * @example
 * evaluatePolicy(policy, 'arn:aws:execute-api:eu-west-1:000000000000:local/local/GET/things/42'); // 'Allow'
 */
export function evaluatePolicy(
  policy: PolicyDocument,
  methodArn: string,
): 'Allow' | 'Deny' | 'implicitDeny' {
  let allowed = false;
  for (const statement of policy.Statement) {
    const actions = [statement.Action].flat();
    const resources = [statement.Resource].flat();
    if (!actions.some((a) => wildcardMatch(a, 'execute-api:Invoke'))) continue;
    if (!resources.some((r) => wildcardMatch(r, methodArn))) continue;
    if (statement.Effect === 'Deny') return 'Deny';
    if (statement.Effect === 'Allow') allowed = true;
  }
  return allowed ? 'Allow' : 'implicitDeny';
}

function wildcardMatch(pattern: string, value: string): boolean {
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/-]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`).test(value);
}

/** Options of {@link startGateway}. */
export interface GatewayOptions {
  /** The REST API's routes (`routeTable(manifests)`). */
  routes: readonly Route[];
  /** The API's REQUEST authorizer (`apiAuthorizer(manifests)`); JWT routes need it. */
  authorizer?: ApiAuthorizer;
  /**
   * Invokes a Lambda by manifest name (the sandbox passes its local-lambda runner); `trace` is
   * the stage's, when the gateway is traced.
   */
  invoke: (lambda: string, event: unknown, trace?: TraceContext) => Promise<InvokeResult>;
  /**
   * X-Ray tracing on the stage, as the stacks turn it on: each request writes the stage's
   * segment (`<api name>/<stage>`, the response status, a `Lambda` subsegment per authorizer
   * and integration call) and passes its trace to the Lambdas; an incoming `X-Amzn-Trace-Id`
   * is joined, as API Gateway does.
   */
  tracing?: SegmentWriter;
  /** The API's name, for the stage segment (default `local`). */
  apiName?: string;
  /** The deployed function name of a manifest name, for the `Lambda` subsegments. */
  functionNameOf?: (lambda: string) => string;
  /** Customised gateway responses (`restApiBody(...)['x-amazon-apigateway-gateway-responses']`). */
  gatewayResponses?: GatewayResponses;
  /**
   * Request body schemas by name: a route with `request` has its JSON body validated, as the
   * REST API's request validator does (400 BAD_REQUEST_BODY). Omit to skip validation.
   */
  schemas?: SchemaCatalog;
  /** Media types passed base64-encoded; default `application/octet-stream` when a route is binary (as `restApiBody`). */
  binaryMediaTypes?: readonly string[];
  /** Integration timeout (default {@link DEFAULT_INTEGRATION_TIMEOUT_MS}). */
  integrationTimeoutMs?: number;
  region?: string;
  accountId?: string;
  apiId?: string;
  stage?: string;
  /** Port on 127.0.0.1 (default: a free one). */
  port?: number;
}

/** A running local gateway. */
export interface Gateway {
  /** `http://127.0.0.1:<port>`: the stage's invoke URL (no stage segment in the path). */
  url: string;
  port: number;
  /** `arn:aws:execute-api:<region>:<account>:<apiId>/<stage>`, the prefix of every method ARN. */
  methodArnPrefix: string;
  /** How many times the authorizer ran (cache misses). */
  readonly authorizerInvocations: number;
  close(): Promise<void>;
}

interface CachedPolicy {
  principalId: string;
  policy: PolicyDocument;
  context: Record<string, string>;
  expires: number;
}

/**
 * Starts the local REST API on 127.0.0.1. Per request: 413 over 10 MB, route match (else
 * MISSING_AUTHENTICATION_TOKEN, 403), 413 over the route's `maxBodyBytes`, for JWT routes the
 * authorizer (401 without an `Authorization` header or when it throws `Unauthorized`; 403 on a
 * Deny or no Allow; its policy cached per header value for `cacheTtlSeconds`), the request
 * validator when `schemas` is given, then the route's Lambda with the proxy event; 502 when it
 * fails or returns no proxy result, 504 past the integration timeout.
 *
 * @example
 * const gateway = await startGateway({ routes, authorizer, invoke: (name, event) => lambdas.get(name)!.invoke(event) });
 * await fetch(`${gateway.url}/uploads`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body });
 */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const region = options.region ?? 'eu-west-1';
  const accountId = options.accountId ?? '000000000000';
  const apiId = options.apiId ?? 'local';
  const stage = options.stage ?? 'local';
  const methodArnPrefix = `arn:aws:execute-api:${region}:${accountId}:${apiId}/${stage}`;
  const timeoutMs = options.integrationTimeoutMs ?? DEFAULT_INTEGRATION_TIMEOUT_MS;
  const binaryTypes =
    options.binaryMediaTypes ??
    (options.routes.some((r) => r.binary) ? ['application/octet-stream'] : []);
  const cache = new Map<string, CachedPolicy>();
  let authorizerInvocations = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const requestId = randomUUID();
    const requestTimeEpoch = Date.now();
    const send = (answer: GatewayAnswer) => {
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    };
    const refuse = (type: GatewayResponseType, error?: string) =>
      send(gatewayResponse(type, options.gatewayResponses, { requestId, error }));
    const invoke = traceRequest(req, res, requestId, requestTimeEpoch);

    const body = await readBody(req, GATEWAY_MAX_BODY_BYTES);
    if (body === 'too-large') return refuse('REQUEST_TOO_LARGE');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const match = matchRoute(options.routes, method, url.pathname);
    if (!match) return refuse('MISSING_AUTHENTICATION_TOKEN');
    const { route, pathParameters } = match;
    if (body.length > (route.maxBodyBytes ?? GATEWAY_MAX_BODY_BYTES))
      return refuse('REQUEST_TOO_LARGE');

    const { headers, multiValueHeaders } = headerMaps(req.rawHeaders);
    const query = queryMaps(url.searchParams);
    const methodArn = `${methodArnPrefix}/${method}${url.pathname}`;

    let authorizerContext: Record<string, string> | undefined;
    if (route.auth === 'jwt') {
      if (!options.authorizer) return refuse('AUTHORIZER_CONFIGURATION_ERROR');
      const header = headerValue(headers, options.authorizer.identitySource);
      // API Gateway answers 401 itself, without calling the authorizer, when the identity
      // source is missing or empty.
      if (!header) return refuse('UNAUTHORIZED');
      let cached = cache.get(header);
      if (!cached || cached.expires <= Date.now()) {
        authorizerInvocations++;
        const outcome = await invoke(options.authorizer.lambda, {
          type: 'REQUEST',
          methodArn,
          resource: route.path,
          path: url.pathname,
          httpMethod: method,
          headers,
          multiValueHeaders,
          queryStringParameters: query.single,
          multiValueQueryStringParameters: query.multi,
          pathParameters: Object.keys(pathParameters).length ? pathParameters : null,
          stageVariables: null,
          requestContext: requestContext(route, method, url.pathname, requestTimeEpoch, requestId),
        });
        if (!outcome.ok)
          return refuse(
            outcome.error.errorMessage === 'Unauthorized' ? 'UNAUTHORIZED' : 'AUTHORIZER_FAILURE',
          );
        const result = authorizerResultOf(outcome.result);
        if (!result) return refuse('AUTHORIZER_CONFIGURATION_ERROR');
        cached = { ...result, expires: Date.now() + options.authorizer.cacheTtlSeconds * 1000 };
        if (options.authorizer.cacheTtlSeconds > 0) cache.set(header, cached);
      }
      if (evaluatePolicy(cached.policy, methodArn) !== 'Allow') return refuse('ACCESS_DENIED');
      authorizerContext = { ...cached.context, principalId: cached.principalId };
    }

    const contentType = headerValue(headers, 'content-type') ?? '';
    const binary = isBinary(contentType, binaryTypes);
    if (route.request && options.schemas?.[route.request] && !binary) {
      const problem = validateBody(options.schemas[route.request], body.toString('utf8'));
      if (problem) return refuse('BAD_REQUEST_BODY', problem);
    }

    const event = {
      resource: route.path,
      path: url.pathname,
      httpMethod: method,
      headers: Object.keys(headers).length ? headers : null,
      multiValueHeaders: Object.keys(multiValueHeaders).length ? multiValueHeaders : null,
      queryStringParameters: query.single,
      multiValueQueryStringParameters: query.multi,
      pathParameters: Object.keys(pathParameters).length ? pathParameters : null,
      stageVariables: null,
      requestContext: {
        ...requestContext(route, method, url.pathname, requestTimeEpoch, requestId),
        identity: {
          sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
          userAgent: headerValue(headers, 'user-agent') ?? null,
        },
        authorizer: authorizerContext ?? null,
      },
      body: body.length === 0 ? null : binary ? body.toString('base64') : body.toString('utf8'),
      isBase64Encoded: body.length > 0 && binary,
    };

    const outcome = await withTimeout(invoke(route.lambda, event), timeoutMs);
    if (outcome === 'timeout') return refuse('INTEGRATION_TIMEOUT');
    const parsed = outcome.ok ? ApiGatewayProxyResultSchema.safeParse(outcome.result) : undefined;
    if (!parsed?.success) return refuse('INTEGRATION_FAILURE');
    const result = parsed.data;
    for (const [name, value] of Object.entries(result.headers ?? {}))
      res.setHeader(name, String(value));
    for (const [name, values] of Object.entries(result.multiValueHeaders ?? {}))
      res.setHeader(name, values.map(String));
    res.setHeader('x-amzn-requestid', requestId);
    res.statusCode = result.statusCode;
    res.end(result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body);
  };

  /**
   * The request's invoke function: with tracing, each call is a `Lambda` subsegment of the
   * stage's segment, written once the response has gone out.
   */
  function traceRequest(
    req: IncomingMessage,
    res: ServerResponse,
    requestId: string,
    started: number,
  ): (lambda: string, event: unknown) => Promise<InvokeResult> {
    const writer = options.tracing;
    if (!writer) return (lambda, event) => options.invoke(lambda, event);
    const tracer = startRequestTrace({
      writer,
      req,
      res,
      name: `${options.apiName ?? 'local'}/${stage}`,
      origin: 'AWS::ApiGateway::Stage',
      started,
      aws: { api_id: apiId, stage, request_id: requestId },
    });
    return (lambda, event) =>
      tracer.call(
        'Lambda',
        { operation: 'Invoke', function_name: options.functionNameOf?.(lambda) ?? lambda, region },
        (trace) => options.invoke(lambda, event, trace),
        lambdaFailure,
      );
  }

  function requestContext(
    route: Route,
    method: string,
    path: string,
    epoch: number,
    requestId: string,
  ) {
    return {
      accountId,
      apiId,
      stage,
      requestId,
      extendedRequestId: randomUUID(),
      resourceId: route.path,
      resourcePath: route.path,
      httpMethod: method,
      path: `/${stage}${path}`,
      protocol: 'HTTP/1.1',
      requestTime: new Date(epoch).toISOString(),
      requestTimeEpoch: epoch,
      domainName: '127.0.0.1',
    };
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => {
      // A bug in the gateway itself: answer like API Gateway's 500, and say why on stderr.
      console.error(`local gateway: ${req.method} ${req.url} failed: ${error.stack}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'Internal server error' }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    methodArnPrefix,
    get authorizerInvocations() {
      return authorizerInvocations;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) tooLarge = true;
    // Keep reading (and dropping) so the client gets the 413 instead of a reset connection.
    if (!tooLarge) chunks.push(chunk);
  }
  return tooLarge ? 'too-large' : Buffer.concat(chunks);
}

/** `headers` keeps the last value of each name as sent; `multiValueHeaders` all of them. */
function headerMaps(raw: readonly string[]): {
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
} {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i < raw.length; i += 2) {
    headers[raw[i]] = raw[i + 1];
    (multiValueHeaders[raw[i]] ??= []).push(raw[i + 1]);
  }
  return { headers, multiValueHeaders };
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : headers[key];
}

function queryMaps(params: URLSearchParams): {
  single: Record<string, string> | null;
  multi: Record<string, string[]> | null;
} {
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [name, value] of params) {
    single[name] = value;
    (multi[name] ??= []).push(value);
  }
  return Object.keys(single).length ? { single, multi } : { single: null, multi: null };
}

/** Whether `contentType` is one of `types` (`image/*` and `*\/*` wildcards, as API Gateway allows). */
export function isBinary(contentType: string, types: readonly string[]): boolean {
  const type = contentType.split(';')[0].trim().toLowerCase();
  if (!type) return false;
  return types.some((t) => {
    const [major, minor] = t.toLowerCase().split('/');
    const [tMajor, tMinor] = type.split('/');
    return (major === '*' || major === tMajor) && (minor === '*' || minor === tMinor);
  });
}

function authorizerResultOf(value: unknown): Omit<CachedPolicy, 'expires'> | undefined {
  const result = value as {
    principalId?: unknown;
    policyDocument?: { Statement?: unknown };
    context?: Record<string, unknown>;
  } | null;
  if (!result || typeof result.principalId !== 'string') return undefined;
  if (!Array.isArray(result.policyDocument?.Statement)) return undefined;
  // API Gateway passes context values to the backend as strings; objects and arrays are refused.
  const context: Record<string, string> = {};
  for (const [key, v] of Object.entries(result.context ?? {})) {
    if (v !== null && typeof v === 'object') return undefined;
    context[key] = String(v);
  }
  return {
    principalId: result.principalId,
    policy: result.policyDocument as PolicyDocument,
    context,
  };
}

function validateBody(schema: SchemaCatalog[string], text: string): string | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return 'the body is not JSON';
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return undefined;
  return parsed.error.issues
    .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
    .join('; ');
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * How a traced Lambda call failed: a function error is a fault, except an authorizer's
 * `Unauthorized`, which is the caller's (API Gateway answers 401): an error.
 */
export function lambdaFailure(outcome: InvokeResult): CallFailure {
  if (outcome.ok) return undefined;
  const { errorType: type, errorMessage: message } = outcome.error;
  return { flag: message === 'Unauthorized' ? 'error' : 'fault', type, message };
}
