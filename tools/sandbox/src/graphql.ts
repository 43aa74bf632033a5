import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  buildSchema,
  execute,
  GraphQLError,
  parse,
  validate,
  type DocumentNode,
  type FieldNode,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type SelectionSetNode,
} from 'graphql';
import { lambdaFailure } from './gateway';
import type { InvokeResult } from './local-lambda';
import { traceRequest, type SegmentWriter, type TraceContext } from './xray-daemon';

/**
 * The sandbox's AppSync: `POST /graphql` on 127.0.0.1 executing the committed SDL with
 * graphql-js (the reference executor AppSync's GraphQL follows), each field that a manifest's
 * `graphql` trigger attaches to a Lambda resolved by invoking that packaged zip with the event a
 * direct Lambda resolver gets. What AppSync does around it is reproduced where a caller sees it:
 *
 * - a request without a valid token is refused with 401 and AppSync's `UnauthorizedException`
 *   body (Cognito user pool mode), before anything runs;
 * - a Lambda error becomes the GraphQL error AppSync's direct resolver makes of it: `errorType`
 *   the function's error type, `message` its message, `data: null`, `errorInfo: null`, the
 *   field's `path` and `locations`;
 * - parse and validation failures answer 200 with `errorType: "ValidationError"`.
 *
 * amplify-appsync-simulator was not used: it pulls in the Amplify CLI's VTL engine, DynamoDB and
 * subscription servers, and resolves through Amplify's mapping templates, none of which the
 * direct Lambda resolvers here need (tools/sandbox/README.md).
 * https://docs.aws.amazon.com/appsync/latest/devguide/resolver-mapping-template-reference-lambda.html#direct-lambda-resolvers
 */

/** One field resolved by a Lambda. */
export interface GraphqlFieldResolver {
  parent: string;
  field: string;
  /** Manifest name of the Lambda. */
  lambda: string;
}

/** The caller as the token says (the `identity` of the resolver event, Cognito user pool shape). */
export interface GraphqlIdentity {
  sub: string;
  issuer: string;
  username: string;
  claims: Record<string, unknown>;
  sourceIp: string[];
  defaultAuthStrategy: 'ALLOW';
  groups: string[] | null;
}

/** Options of {@link startGraphqlEndpoint}. */
export interface GraphqlEndpointOptions {
  /** The SDL text. */
  sdl: string;
  resolvers: readonly GraphqlFieldResolver[];
  /** Invokes a Lambda by manifest name; `trace` is the request's, when the API is traced. */
  invoke(lambda: string, event: unknown, trace?: TraceContext): Promise<InvokeResult>;
  /**
   * X-Ray tracing on the API, as the stacks turn it on (`xray_enabled`): each request writes the
   * API's segment (`AWS::AppSync::GraphQLAPI`, the status) with a `Lambda` subsegment per
   * resolver call, and passes its trace to the Lambdas; an incoming `X-Amzn-Trace-Id` is joined.
   */
  tracing?: SegmentWriter;
  /** The API's name, for its segment (default `local`). */
  apiName?: string;
  /** The region of the `Lambda` subsegments (default eu-west-1). */
  region?: string;
  /** The deployed function name of a manifest name, for the `Lambda` subsegments. */
  functionNameOf?: (lambda: string) => string;
  /** The identity of a valid token, or `undefined` for an invalid one. */
  verify(token: string): Promise<GraphqlIdentity | undefined>;
  port?: number;
}

/** One invocation the endpoint made. */
export interface GraphqlInvocation {
  lambda: string;
  field: string;
  ok: boolean;
  errorType?: string;
}

/** The running endpoint. */
export interface GraphqlEndpoint {
  /** `http://127.0.0.1:<port>/graphql`. */
  url: string;
  /** Every resolver invocation, in order. */
  readonly invocations: readonly GraphqlInvocation[];
  close(): Promise<void>;
}

/** AppSync's answer to a request with no Authorization header (Cognito user pools). */
export const MISSING_TOKEN_BODY = {
  errors: [
    { errorType: 'UnauthorizedException', message: 'Valid authorization header not provided.' },
  ],
};
/** AppSync's answer to a token it cannot verify. */
export const INVALID_TOKEN_BODY = {
  errors: [{ errorType: 'UnauthorizedException', message: 'Unable to parse JWT token.' }],
};

/** The error of a Lambda resolver, carried through graphql-js to the response. */
class LambdaResolverError extends Error {
  constructor(
    readonly errorType: string,
    message: string,
  ) {
    super(message);
    this.name = 'LambdaResolverError';
  }
}

/**
 * Starts the endpoint.
 *
 * @example
 * const api = await startGraphqlEndpoint({ sdl, resolvers, invoke, verify });
 * await fetch(api.url, { method: 'POST', headers: { authorization: token }, body: JSON.stringify({ query }) });
 */
