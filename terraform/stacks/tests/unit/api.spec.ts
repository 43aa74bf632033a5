/**
 * The REST API in the stacks (issue 13): synthesized from the frozen inputs plus the route
 * manifests of tests/fixtures/api (an authorizer, a JWT and a public route in `edge`, a JWT route
 * in `media`) and that folder's environments.json (dev Cognito; prod Supabase HS256 with a log
 * key). Negative cases clone the valid environments file and break one field.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../src/app';
import { StacksConfigError } from '../../src/errors';
import { frozenCodeHash } from '../support/frozen-inputs';

const INPUTS = join(__dirname, '../fixtures/synth/inputs');
const API = join(__dirname, '../fixtures/api');
const ENVIRONMENTS = JSON.parse(readFileSync(join(API, 'environments.json'), 'utf8'));

const workspaces: string[] = [];
afterAll(() => {
  for (const root of workspaces) rmSync(root, { recursive: true, force: true });
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- cdk.tf.json has no static type
type TfJson = Record<string, any>;

/** Frozen inputs + the API fixture apps, with `environments` and the manifests `edit` leaves. */
function synth(
  environments: unknown = ENVIRONMENTS,
  edit: (root: string) => void = () => undefined,
): { stacks: string[]; read: (stack: string) => TfJson } {
  const root = mkdtempSync(join(tmpdir(), 'stacks-api-'));
  workspaces.push(root);
  cpSync(INPUTS, root, { recursive: true });
  cpSync(join(API, 'apps'), join(root, 'apps'), { recursive: true });
  writeFileSync(join(root, 'terraform/stacks/environments.json'), JSON.stringify(environments));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ version: '1.2.3' }));
  edit(root);
  for (const lambda of readdirSync(join(root, 'apps'))) {
    const dist = join(root, 'dist/apps', lambda);
    mkdirSync(dist, { recursive: true });
    writeFileSync(join(dist, `${lambda}.zip`), '');
    writeFileSync(join(dist, `${lambda}.zip.sha256`), frozenCodeHash(lambda));
  }
  const out = join(root, 'out');
  const { app, stacks } = buildApp(root, out);
  app.synth();
  return {
    stacks,
    read: (stack) => JSON.parse(readFileSync(join(out, 'stacks', stack, 'cdk.tf.json'), 'utf8')),
  };
}

/** A deep copy of the valid environments file with one change. */
function broken(change: (e: TfJson) => void): TfJson {
  const copy = structuredClone(ENVIRONMENTS);
  change(copy);
  return copy;
}

const invoke = (fn: string, account = '111111111111') =>
  `arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:${account}:function:${fn}/invocations`;

