import {
  restApiBody,
  type ApiAuthorizer,
  type IamStatement,
  type JsonObject,
  type Route,
  type SchemaCatalog,
} from '@slipway/manifest';
import type { AuthConfig, EnvironmentConfig, StacksConfig } from './config';
import { StacksConfigError, UnknownReferenceError } from './errors';

/**
 * The REST API of one environment, derived from the manifests' `http` and `authorizer` triggers
 * (issue 13): the `rest-api` module's inputs, and what the authorizer Lambda needs to know at run
 * time. Pure: names are deterministic, so every ARN in the body is a literal the plan shows.
 */

/** Title of the REST API's body (`info.title`), as in docs/api/openapi.json. */
export const API_TITLE = 'Slipway API';

/** Lambda caps a function's environment variables at 4 KB in total (keys and values). */
export const LAMBDA_ENVIRONMENT_LIMIT_BYTES = 4096;

/** Name of the environment's REST API: `<namePrefix>-<env>-api`. */
export function apiName(config: StacksConfig, env: EnvironmentConfig): string {
  return `${config.namePrefix}-${env.name}-api`;
}

/** `arn:<partition>:apigateway:<region>:lambda:path/2015-03-31/functions/<function arn>/invocations`. */
export function invokeArn(env: EnvironmentConfig, functionName: string): string {
  const fn = `arn:${env.partition}:lambda:${env.region}:${env.accountId}:function:${functionName}`;
  return `arn:${env.partition}:apigateway:${env.region}:lambda:path/2015-03-31/functions/${fn}/invocations`;
}

/**
 * `ROUTE_ROLES` of the authorizer: every JWT route's method, path and roles as compact JSON
 * (`AuthorizedRoute[]` of @slipway/edge), so its policy allows exactly the routes a caller's
 * roles admit. Public routes never reach the authorizer and are left out.
 */
export function routeRoles(routes: readonly Route[]): string {
  return JSON.stringify(
    routes
      .filter((r) => r.auth === 'jwt')
      .map((r) => ({ method: r.method, path: r.path, roles: r.roles })),
  );
}

/**
 * The identity provider as the authorizer's environment, in the names `authorizerConfigFromEnv`
 * of @slipway/edge (libs/edge/src/config.ts) reads: `JWT_PROVIDER`, `JWT_ISSUER` (Cognito
 * `https://cognito-idp.<region>.amazonaws.com/<pool>`, Supabase `<projectUrl>/auth/v1`),
 * `JWT_AUDIENCE` (comma-separated client ids or audiences), Supabase `JWT_ROLES_CLAIM` and
 * `JWT_SECRET_NAME` (HS256), and `JWKS_URL` only when the block overrides it. Never a secret:
 * Supabase HS256 gets the secret's NAME, which the authorizer reads from Secrets Manager.
 */
export function authorizerEnvironment(auth: AuthConfig): Record<string, string> {
  const jwks: Record<string, string> = auth.jwksUrl ? { JWKS_URL: auth.jwksUrl } : {};
  if (auth.provider === 'cognito') {
    const region = auth.userPoolId.split('_')[0];
    return {
      JWT_PROVIDER: 'cognito',
      JWT_ISSUER: `https://cognito-idp.${region}.amazonaws.com/${auth.userPoolId}`,
      JWT_AUDIENCE: auth.clientIds.join(','),
      ...jwks,
    };
  }
  return {
    JWT_PROVIDER: 'supabase',
    JWT_ISSUER: `${auth.projectUrl.replace(/\/+$/, '')}/auth/v1`,
    JWT_AUDIENCE: (auth.audience ?? ['authenticated']).join(','),
    JWT_ROLES_CLAIM: auth.rolesClaim,
    ...(auth.jwtSecretName
      ? { JWT_SECRET_NAME: auth.jwtSecretName }
      : ({} as Record<string, string>)),
    ...jwks,
  };
}

/**
 * What the authorizer's role needs beyond its manifest: reading the Supabase JWT secret, by
 * name. Secrets Manager appends `-` and six random characters to a secret's ARN.
 */
