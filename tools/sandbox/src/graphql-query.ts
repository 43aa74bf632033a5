import type { Sandbox } from './sandbox';

/**
 * `npm run sandbox -- --graphql '<query>' [--variables '<json>'] [--role <role>] [--json]`: one
 * GraphQL operation against the sandbox's local AppSync (graphql.ts), sent as a signed-in test
 * user would send it: a token of the sandbox's identity provider for a user with that role in
 * the Authorization header. Dev-only.
 */

/** What {@link runGraphqlQuery} sends. */
export interface GraphqlQueryOptions {
  /** The operation (query or mutation) text. */
  query: string;
  /** The variables as JSON text (an object), or `undefined` for none. */
  variables?: string;
  /** The test user's role (default `member`); the user is `local-user-<role>`. */
  role?: string;
  /** The operation to run when the document holds several. */
  operationName?: string;
}

/** What one operation did: the text to print, whether it answered without errors, the same as data. */
export interface GraphqlQueryResult {
  text: string;
  ok: boolean;
  summary: {
    status: number;
    /** The response body as the endpoint sent it (`data`, and `errors` when any). */
    body: unknown;
    /** Each Lambda resolver the operation invoked, in order. */
    invocations: { lambda: string; field: string; ok: boolean; errorType?: string }[];
  };
}

/** The role of the test user when none is given. */
export const DEFAULT_GRAPHQL_ROLE = 'member';

/**
 * Sends one operation to the sandbox's GraphQL endpoint with a test user's token and waits for
 * the answer. `ok` is false when the status is not 200 or the body has `errors`.
 *
 * @throws Error when `variables` is not a JSON object, or the sandbox has no GraphQL endpoint
 *   (no manifest has a `graphql` trigger); nothing is sent then.
 * @example
 * await runGraphqlQuery(sandbox, { query: 'query { thingStatus(id: "t-1") }' });
 */
export async function runGraphqlQuery(
  sandbox: Sandbox,
  options: GraphqlQueryOptions,
): Promise<GraphqlQueryResult> {
  const variables = parseVariables(options.variables);
  const role = options.role ?? DEFAULT_GRAPHQL_ROLE;
  if (!sandbox.graphql)
    throw new Error(
      '--graphql: the sandbox serves no GraphQL API, because no manifest has a graphql trigger: ' +
        'add one (npx nx g @slipway/nx-plugin:lambda <name> --domain=users --trigger=graphql --field=Query.<field>) and package it.',
    );
  const { endpoint, identity } = sandbox.graphql;
  const token = await identity.mintToken({ roles: [role] });
  const before = endpoint.invocations.length;
  const response = await fetch(endpoint.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: token },
    body: JSON.stringify({
      query: options.query,
      ...(variables ? { variables } : {}),
      ...(options.operationName ? { operationName: options.operationName } : {}),
    }),
  });
  const body = (await response.json()) as { errors?: unknown[] };
  const invocations = endpoint.invocations.slice(before).map((i) => ({ ...i }));
  const ok = response.status === 200 && !body.errors?.length;
  const text = [
    `POST ${endpoint.url} as local-user-${role} (role ${role}): ${response.status}${ok ? '' : ', with errors'}`,
    ...invocations.map(
      (i) =>
        `  ${i.field} resolved by ${i.lambda}: ${i.ok ? 'ok' : `failed (${i.errorType ?? 'error'})`}`,
    ),
    JSON.stringify(body, null, 2),
  ].join('\n');
  return { text, ok, summary: { status: response.status, body, invocations } };
}

function parseVariables(json: string | undefined): Record<string, unknown> | undefined {
  if (json === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new Error(
      `--variables is not JSON (${(error as Error).message}): pass an object, e.g. --variables '{"id":"u-1"}'.`,
    );
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new Error(
      `--variables is ${JSON.stringify(value)}, not a JSON object: pass e.g. --variables '{"id":"u-1"}'.`,
    );
  return value as Record<string, unknown>;
}
