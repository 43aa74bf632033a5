import { compilePermissions, PermissionIntentError, type ResourceCatalog } from '../../src';

const catalog: ResourceCatalog = {
  environment: 'dev',
  partition: 'aws',
  region: 'eu-west-1',
  accountId: '123456789012',
  buckets: { media: 'slipway-dev-media-123456789012', data: 'slipway-dev-data-123456789012' },
  buses: { platform: 'slipway-dev-platform' },
  tables: { 'edge-idempotency': 'slipway-dev-edge-idempotency' },
  emailTemplates: { welcome: 'slipway-dev-welcome' },
  email: { fromAddress: 'no-reply@dev.slipway.example', identity: 'dev.slipway.example' },
  parameterRoot: '/slipway/dev',
  secretPrefix: 'slipway/dev',
};

describe('compilePermissions', () => {
  it('compiles bucket, bus and parameter intents to scoped ARNs', () => {
    const statements = compilePermissions(
      [
        'read media:uploads/*',
        'write media:derived/*',
        'publish bus:platform',
        'read param:media/api-key',
      ],
      catalog,
    );

    expect(statements).toEqual([
      {
        sid: 'EventsPublish',
        actions: ['events:PutEvents'],
        resources: ['arn:aws:events:eu-west-1:123456789012:event-bus/slipway-dev-platform'],
      },
      {
        sid: 'S3Read',
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: ['arn:aws:s3:::slipway-dev-media-123456789012/uploads/*'],
      },
      {
        sid: 'S3Write',
        actions: ['s3:PutObject'],
        resources: ['arn:aws:s3:::slipway-dev-media-123456789012/derived/*'],
      },
      {
        sid: 'SsmRead',
        actions: ['ssm:GetParameter', 'ssm:GetParameters'],
        resources: ['arn:aws:ssm:eu-west-1:123456789012:parameter/slipway/dev/media/api-key'],
      },
    ]);
  });

  it('compiles read secret:<name> to GetSecretValue on that one secret of the environment', () => {
    expect(compilePermissions(['read secret:stripe-webhook'], catalog)).toEqual([
      {
        sid: 'SecretsRead',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [
          'arn:aws:secretsmanager:eu-west-1:123456789012:secret:slipway/dev/stripe-webhook-??????',
        ],
      },
    ]);
  });

  it('compiles read and write table:<name> to item actions on that table (reads also on its indexes)', () => {
    expect(
      compilePermissions(['write table:edge-idempotency', 'read table:edge-idempotency'], catalog),
    ).toEqual([
      {
        sid: 'DynamoDbRead',
        actions: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query'],
        resources: [
          'arn:aws:dynamodb:eu-west-1:123456789012:table/slipway-dev-edge-idempotency',
          'arn:aws:dynamodb:eu-west-1:123456789012:table/slipway-dev-edge-idempotency/index/*',
        ],
      },
      {
        sid: 'DynamoDbWrite',
        actions: [
          'dynamodb:BatchWriteItem',
          'dynamodb:ConditionCheckItem',
          'dynamodb:DeleteItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
        ],
        resources: ['arn:aws:dynamodb:eu-west-1:123456789012:table/slipway-dev-edge-idempotency'],
      },
    ]);
  });

  it('compiles send email:<template> to SendEmail on the sender identity and that template, From pinned', () => {
    expect(compilePermissions(['send email:welcome'], catalog)).toEqual([
      {
        sid: 'SesSendEmail',
        actions: ['ses:SendEmail'],
        resources: [
          'arn:aws:ses:eu-west-1:123456789012:identity/dev.slipway.example',
          'arn:aws:ses:eu-west-1:123456789012:template/slipway-dev-welcome',
        ],
        conditions: [
          {
            test: 'StringEquals',
            variable: 'ses:FromAddress',
            values: ['no-reply@dev.slipway.example'],
          },
        ],
      },
    ]);
  });

  it('refuses send email: in an environment without email settings, saying where to add them', () => {
    // Prepare: the catalog of an environment whose environments.json entry has no "email".
    const { email: _email, ...withoutEmail } = catalog;

    // Act
    const act = () => compilePermissions(['send email:welcome'], withoutEmail);

    // Assess
    expect(act).toThrow(
      new PermissionIntentError(
        '"send email:welcome": environment dev has no email settings: add "email": { "fromAddress": "...", "identity": "..." } to environments.dev in terraform/stacks/environments.json (the sender address and its verified SES identity).',
      ),
    );
  });

  it('never produces a bare * action or resource', () => {
    const statements = compilePermissions(
      ['read media:*', 'list media:*', 'delete data:tmp/*'],
      catalog,
    );

    for (const s of statements) {
      expect(s.actions.every((a) => a !== '*' && !a.endsWith(':*'))).toBe(true);
      expect(s.resources.every((r) => r !== '*')).toBe(true);
    }
  });

  it('merges resources of the same verb and keeps list prefixes per bucket', () => {
    const statements = compilePermissions(
      ['read media:uploads/*', 'read data:raw/*', 'list media:uploads/', 'list data:raw/'],
      catalog,
    );

    expect(statements.find((s) => s.sid === 'S3Read')?.resources).toHaveLength(2);
    expect(statements.find((s) => s.sid === 'S3ListMedia')).toEqual({
      sid: 'S3ListMedia',
      actions: ['s3:ListBucket'],
      resources: ['arn:aws:s3:::slipway-dev-media-123456789012'],
      conditions: [{ test: 'StringLike', variable: 's3:prefix', values: ['uploads/'] }],
    });
  });

  it.each([
    ['read nope:uploads/*', /no bucket "nope".*declared: media, data/],
    ['publish bus:missing', /no event bus "missing"/],
    ['fly media:uploads/*', /unknown verb "fly".*read <bucket>:<key-prefix>/],
    ['write bus:platform', /"write" is not a verb for bus/],
    ['read media:', /give a key prefix/],
    ['read media:up loads', /is not a permission intent/],
    ['read media:uploads/<x>', /not a key prefix pattern/],
    ['read param:/abs/path', /relative to \/slipway\/dev/],
    ['readmedia', /is not a permission intent/],
    ['read secret:', /name the secret after the colon/],
    [
      'read secret:Stripe_Webhook',
      /"Stripe_Webhook" is not a secret name.*slipway\/dev\/stripe-webhook/,
    ],
    ['read secret:slipway/dev/stripe-webhook', /is not a secret name/],
    ['write secret:stripe-webhook', /"write" is not a verb for secret: use "read secret:<name>"/],
    ['write table:sessions', /no table "sessions" is declared.*declared: edge-idempotency/],
    [
      'delete table:edge-idempotency',
      /"delete" is not a verb for table: use "read table:<name>" or "write table:<name>"/,
    ],
    [
      'send email:goodbye',
      /^"send email:goodbye": no email template "goodbye" is declared \(declared: welcome\)\. Declare it in EMAIL_TEMPLATES \(libs\/manifest\/src\/emails\.ts\) or fix the name\.$/,
    ],
    ['read email:welcome', /"read" is not a verb for email: use "send email:<name>"/],
  ])('rejects %p with a fix', (intent, message) => {
    expect(() => compilePermissions([intent], catalog)).toThrow(PermissionIntentError);
    expect(() => compilePermissions([intent], catalog)).toThrow(message);
  });
});