export function authorizerStatements(auth: AuthConfig, env: EnvironmentConfig): IamStatement[] {
  if (auth.provider !== 'supabase' || !auth.jwtSecretName) return [];
  return [
    {
      sid: 'ReadJwtSecret',
      actions: ['secretsmanager:GetSecretValue'],
      resources: [
        `arn:${env.partition}:secretsmanager:${env.region}:${env.accountId}:secret:${auth.jwtSecretName}-??????`,
      ],
    },
  ];
}

/** Fails when a Lambda's environment would exceed what Lambda accepts. */
export function checkEnvironmentSize(lambda: string, variables: Record<string, string>): void {
  const bytes = Object.entries(variables).reduce(
    (n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v),
    0,
  );
  if (bytes > LAMBDA_ENVIRONMENT_LIMIT_BYTES)
    throw new UnknownReferenceError(
      `apps/${lambda}/lambda.manifest.json: its environment would be ${bytes} bytes, over Lambda's ` +
        `${LAMBDA_ENVIRONMENT_LIMIT_BYTES}-byte limit (ROUTE_ROLES holds every JWT route): ` +
        'shorten role names or paths, or split the API.',
    );
}

/** The environment's API as the manifests declare it. */
export interface ApiSpec {
  routes: Route[];
  authorizer?: ApiAuthorizer;
  /** Body schemas by name (`EDGE_SCHEMAS`). */
  schemas: SchemaCatalog;
  /** `info.version` of the body: the workspace version. */
  version: string;
}

/**
 * The `rest-api` module's variables for one environment.
 *
 * @throws {StacksConfigError} when JWT routes exist and the environment has no `auth` block.
 */
export function restApiVariables(
  api: ApiSpec,
  config: StacksConfig,
  env: EnvironmentConfig,
  functionName: (name: string) => string,
  logRetentionDays: number,
): Record<string, unknown> {
  const jwt = api.routes.find((r) => r.auth === 'jwt');
  if (jwt && !env.auth)
    throw new StacksConfigError(
      `terraform/stacks/environments.json: environments.${env.name}.auth is missing: ` +
        `${jwt.method} ${jwt.path} (apps/${jwt.lambda}) is a JWT route, and the authorizer needs ` +
        'the identity provider whose tokens it verifies. Add {"provider": "cognito", "userPoolId", ' +
        '"clientIds"} or {"provider": "supabase", "projectUrl", "rolesClaim"} (terraform/stacks/README.md).',
    );
  const lambdas = [
    ...new Set([
      ...api.routes.map((r) => r.lambda),
      ...(api.authorizer ? [api.authorizer.lambda] : []),
    ]),
  ];
  const body: JsonObject = restApiBody(
    api.routes,
    api.schemas,
    { title: API_TITLE, version: api.version },
    {
      invokeArns: Object.fromEntries(lambdas.map((l) => [l, invokeArn(env, functionName(l))])),
      authorizer: api.authorizer,
    },
  );
  const binary = (body['x-amazon-apigateway-binary-media-types'] as string[] | undefined) ?? [];
  return {
    name: apiName(config, env),
    description: `The ${env.name} HTTP edge, generated from the http triggers of apps/*/lambda.manifest.json.`,
    openapi_body: JSON.stringify(body),
    stage_name: env.name,
    routes: api.routes.map((r) => ({
      method: r.method,
      path: r.path,
      function_name: functionName(r.lambda),
      auth: r.auth,
      ...(r.auth === 'public' ? { public_reason: r.reason } : {}),
      ...(r.throttle
        ? { throttle: { rate_limit: r.throttle.rateLimit, burst_limit: r.throttle.burstLimit } }
        : {}),
    })),
    ...(api.authorizer
      ? { authorizer: { function_name: functionName(api.authorizer.lambda) } }
      : {}),
    // The body's own list, so the module (whose variable overrides the body) sets the same one.
    binary_media_types: binary,
    log_retention_in_days: logRetentionDays,
    ...(env.logKmsKeyArn ? { log_kms_key_arn: env.logKmsKeyArn } : {}),
    tags: { api: apiName(config, env) },
  };
}
