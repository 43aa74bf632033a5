import { lambdaEnvironment, parseManifest, referencedBuckets } from '../../src';

describe('lambdaEnvironment', () => {
  it('adds bucket names for the buckets the permissions name, and the observability settings', () => {
    const manifest = parseManifest(
      {
        name: 'thumbs',
        domain: 'media',
        description: 'x',
        memory: 512,
        timeout: 30,
        environment: { MAX_IMAGE_BYTES: '10' },
        permissions: ['read media:uploads/*', 'write media:derived/*', 'read param:media/key'],
      },
      'apps/thumbs/lambda.manifest.json',
    );

    expect(
      lambdaEnvironment(manifest, {
        environment: 'dev',
        buckets: { media: 'm-bucket', data: 'd-bucket' },
      }),
    ).toEqual({
      MAX_IMAGE_BYTES: '10',
      BUCKET_MEDIA: 'm-bucket',
      POWERTOOLS_SERVICE_NAME: 'thumbs',
      POWERTOOLS_METRICS_NAMESPACE: 'Slipway/media',
      SLIPWAY_ENVIRONMENT: 'dev',
    });
  });

  const webhook = parseManifest(
    {
      name: 'hooks',
      domain: 'edge',
      description: 'x',
      memory: 256,
      timeout: 10,
      permissions: [
        'publish bus:platform',
        'read secret:stripe-webhook',
        'write media:uploads/*',
        'read table:edge-idempotency',
        'write table:edge-idempotency',
      ],
    },
    'apps/hooks/lambda.manifest.json',
  );

  it('adds BUS_<NAME> for each published bus, TABLE_<NAME> once per table and <NAME>_SECRET_NAME with the secret name (never a value)', () => {
    expect(
      lambdaEnvironment(webhook, {
        environment: 'dev',
        buckets: { media: 'm-bucket' },
        buses: { platform: 'slipway-dev-platform', audit: 'slipway-dev-audit' },
        secretPrefix: 'slipway/dev',
        tables: { 'edge-idempotency': 'slipway-dev-edge-idempotency', other: 'slipway-dev-other' },
      }),
    ).toEqual({
      BUCKET_MEDIA: 'm-bucket',
      BUS_PLATFORM: 'slipway-dev-platform',
      TABLE_EDGE_IDEMPOTENCY: 'slipway-dev-edge-idempotency',
      STRIPE_WEBHOOK_SECRET_NAME: 'slipway/dev/stripe-webhook',
      POWERTOOLS_SERVICE_NAME: 'hooks',
      POWERTOOLS_METRICS_NAMESPACE: 'Slipway/edge',
      SLIPWAY_ENVIRONMENT: 'dev',
    });
  });

  it('gives no BUS_, TABLE_ or _SECRET_NAME variable when the context offers no bus or table names or secret prefix', () => {
    const environment = lambdaEnvironment(webhook, {
      environment: 'local',
      buckets: { media: 'm-bucket' },
      buses: { audit: 'slipway-local-audit' },
    });

    expect(Object.keys(environment).sort()).toEqual([
      'BUCKET_MEDIA',
      'POWERTOOLS_METRICS_NAMESPACE',
      'POWERTOOLS_SERVICE_NAME',
      'SLIPWAY_ENVIRONMENT',
    ]);
  });
});

describe('lambdaEnvironment of a function that sends email', () => {
  const sender = parseManifest(
    {
      name: 'mailer',
      domain: 'jobs',
      description: 'x',
      memory: 256,
      timeout: 10,
      permissions: ['send email:welcome'],
    },
    'apps/mailer/lambda.manifest.json',
  );

  it('adds EMAIL_FROM and EMAIL_TEMPLATE_<NAME> with the real template name', () => {
    expect(
      lambdaEnvironment(sender, {
        environment: 'dev',
        buckets: {},
        email: { fromAddress: 'no-reply@dev.slipway.example' },
        emailTemplates: { welcome: 'slipway-dev-welcome', other: 'slipway-dev-other' },
      }),
    ).toEqual({
      EMAIL_FROM: 'no-reply@dev.slipway.example',
      EMAIL_TEMPLATE_WELCOME: 'slipway-dev-welcome',
      POWERTOOLS_SERVICE_NAME: 'mailer',
      POWERTOOLS_METRICS_NAMESPACE: 'Slipway/jobs',
      SLIPWAY_ENVIRONMENT: 'dev',
    });
  });

  it('adds neither to a function that sends none, even where the environment has a sender', () => {
    const environment = lambdaEnvironment(parseManifest({ ...sender, permissions: [] }, 'x'), {
      environment: 'dev',
      buckets: {},
      email: { fromAddress: 'no-reply@dev.slipway.example' },
      emailTemplates: { welcome: 'slipway-dev-welcome' },
    });

    expect(Object.keys(environment).filter((k) => k.startsWith('EMAIL_'))).toEqual([]);
    expect(environment.POWERTOOLS_SERVICE_NAME).toBe('mailer');
  });
});

describe('referencedBuckets', () => {
  it('names only buckets, not the buses or secrets an intent names', () => {
    expect(
      referencedBuckets({
        permissions: [
          'write media:uploads/*',
          'publish bus:platform',
          'read secret:stripe-webhook',
          'send email:welcome',
          'read media:derived/*',
          'list data:raw/*',
        ],
      }),
    ).toEqual(['data', 'media']);
  });
});

describe('lambdaEnvironment parameters', () => {
  it('gives <PATH>_PARAM_NAME for each exact read param:<path> under the parameter root', () => {
    // Prepare
    const manifest = parseManifest(
      {
        name: 'glue',
        domain: 'users',
        description: 'x',
        memory: 256,
        timeout: 10,
        permissions: ['read param:users/service-url', 'read param:users/flags/*'],
      },
      'apps/glue/lambda.manifest.json',
    );

    // Act
    const environment = lambdaEnvironment(manifest, {
      environment: 'dev',
      buckets: {},
      parameterRoot: '/slipway/dev',
    });

    // Assess: the wildcard grant names no single parameter, so it gets no variable.
    expect(environment).toEqual({
      USERS_SERVICE_URL_PARAM_NAME: '/slipway/dev/users/service-url',
      POWERTOOLS_SERVICE_NAME: 'glue',
      POWERTOOLS_METRICS_NAMESPACE: 'Slipway/users',
      SLIPWAY_ENVIRONMENT: 'dev',
    });
  });
});
