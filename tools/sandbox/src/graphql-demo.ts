/**
 * The users GraphQL API on the local cloud, as `npm start` shows it (issue 14): a signed-in user
 * asks `Query.user` and changes a profile with `Mutation.updateProfile` through the local GraphQL
 * endpoint; the packaged glue resolver reads the user service's URL from the SSM stand-in and
 * calls the stub user service with the caller's own token; a request without a token is refused
 * with 401. Dev-only.
 */
import type { Sandbox } from './sandbox';

/** What one demo run saw, for the summary and the checks. */
export interface GraphqlDemoResult {
  /** Status and body of the query without a token (401 expected). */
  withoutToken: { status: number; body: unknown };
  /** Status and body of `Query.user` for u-1. */
  query: { status: number; body: unknown };
  /** Status and body of `Mutation.updateProfile` for u-1. */
  mutation: { status: number; body: unknown };
  /** The `Authorization` each request to the stub carried, in order. */
  forwarded: (string | undefined)[];
  /** Whether each forwarded value was exactly `Bearer <the caller's token>`. */
  tokenForwarded: boolean;
}

const QUERY = 'query Get($id: ID!) { user(id: $id) { id displayName email } }';
const MUTATION =
  'mutation Update($input: UpdateProfileInput!) { updateProfile(input: $input) { id displayName bio } }';
const NEW_NAME = 'Ada (sandbox)';
const NEW_BIO = 'Changed by npm start.';

/**
 * Runs the demo against a sandbox whose manifests attach a Lambda to the users API.
 *
 * @throws {Error} when the sandbox has no GraphQL endpoint.
 */
export async function runGraphqlDemo(sandbox: Sandbox): Promise<GraphqlDemoResult> {
  if (!sandbox.graphql)
    throw new Error('runGraphqlDemo needs a manifest with a graphql trigger (apps/users-graphql)');
  const { endpoint, identity, userService } = sandbox.graphql;
  const token = await identity.mintToken({ sub: 'u-1', roles: ['member'] });
  const post = async (body: unknown, authorization?: string) => {
    const response = await fetch(endpoint.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as unknown };
  };
  userService.clear();
  const withoutToken = await post({ query: QUERY, variables: { id: 'u-1' } });
  const query = await post({ query: QUERY, variables: { id: 'u-1' } }, token);
  const mutation = await post(
    { query: MUTATION, variables: { input: { id: 'u-1', displayName: NEW_NAME, bio: NEW_BIO } } },
    token,
  );
  const forwarded = userService.requests.map((r) => r.authorization);
  return {
    withoutToken,
    query,
    mutation,
    forwarded,
    tokenForwarded: forwarded.length > 0 && forwarded.every((a) => a === `Bearer ${token}`),
  };
}

/** What differs from the expected run; empty when the demo did what it shows. */
export function graphqlDemoProblems(result: GraphqlDemoResult): string[] {
  const problems: string[] = [];
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  if (result.withoutToken.status !== 401)
    problems.push(`the query without a token answered ${result.withoutToken.status}, not 401`);
  const user = { id: 'u-1', displayName: 'Ada Lovelace', email: 'ada@example.com' };
  const updated = { id: 'u-1', displayName: NEW_NAME, bio: NEW_BIO };
  if (result.query.status !== 200 || !same(result.query.body, { data: { user } }))
    problems.push(
      `Query.user answered ${result.query.status} ${JSON.stringify(result.query.body)}`,
    );
  if (
    result.mutation.status !== 200 ||
    !same(result.mutation.body, { data: { updateProfile: updated } })
  )
    problems.push(
      `Mutation.updateProfile answered ${result.mutation.status} ${JSON.stringify(result.mutation.body)}`,
    );
  if (result.forwarded.length !== 2)
    problems.push(`the user service got ${result.forwarded.length} requests, not 2`);
  if (!result.tokenForwarded)
    problems.push("the user service did not receive exactly 'Bearer <the caller's token>'");
  return problems;
}

/** The demo as lines for the terminal (tokens shortened: they are credentials). */
export function describeGraphqlDemo(result: GraphqlDemoResult): string {
  const data = (r: { status: number; body: unknown }) => `${r.status} ${JSON.stringify(r.body)}`;
  return [
    `  no token:             ${data(result.withoutToken)}`,
    `  Query.user:           ${data(result.query)}`,
    `  Mutation.updateProfile: ${data(result.mutation)}`,
    `  user service received: ${result.forwarded
      .map((a) => (a ? `${a.slice(0, 14)}…` : '(none)'))
      .join(
        ', ',
      )} (${result.tokenForwarded ? "exactly the caller's token" : 'NOT the caller token'})`,
  ].join('\n');
}