describe('REST API', () => {
  const { stacks, read } = synth();
  const dev = read('edge-dev');
  const api = dev.module.rest_api;
  const body = JSON.parse(api.openapi_body);

  it('is one rest-api module per environment, in the stack of the authorizer', () => {
    expect(stacks.filter((s) => s.startsWith('edge-'))).toEqual(['edge-dev', 'edge-prod']);
    const withApi = stacks.filter((s) => read(s).module?.rest_api);

    expect(withApi).toEqual(['edge-dev', 'edge-prod']);
    expect(dev.output.rest_api_invoke_url.value).toBe('${module.rest_api.invoke_url}');
  });

  it("passes the module every route with its function, auth, reason and throttle, and the environment's logs", () => {
    const { openapi_body: _body, '//': _metadata, ...variables } = api;

    expect(variables).toEqual({
      source: '../../../../modules/rest-api',
      name: 'slipway-dev-api',
      description:
        'The dev HTTP edge, generated from the http triggers of apps/*/lambda.manifest.json.',
      stage_name: 'dev',
      routes: [
        {
          method: 'GET',
          path: '/media/{id}',
          function_name: 'slipway-dev-media-read',
          auth: 'jwt',
        },
        {
          method: 'POST',
          path: '/uploads',
          function_name: 'slipway-dev-edge-uploads',
          auth: 'jwt',
          throttle: { rate_limit: 20, burst_limit: 40 },
        },
        {
          method: 'POST',
          path: '/webhooks/stripe',
          function_name: 'slipway-dev-edge-webhook',
          auth: 'public',
          public_reason: 'Stripe signs every delivery; the handler verifies it',
        },
      ],
      authorizer: { function_name: 'slipway-dev-edge-authorizer' },
      binary_media_types: [],
      log_retention_in_days: 30,
      tags: { api: 'slipway-dev-api' },
    });
  });

  it('builds the body with literal invoke ARNs, the authorizer scheme and per-operation security', () => {
    expect(body.openapi).toBe('3.0.1');
    expect(body.info).toEqual({ title: 'Slipway API', version: '1.2.3' });
    expect(body.components.securitySchemes).toEqual({
      jwt: {
        in: 'header',
        name: 'Authorization',
        type: 'apiKey',
        'x-amazon-apigateway-authtype': 'custom',
        'x-amazon-apigateway-authorizer': {
          authorizerResultTtlInSeconds: 300,
          authorizerUri: invoke('slipway-dev-edge-authorizer'),
          identitySource: 'method.request.header.Authorization',
          type: 'request',
        },
      },
    });
    const operations = Object.entries(body.paths as TfJson).flatMap(([path, item]) =>
      Object.entries(item as TfJson).map(([method, op]) => ({
        key: `${method.toUpperCase()} ${path}`,
        security: op.security,
        reason: op['x-slipway-public-reason'],
        uri: op['x-amazon-apigateway-integration'].uri,
        type: op['x-amazon-apigateway-integration'].type,
      })),
    );
    expect(operations).toEqual([
      {
        key: 'GET /media/{id}',
        security: [{ jwt: [] }],
        reason: undefined,
        uri: invoke('slipway-dev-media-read'),
        type: 'aws_proxy',
      },
      {
        key: 'POST /uploads',
        security: [{ jwt: [] }],
        reason: undefined,
        uri: invoke('slipway-dev-edge-uploads'),
        type: 'aws_proxy',
      },
      {
        key: 'POST /webhooks/stripe',
        security: [],
        reason: 'Stripe signs every delivery; the handler verifies it',
        uri: invoke('slipway-dev-edge-webhook'),
        type: 'aws_proxy',
      },
    ]);
  });

  it("gives the authorizer the JWT routes' roles and the Cognito pool, and no secret", () => {
    const fn = dev.module.lambda_edge_authorizer;

    expect(fn.environment_variables).toMatchObject({
      ROUTE_ROLES:
        '[{"method":"GET","path":"/media/{id}","roles":["member","admin"]},{"method":"POST","path":"/uploads","roles":["member"]}]',
      JWT_PROVIDER: 'cognito',
      JWT_ISSUER: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123',
      JWT_AUDIENCE: '4example0client0id0abc,7second0client0id0xyz',
    });
    expect(fn.environment_variables.JWKS_URL).toBeUndefined();
    expect(Object.keys(fn.environment_variables).filter((k) => k.startsWith('JWT_'))).toEqual([
      'JWT_AUDIENCE',
      'JWT_ISSUER',
      'JWT_PROVIDER',
    ]);
    expect(fn.policy_statements).toEqual([]);
    // Only the authorizer gets them.
    expect(dev.module.lambda_edge_uploads.environment_variables.ROUTE_ROLES).toBeUndefined();
  });

  it('prod: Supabase HS256 by secret name with a scoped read, the log key and the retention floor', () => {
    const prod = read('edge-prod').module;

    expect(prod.lambda_edge_authorizer.environment_variables).toMatchObject({
      JWT_PROVIDER: 'supabase',
      JWT_ISSUER: 'https://abcd.supabase.co/auth/v1',
      JWT_AUDIENCE: 'authenticated',
      JWT_SECRET_NAME: 'slipway/prod/supabase-jwt-secret',
      JWT_ROLES_CLAIM: 'app_metadata.roles',
    });
    expect(prod.lambda_edge_authorizer.environment_variables.JWKS_URL).toBeUndefined();
    expect(prod.lambda_edge_authorizer.policy_statements).toEqual([
      {
        sid: 'ReadJwtSecret',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [
          'arn:aws:secretsmanager:eu-west-1:333333333333:secret:slipway/prod/supabase-jwt-secret-??????',
        ],
      },
    ]);
    expect(prod.rest_api).toMatchObject({
      name: 'slipway-prod-api',
      stage_name: 'prod',
      log_retention_in_days: 365,
      log_kms_key_arn:
        'arn:aws:kms:eu-west-1:333333333333:key/3a1b2c3d-0000-4000-8000-000000000003',
    });
    expect(JSON.parse(prod.rest_api.openapi_body).paths['/media/{id}'].get).toMatchObject({
      'x-amazon-apigateway-integration': { uri: invoke('slipway-prod-media-read', '333333333333') },
    });
  });

  it('deploys a route served from another domain in that domain, its permission in the API stack', () => {
    const media = read('media-dev').module;

    expect(media.lambda_media_read.function_name).toBe('slipway-dev-media-read');
    expect(media.rest_api).toBeUndefined();
    expect(api.routes.map((r: TfJson) => r.function_name)).toContain('slipway-dev-media-read');
  });
});

