import * as z from 'zod';
import type { AuthorizedRoute } from './authorize';
import { EdgeConfigurationError } from './errors';
import type { CognitoProvider, SupabaseProvider } from './jwt';
import type { UploadEncryption } from './uploads';

// The edge Lambdas' configuration, read from their environment once per execution environment.
// Secrets are never among these variables: only the NAME of a Secrets Manager secret is
// (issue 13: "Secrets never in environment variables or logs").

/** The environment a function runs with (`process.env` or a test's own). */
export type Env = Readonly<Record<string, string | undefined>>;

/** The authorizer's configuration; the HS256 secret itself is fetched by name. */
export interface AuthorizerConfig {
  /** The provider without its secret (`jwtSecret` is added once read from Secrets Manager). */
  readonly provider: CognitoProvider | SupabaseProvider;
  /** Secrets Manager name of the Supabase project's JWT secret (HS256), when configured. */
  readonly jwtSecretName?: string;
  /** The JWT routes of the API and their roles (`ROUTE_ROLES`). */
  readonly routes: readonly AuthorizedRoute[];
}

const COGNITO_ISSUER =
  /^https:\/\/cognito-idp\.([a-z0-9-]+)\.amazonaws\.com\/([\w-]+_[A-Za-z0-9]+)$/;
const SUPABASE_ISSUER = /^(https?:\/\/[^/]+)\/auth\/v1$/;

const RouteRolesSchema = z.array(
  z.strictObject({
    method: z.string().min(1),
    path: z.string().startsWith('/'),
    roles: z.array(z.string().min(1)),
  }),
);

function need(env: Env, name: string, hint: string): string {
  const value = env[name]?.trim();
  if (value === undefined || value === '') {
    throw new EdgeConfigurationError(`${name} is missing: ${hint}`);
  }
  return value;
}

function optional(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function list(value: string | undefined): string[] | undefined {
  const items = value
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return items === undefined || items.length === 0 ? undefined : items;
}

/**
 * The authorizer's configuration from its environment:
 *
 * | variable          | meaning                                                                                      |
 * | ----------------- | -------------------------------------------------------------------------------------------- |
 * | `JWT_PROVIDER`    | `cognito` or `supabase`                                                                      |
 * | `JWT_ISSUER`      | the tokens' `iss`: `https://cognito-idp.<region>.amazonaws.com/<poolId>` or `<project>/auth/v1` |
 * | `JWT_AUDIENCE`    | comma-separated: Cognito app client ids (required), Supabase audiences (default `authenticated`) |
 * | `JWT_ROLES_CLAIM` | Supabase only: dotted path of the roles claim (default `app_metadata.roles`)                 |
 * | `JWT_SECRET_NAME` | Supabase only: Secrets Manager name of the HS256 JWT secret; without it, the JWKS is used     |
 * | `JWKS_URL`        | optional JWKS override (the sandbox's)                                                       |
 * | `ROUTE_ROLES`     | JSON `[{ "method", "path", "roles" }]`: the JWT routes of `routeTable` (libs/manifest)        |
 *
 * @throws {EdgeConfigurationError} naming the variable and what to set.
 * @example
 * const config = authorizerConfigFromEnv(process.env);
 */
export function authorizerConfigFromEnv(env: Env): AuthorizerConfig {
  const kind = need(env, 'JWT_PROVIDER', 'set it to "cognito" or "supabase".');
  const issuer = need(
    env,
    'JWT_ISSUER',
    "set it to the identity provider's issuer (the tokens' iss claim).",
  );
  const jwksUrl = optional(env, 'JWKS_URL');
  const routes = routeRolesOf(
    need(env, 'ROUTE_ROLES', 'set it to the JWT routes of the API as JSON (routeTable).'),
  );
  if (kind === 'cognito') {
    const match = COGNITO_ISSUER.exec(issuer);
    if (match === null) {
      throw new EdgeConfigurationError(
        `JWT_ISSUER "${issuer}" is not a Cognito user pool issuer: use https://cognito-idp.<region>.amazonaws.com/<userPoolId>.`,
      );
    }
    const clientIds = list(env['JWT_AUDIENCE']);
    if (clientIds === undefined) {
      throw new EdgeConfigurationError(
        'JWT_AUDIENCE is missing: set it to the comma-separated app client ids of the user pool.',
      );
    }
    return {
      provider: {
        kind: 'cognito',
        region: match[1] as string,
        userPoolId: match[2] as string,
        clientIds,
        ...(jwksUrl !== undefined ? { jwksUrl } : {}),
      },
      routes,
    };
  }
  if (kind === 'supabase') {
    const match = SUPABASE_ISSUER.exec(issuer.replace(/\/+$/, ''));
    if (match === null) {
      throw new EdgeConfigurationError(
        `JWT_ISSUER "${issuer}" is not a Supabase Auth issuer: use <project URL>/auth/v1, e.g. https://abcd.supabase.co/auth/v1.`,
      );
    }
    const audience = list(env['JWT_AUDIENCE']);
    const jwtSecretName = optional(env, 'JWT_SECRET_NAME');
    return {
      provider: {
        kind: 'supabase',
        projectUrl: match[1] as string,
        rolesClaim: optional(env, 'JWT_ROLES_CLAIM') ?? 'app_metadata.roles',
        ...(audience !== undefined ? { audience } : {}),
        ...(jwksUrl !== undefined ? { jwksUrl } : {}),
      },
      ...(jwtSecretName !== undefined ? { jwtSecretName } : {}),
      routes,
    };
  }
  throw new EdgeConfigurationError(
    `JWT_PROVIDER "${kind}" is not a provider this authorizer knows: set it to "cognito" or "supabase".`,
  );
}

function routeRolesOf(text: string): AuthorizedRoute[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new EdgeConfigurationError(
      'ROUTE_ROLES is not JSON: set it to [{"method": "POST", "path": "/uploads", "roles": ["member"]}, …].',
      { cause: error },
    );
  }
  const parsed = RouteRolesSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EdgeConfigurationError(
      `ROUTE_ROLES[${issue?.path.join('.') ?? ''}]: ${issue?.message ?? 'is invalid'}. Each entry is {"method", "path", "roles"}.`,
    );
  }
  return parsed.data;
}

