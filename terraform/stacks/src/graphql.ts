import { TerraformHclModule, TerraformOutput, type TerraformStack } from 'cdktn';
import { EDGE_SCHEMAS } from '@slipway/events';
import {
  apiAuthorizer,
  GRAPHQL_APIS,
  graphqlResolvers,
  loadManifests,
  readGraphqlSchema,
  type GraphqlApiSpec,
  type GraphqlResolver,
} from '@slipway/manifest';
import type { EnvironmentConfig, StacksConfig } from './config';
import { StacksConfigError, UnknownReferenceError } from './errors';
import { moduleSource } from './modules';

/**
 * The GraphQL APIs (AppSync) of one domain stack, derived from the manifests' `graphql` triggers
 * (issue 14): the governed `graphql-api` module per API the domain owns (`GRAPHQL_APIS` of
 * libs/manifest), with its committed SDL, one direct Lambda resolver per trigger on a data source
 * whose role may invoke that function only, and the auth mode of the environment's identity
 * provider (`auth` of environments.json). Function ARNs are literals built from the names, as for
 * the REST API, so every resolver and role policy is readable in the plan, and a resolver Lambda
 * may live in another domain's stack.
 */

/** Name of an API in an environment: `<namePrefix>-<env>-<api>`. */
export function graphqlApiName(
  config: StacksConfig,
  env: EnvironmentConfig,
  api: GraphqlApiSpec,
): string {
  return `${config.namePrefix}-${env.name}-${api.name}`;
}

/**
 * How AppSync authenticates the environment's callers: a Cognito user pool's own tokens
 * (`AMAZON_COGNITO_USER_POOLS`), or, for any other identity provider (Supabase), the edge's
 * authorizer Lambda (`AWS_LAMBDA`), which verifies that provider's tokens for the REST API too.
 *
 * @throws {StacksConfigError} when the environment has no `auth`, or needs the authorizer and no
 *   manifest declares one.
 */
export function graphqlAuthVariables(
  env: EnvironmentConfig,
  api: GraphqlApiSpec,
  authorizerFunctionArn: string | undefined,
): Record<string, unknown> {
  if (!env.auth)
    throw new StacksConfigError(
      `terraform/stacks/environments.json: environments.${env.name}.auth is missing: the ${api.name} GraphQL API (${api.schemaFile}) authenticates its callers with the environment's identity provider. Add {"provider": "cognito", ...} or {"provider": "supabase", ...} (terraform/stacks/README.md).`,
    );
  if (env.auth.provider === 'cognito')
    return { authentication_type: 'AMAZON_COGNITO_USER_POOLS', user_pool_id: env.auth.userPoolId };
  if (!authorizerFunctionArn)
    throw new StacksConfigError(
      `terraform/stacks/environments.json: environments.${env.name}.auth is ${env.auth.provider}, which AppSync cannot verify itself: the ${api.name} GraphQL API needs the edge's Lambda authorizer, and no manifest declares an "authorizer" trigger. Add it, or use a Cognito user pool.`,
    );
  return {
    authentication_type: 'AWS_LAMBDA',
    lambda_authorizer_function_arn: authorizerFunctionArn,
  };
}

/** What {@link addGraphqlApis} needs from the domain stack. */
export interface GraphqlStackContext {
  root: string;
  config: StacksConfig;
  env: EnvironmentConfig;
  domain: string;
  /** Id of the stack (for module sources). */
  stack: string;
  /** Real function name of a manifest name. */
  functionName: (name: string) => string;
  permissionsBoundaryArn: string;
  /** The environment's retention floor applied to 30 days. */
  logRetentionDays: number;
}

/** Manifests' resolvers and authorizer by workspace root, read once per synth. */
const manifestsByRoot = new Map<
  string,
  { resolvers: GraphqlResolver[]; authorizer: string | undefined }
>();

/**
 * Adds the `graphql-api` module of every API the domain owns, when a manifest resolves one of
 * its fields; nothing otherwise (the stacks are then unchanged).
 *
 * @throws {InvalidGraphqlTriggersError} (from loading the manifests) for a field the SDL lacks.
 */
export function addGraphqlApis(stack: TerraformStack, ctx: GraphqlStackContext): void {
  const owned = GRAPHQL_APIS.filter((a) => a.domain === ctx.domain);
  if (!owned.length) return;
  let known = manifestsByRoot.get(ctx.root);
  if (!known) {
    const manifests = loadManifests(ctx.root, EDGE_SCHEMAS).map((f) => f.manifest);
    known = {
      resolvers: graphqlResolvers(manifests),
      authorizer: apiAuthorizer(manifests)?.lambda,
    };
    manifestsByRoot.set(ctx.root, known);
  }
  const { env } = ctx;
  const arnOf = (name: string) =>
    `arn:${env.partition}:lambda:${env.region}:${env.accountId}:function:${ctx.functionName(name)}`;
  for (const api of owned) {
    const resolvers = known.resolvers.filter((r) => r.api === api.name);
    if (!resolvers.length) continue;
    const id = `graphql_${api.name.replace(/[^A-Za-z0-9_]/g, '_')}`;
    const name = graphqlApiName(ctx.config, env, api);
    if (name.length > 50)
      throw new UnknownReferenceError(
        `GRAPHQL_APIS (libs/manifest/src/graphql.ts): the ${api.name} API would be named ${name} (${name.length} characters), over the graphql-api module's 50: shorten its logical name.`,
      );
    const module = new TerraformHclModule(stack, id, {
      source: moduleSource('graphql-api', ctx.stack),
      skipAssetCreationFromLocalModules: true,
      variables: {
        name,
        schema: readGraphqlSchema(ctx.root, api),
        ...graphqlAuthVariables(
          env,
          api,
          known.authorizer === undefined ? undefined : arnOf(known.authorizer),
        ),
        resolvers: resolvers.map((r) => ({
          type_name: r.parent,
          field_name: r.field,
          function_arn: arnOf(r.lambda),
        })),
        field_log_level: 'ERROR',
        log_retention_in_days: ctx.logRetentionDays,
        ...(env.logKmsKeyArn ? { log_kms_key_arn: env.logKmsKeyArn } : {}),
        account_id: env.accountId,
        permissions_boundary_arn: ctx.permissionsBoundaryArn,
        tags: { api: api.name },
      },
    });
    new TerraformOutput(stack, `${id}_url`, { value: module.get('graphql_url') });
    new TerraformOutput(stack, `${id}_arn`, { value: module.get('api_arn') });
  }
}