describe('REST API inputs refused', () => {
  it.each([
    [
      'a malformed user pool id',
      (e: TfJson) => (e.environments.dev.auth.userPoolId = 'AbCdEf123'),
      '  - environments.dev.auth.userPoolId: must be a Cognito user pool id such as eu-west-1_AbCdEf123',
    ],
    [
      'an unknown provider',
      (e: TfJson) => (e.environments.dev.auth.provider = 'auth0'),
      '  - environments.dev.auth.provider: must have "provider": "cognito" or "supabase"',
    ],
    [
      'a secret outside the environment',
      (e: TfJson) => (e.environments.prod.auth.jwtSecretName = 'slipway/dev/supabase-jwt-secret'),
      '  - environments.prod.auth.jwtSecretName: must start with "slipway/prod/": the workload boundary lets prod Lambdas read only those secrets (e.g. "slipway/prod/supabase-jwt-secret")',
    ],
    [
      'an http:// JWKS URL',
      (e: TfJson) => (e.environments.dev.auth.jwksUrl = 'http://keys.example.com/jwks.json'),
      '  - environments.dev.auth.jwksUrl: must be the JWKS URL as an https:// URL without query, fragment or credentials',
    ],
    [
      'a log key alias',
      (e: TfJson) =>
        (e.environments.prod.logKmsKeyArn = 'arn:aws:kms:eu-west-1:333333333333:alias/logs'),
      '  - environments.prod.logKmsKeyArn: must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>); CloudWatch Logs accepts no alias',
    ],
  ])('%s, naming the field', (_, change, line) => {
    const run = () => synth(broken(change));

    expect(run).toThrow(StacksConfigError);
    expect(run).toThrow(line);
  });

  it('JWT routes in an environment without auth, naming the field and the fix', () => {
    const run = () => synth(broken((e) => delete e.environments.dev.auth));

    expect(run).toThrow(StacksConfigError);
    expect(run).toThrow(
      'terraform/stacks/environments.json: environments.dev.auth is missing: GET /media/{id} (apps/media-read) is a JWT route',
    );
  });

  it('passes an ANY route to the module as ANY, written in the body as x-amazon-apigateway-any-method', () => {
    const { read: readAny } = synth(ENVIRONMENTS, (root) => {
      const file = join(root, 'apps/media-read/lambda.manifest.json');
      const manifest = JSON.parse(readFileSync(file, 'utf8'));
      manifest.triggers[0].method = 'ANY';
      writeFileSync(file, JSON.stringify(manifest));
    });
    const anyApi = readAny('edge-dev').module.rest_api;

    expect(anyApi.routes[0]).toEqual({
      method: 'ANY',
      path: '/media/{id}',
      function_name: 'slipway-dev-media-read',
      auth: 'jwt',
    });
    expect(Object.keys(JSON.parse(anyApi.openapi_body).paths['/media/{id}'])).toEqual([
      'x-amazon-apigateway-any-method',
    ]);
  });

  it('no route: no API, the environment needs no auth', () => {
    const { stacks, read } = synth(
      broken((e) => delete e.environments.dev.auth),
      (root) => {
        for (const app of ['edge-authorizer', 'edge-uploads', 'edge-webhook', 'media-read'])
          rmSync(join(root, 'apps', app), { recursive: true });
      },
    );

    expect(stacks).toContain('media-dev');
    expect(stacks.filter((s) => read(s).module?.rest_api)).toEqual([]);
  });
});

describe('permissions of the edge Lambdas', () => {
  const { read } = synth(ENVIRONMENTS, (root) => {
    const set = (app: string, permissions: string[]) => {
      const file = join(root, 'apps', app, 'lambda.manifest.json');
      const manifest = JSON.parse(readFileSync(file, 'utf8'));
      writeFileSync(file, JSON.stringify({ ...manifest, permissions }));
    };
    set('edge-uploads', ['write media:uploads/*']);
    set('edge-webhook', ['publish bus:platform', 'read secret:stripe-webhook']);
  });
  const edge = read('edge-dev').module;

  it("grants a Lambda of edge the media domain's bucket of that environment, and names it", () => {
    expect(edge.lambda_edge_uploads.policy_statements).toEqual([
      {
        sid: 'S3Write',
        actions: ['s3:PutObject'],
        resources: ['arn:aws:s3:::slipway-dev-media-111111111111/uploads/*'],
      },
    ]);
    expect(edge.lambda_edge_uploads.environment_variables.BUCKET_MEDIA).toBe(
      'slipway-dev-media-111111111111',
    );
    // The bucket stays in its own domain's stack.
    expect(edge.bucket_media).toBeUndefined();
  });

  it('gives the webhook its bus and secret by name, and GetSecretValue on that one secret', () => {
    expect(edge.lambda_edge_webhook.policy_statements).toEqual([
      {
        sid: 'EventsPublish',
        actions: ['events:PutEvents'],
        resources: ['arn:aws:events:eu-west-1:111111111111:event-bus/slipway-dev-platform'],
      },
      {
        sid: 'SecretsRead',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [
          'arn:aws:secretsmanager:eu-west-1:111111111111:secret:slipway/dev/stripe-webhook-??????',
        ],
      },
    ]);
    expect(edge.lambda_edge_webhook.environment_variables).toMatchObject({
      BUS_PLATFORM: 'slipway-dev-platform',
      STRIPE_WEBHOOK_SECRET_NAME: 'slipway/dev/stripe-webhook',
    });
  });
});
