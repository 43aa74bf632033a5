import {
  authorizerConfigFromEnv,
  EdgeConfigurationError,
  stripeWebhookConfigFromEnv,
  uploadConfigFromEnv,
} from '../../src';

const ROUTES = '[{"method":"POST","path":"/uploads","roles":["member"]}]';
const COGNITO = {
  JWT_PROVIDER: 'cognito',
  JWT_ISSUER: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123',
  JWT_AUDIENCE: 'client-a, client-b',
  ROUTE_ROLES: ROUTES,
};
const SUPABASE = {
  JWT_PROVIDER: 'supabase',
  JWT_ISSUER: 'https://abcd.supabase.co/auth/v1',
  JWT_SECRET_NAME: 'slipway/dev/supabase-jwt-secret',
  ROUTE_ROLES: ROUTES,
};

describe('authorizerConfigFromEnv', () => {
  it('reads a Cognito user pool from its issuer and client ids', () => {
    expect(authorizerConfigFromEnv(COGNITO)).toEqual({
      provider: {
        kind: 'cognito',
        region: 'eu-west-1',
        userPoolId: 'eu-west-1_AbCdEf123',
        clientIds: ['client-a', 'client-b'],
      },
      routes: [{ method: 'POST', path: '/uploads', roles: ['member'] }],
    });
  });

  it('reads a Supabase project with the NAME of its HS256 secret, never a secret', () => {
    expect(authorizerConfigFromEnv(SUPABASE)).toEqual({
      provider: {
        kind: 'supabase',
        projectUrl: 'https://abcd.supabase.co',
        rolesClaim: 'app_metadata.roles',
      },
      jwtSecretName: 'slipway/dev/supabase-jwt-secret',
      routes: [{ method: 'POST', path: '/uploads', roles: ['member'] }],
    });
  });

  it.each([
    [
      'no provider',
      { ...COGNITO, JWT_PROVIDER: '' },
      'JWT_PROVIDER is missing: set it to "cognito" or "supabase".',
    ],
    [
      'an unknown provider',
      { ...COGNITO, JWT_PROVIDER: 'auth0' },
      'JWT_PROVIDER "auth0" is not a provider this authorizer knows: set it to "cognito" or "supabase".',
    ],
    [
      'a Cognito issuer that is not a pool',
      { ...COGNITO, JWT_ISSUER: 'https://example.com' },
      'JWT_ISSUER "https://example.com" is not a Cognito user pool issuer: use https://cognito-idp.<region>.amazonaws.com/<userPoolId>.',
    ],
    [
      'Cognito without client ids',
      { ...COGNITO, JWT_AUDIENCE: ' , ' },
      'JWT_AUDIENCE is missing: set it to the comma-separated app client ids of the user pool.',
    ],
    [
      'a Supabase issuer without /auth/v1',
      { ...SUPABASE, JWT_ISSUER: 'https://abcd.supabase.co' },
      'JWT_ISSUER "https://abcd.supabase.co" is not a Supabase Auth issuer: use <project URL>/auth/v1, e.g. https://abcd.supabase.co/auth/v1.',
    ],
    [
      'ROUTE_ROLES that is not JSON',
      { ...COGNITO, ROUTE_ROLES: '[{' },
      'ROUTE_ROLES is not JSON: set it to [{"method": "POST", "path": "/uploads", "roles": ["member"]}, …].',
    ],
    [
      'a ROUTE_ROLES entry without roles',
      { ...COGNITO, ROUTE_ROLES: '[{"method":"POST","path":"/uploads"}]' },
      'ROUTE_ROLES[0.roles]: Invalid input: expected array, received undefined. Each entry is {"method", "path", "roles"}.',
    ],
  ])('refuses %s, naming the variable', (_case, env, message) => {
    let thrown: unknown;
    try {
      authorizerConfigFromEnv(env);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(EdgeConfigurationError);
    expect((thrown as Error).message).toBe(message);
  });
});

describe('uploadConfigFromEnv', () => {
  it('defaults to SSE-S3 and the library expiry', () => {
    expect(uploadConfigFromEnv({ BUCKET_MEDIA: 'b' })).toEqual({
      bucket: 'b',
      encryption: { kind: 'AES256' },
    });
  });

  it('uses SSE-KMS and the expiry when set', () => {
    expect(
      uploadConfigFromEnv({
        BUCKET_MEDIA: 'b',
        UPLOAD_KMS_KEY_ID: 'k',
        UPLOAD_EXPIRY_MINUTES: '5',
      }),
    ).toEqual({ bucket: 'b', encryption: { kind: 'aws:kms', keyId: 'k' }, expiresInMinutes: 5 });
  });

  it('refuses an expiry over 60 minutes', () => {
    expect(() => uploadConfigFromEnv({ BUCKET_MEDIA: 'b', UPLOAD_EXPIRY_MINUTES: '61' })).toThrow(
      'UPLOAD_EXPIRY_MINUTES is "61": use a whole number of minutes from 1 to 60, or leave it unset for 15.',
    );
  });
});

describe('stripeWebhookConfigFromEnv', () => {
  const env = { STRIPE_WEBHOOK_SECRET_NAME: 's', BUS_PLATFORM: 'bus', TABLE_EDGE_IDEMPOTENCY: 't' };

  it('reads the secret name, the bus and the idempotency table', () => {
    expect(stripeWebhookConfigFromEnv(env)).toEqual({
      secretName: 's',
      busName: 'bus',
      idempotencyTable: 't',
    });
  });

  it('refuses a missing bus', () => {
    expect(() => stripeWebhookConfigFromEnv({ ...env, BUS_PLATFORM: undefined })).toThrow(
      'BUS_PLATFORM is missing: set it to the platform event bus name (the stacks derive it from "publish bus:platform").',
    );
  });

  it('refuses a missing idempotency table', () => {
    expect(() => stripeWebhookConfigFromEnv({ ...env, TABLE_EDGE_IDEMPOTENCY: ' ' })).toThrow(
      'TABLE_EDGE_IDEMPOTENCY is missing: set it to the edge idempotency table name (the stacks derive it from "write table:edge-idempotency").',
    );
  });
});