export async function startGraphqlEndpoint(
  options: GraphqlEndpointOptions,
): Promise<GraphqlEndpoint> {
  const schema = buildSchema(options.sdl);
  const byField = new Map(options.resolvers.map((r) => [`${r.parent}.${r.field}`, r.lambda]));
  const invocations: GraphqlInvocation[] = [];

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) =>
      send(res, 500, {
        errors: [{ errorType: 'InternalFailure', message: (error as Error).message }],
      }),
    );
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const tracer = options.tracing
      ? traceRequest({
          writer: options.tracing,
          req,
          res,
          name: options.apiName ?? 'local',
          origin: 'AWS::AppSync::GraphQLAPI',
          started: Date.now(),
          aws: {},
        })
      : undefined;
    const invoke = (lambda: string, event: unknown): Promise<InvokeResult> =>
      tracer
        ? tracer.call(
            'Lambda',
            {
              operation: 'Invoke',
              function_name: options.functionNameOf?.(lambda) ?? lambda,
              region: options.region ?? 'eu-west-1',
            },
            (trace) => options.invoke(lambda, event, trace),
            lambdaFailure,
          )
        : options.invoke(lambda, event);
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (path !== '/graphql' || req.method !== 'POST')
      return send(res, 404, {
        errors: [
          {
            errorType: 'NotFound',
            message: `POST /graphql is the only route (got ${req.method} ${path})`,
          },
        ],
      });
    const header = req.headers.authorization?.trim();
    if (!header) return send(res, 401, MISSING_TOKEN_BODY);
    // Cognito user pool clients send the JWT bare; a "Bearer " prefix is accepted as well.
    const identity = await options.verify(header.replace(/^bearer\s+/i, ''));
    if (!identity) return send(res, 401, INVALID_TOKEN_BODY);

    let request: { query?: unknown; variables?: unknown; operationName?: unknown };
    try {
      request = JSON.parse(await text(req)) as typeof request;
    } catch {
      return send(res, 400, {
        errors: [{ errorType: 'MalformedHttpRequestException', message: 'The body is not JSON.' }],
      });
    }
    if (typeof request.query !== 'string')
      return send(res, 400, {
        errors: [
          {
            errorType: 'MalformedHttpRequestException',
            message: 'The body has no "query" string.',
          },
        ],
      });
    let document: DocumentNode;
    try {
      document = parse(request.query);
    } catch (error) {
      return send(res, 200, { data: null, errors: [validationError(error as GraphQLError)] });
    }
    const invalid = validate(schema, document);
    if (invalid.length) return send(res, 200, { data: null, errors: invalid.map(validationError) });

    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [
        k.toLowerCase(),
        Array.isArray(v) ? v.join(',') : v,
      ]),
    );
    const variables =
      request.variables && typeof request.variables === 'object'
        ? (request.variables as Record<string, unknown>)
        : {};
    const fieldResolver: GraphQLFieldResolver<unknown, unknown> = async (
      source,
      args,
      _ctx,
      info,
    ) => {
      const key = `${info.parentType.name}.${info.fieldName}`;
      const lambda = byField.get(key);
      if (!lambda) return defaultField(source, info.fieldName);
      const event = {
        arguments: args,
        identity,
        source: source ?? null,
        request: { headers, domainName: null },
        info: {
          fieldName: info.fieldName,
          parentTypeName: info.parentType.name,
          variables,
          selectionSetList: selectionSetList(info),
          selectionSetGraphQL: info.fieldNodes[0].selectionSet
            ? printSelection(request.query as string, info.fieldNodes[0])
            : '',
        },
        prev: null,
        stash: {},
      };
      const result = await invoke(lambda, event);
      invocations.push({
        lambda,
        field: key,
        ok: result.ok,
        ...(result.ok ? {} : { errorType: result.error.errorType }),
      });
      if (!result.ok)
        throw new LambdaResolverError(result.error.errorType, result.error.errorMessage);
      return result.result;
    };
    const result = await execute({
      schema,
      document,
      variableValues: variables,
      operationName: typeof request.operationName === 'string' ? request.operationName : undefined,
      fieldResolver,
    });
    send(res, 200, {
      data: result.data ?? null,
      ...(result.errors?.length ? { errors: result.errors.map(resolverError) } : {}),
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    invocations,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A field without a Lambda: the parent's property, as AppSync's unresolved fields read the source. */
function defaultField(source: unknown, name: string): unknown {
  return source && typeof source === 'object' ? (source as Record<string, unknown>)[name] : null;
}

/** What AppSync makes of a failed field: the Lambda's errorType and message, path and locations. */
function resolverError(error: GraphQLError) {
  const original = error.originalError;
  const lambda = original instanceof LambdaResolverError ? original : undefined;
  return {
    path: error.path ?? null,
    data: null,
    errorType: lambda?.errorType ?? (original ? 'Lambda:Unhandled' : 'ExecutionError'),
    errorInfo: null,
    locations: locationsOf(error),
    message: lambda ? lambda.message : error.message,
  };
}

function validationError(error: GraphQLError) {
  return {
    path: null,
    locations: locationsOf(error),
    message: error.message,
    errorType: 'ValidationError',
  };
}

function locationsOf(error: GraphQLError) {
  return (error.locations ?? []).map((l) => ({ line: l.line, column: l.column, sourceName: null }));
}

/** AppSync's `selectionSetList`: every selected field, nested ones as `parent/child`. */
function selectionSetList(info: GraphQLResolveInfo): string[] {
  const out: string[] = [];
  const walk = (set: SelectionSetNode | undefined, prefix: string) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind !== 'Field' || selection.name.value === '__typename') continue;
      const name = `${prefix}${selection.name.value}`;
      out.push(name);
      walk(selection.selectionSet, `${name}/`);
    }
  };
  walk(info.fieldNodes[0].selectionSet, '');
  return out;
}

/** The field's selection set as the client wrote it. */
function printSelection(query: string, field: FieldNode): string {
  const set = field.selectionSet!;
  return set.loc ? query.slice(set.loc.start, set.loc.end) : '';
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
  res.end(JSON.stringify(body));
}

async function text(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