/** `POST /uploads`' configuration besides the upload policy (`parseUploadPolicy` of media). */
export interface UploadConfig {
  /** The media bucket, `BUCKET_MEDIA` (derived from the manifest's `write media:uploads/*`). */
  readonly bucket: string;
  /** `UPLOAD_KMS_KEY_ID` set: SSE-KMS with that key; unset: SSE-S3 (the bucket module's default). */
  readonly encryption: UploadEncryption;
  /** `UPLOAD_EXPIRY_MINUTES`, 1 to 60, when set. */
  readonly expiresInMinutes?: number;
}

/**
 * `POST /uploads`' configuration from its environment.
 *
 * @throws {EdgeConfigurationError} naming the variable and what to set.
 */
export function uploadConfigFromEnv(env: Env): UploadConfig {
  const bucket = need(
    env,
    'BUCKET_MEDIA',
    'the stacks set it from the manifest\'s "write media:uploads/*" permission.',
  );
  const keyId = optional(env, 'UPLOAD_KMS_KEY_ID');
  const minutes = optional(env, 'UPLOAD_EXPIRY_MINUTES');
  if (minutes !== undefined && !/^([1-9]|[1-5]\d|60)$/.test(minutes)) {
    throw new EdgeConfigurationError(
      `UPLOAD_EXPIRY_MINUTES is "${minutes}": use a whole number of minutes from 1 to 60, or leave it unset for 15.`,
    );
  }
  return {
    bucket,
    encryption: keyId === undefined ? { kind: 'AES256' } : { kind: 'aws:kms', keyId },
    ...(minutes !== undefined ? { expiresInMinutes: Number(minutes) } : {}),
  };
}

/** `POST /webhooks/stripe`' configuration. */
export interface StripeWebhookConfig {
  /**
   * Secrets Manager name of the signing secret(s), `STRIPE_WEBHOOK_SECRET_NAME`: the stacks and the
   * sandbox derive it from the manifest's `read secret:stripe-webhook` (`lambdaEnvironment`).
   */
  readonly secretName: string;
  /** The platform bus, `BUS_PLATFORM` (derived from the manifest's `publish bus:platform`). */
  readonly busName: string;
  /**
   * The DynamoDB table of handled Stripe event ids, `TABLE_EDGE_IDEMPOTENCY` (derived from the
   * manifest's `write table:edge-idempotency`).
   */
  readonly idempotencyTable: string;
}

/**
 * `POST /webhooks/stripe`' configuration from its environment.
 *
 * @throws {EdgeConfigurationError} naming the variable and what to set.
 */
export function stripeWebhookConfigFromEnv(env: Env): StripeWebhookConfig {
  return {
    secretName: need(
      env,
      'STRIPE_WEBHOOK_SECRET_NAME',
      "set it to the Secrets Manager name holding the endpoint's whsec_… signing secret (never the secret itself).",
    ),
    busName: need(
      env,
      'BUS_PLATFORM',
      'set it to the platform event bus name (the stacks derive it from "publish bus:platform").',
    ),
    idempotencyTable: need(
      env,
      'TABLE_EDGE_IDEMPOTENCY',
      'set it to the edge idempotency table name (the stacks derive it from "write table:edge-idempotency").',
    ),
  };
}
