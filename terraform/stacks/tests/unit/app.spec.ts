import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, copyLockFile, LOCK_FILE } from '../../src/app';
import {
  InvalidPackageError,
  MissingLockFileError,
  MissingPackageError,
  StacksConfigError,
  UnknownReferenceError,
} from '../../src/errors';

import { InvalidRoutesError } from '@slipway/manifest';

const REPO = join(__dirname, '../../../..');

/** Every workspace a test made, removed after the suite whatever its outcome. */
const workspaces: string[] = [];
afterAll(() => {
  for (const root of workspaces) rmSync(root, { recursive: true, force: true });
});

/** A workspace with the real environments.json and one Lambda whose manifest the test may break. */
function workspace(manifest: Record<string, unknown> = {}, withZip = true): string {
  const root = mkdtempSync(join(tmpdir(), 'stacks-spec-'));
  workspaces.push(root);
  mkdirSync(join(root, 'terraform/stacks'), { recursive: true });
  cpSync(
    join(REPO, 'terraform/stacks/environments.json'),
    join(root, 'terraform/stacks/environments.json'),
  );
  mkdirSync(join(root, 'apps/thumbs'), { recursive: true });
  writeFileSync(
    join(root, 'apps/thumbs/lambda.manifest.json'),
    JSON.stringify({
      name: 'thumbs',
      domain: 'media',
      description: 'Makes thumbnails.',
      memory: 1024,
      timeout: 60,
      permissions: ['read media:uploads/*', 'write media:derived/*'],
      ...manifest,
    }),
  );
  // The media and etl flows reference these functions: give each a manifest and a package.
  for (const name of [
    'media-validate',
    'media-thumbnails',
    'media-metadata',
    'media-probe',
    'media-poster',
    'media-finalize',
    'media-quarantine',
    'etl-list-partitions',
    'etl-transform',
    'etl-aggregate',
    'etl-publish',
    'etl-reconcile',
  ]) {
    mkdirSync(join(root, 'apps', name), { recursive: true });
    writeFileSync(
      join(root, 'apps', name, 'lambda.manifest.json'),
      JSON.stringify({
        name,
        domain: name.split('-')[0],
        description: 'x',
        memory: 256,
        timeout: 10,
        ...(name === 'etl-transform'
          ? {
              alarms: {
                ratios: [
                  {
                    name: 'rejected-rows',
                    numerator: 'RowsRejected',
                    denominator: 'RowsInput',
                    threshold: 0.05,
                  },
                ],
              },
            }
          : {}),
      }),
    );
    mkdirSync(join(root, 'dist/apps', name), { recursive: true });
    writeFileSync(join(root, 'dist/apps', name, `${name}.zip`), 'zip');
    writeFileSync(
      join(root, 'dist/apps', name, `${name}.zip.sha256`),
      'q1MKE+RZFJgrefm34/uplM/R8/si9xzqGvvwK0YMbR0=',
    );
  }
  if (withZip) {
    mkdirSync(join(root, 'dist/apps/thumbs'), { recursive: true });
    writeFileSync(join(root, 'dist/apps/thumbs/thumbs.zip'), 'zip');
    writeFileSync(
      join(root, 'dist/apps/thumbs/thumbs.zip.sha256'),
      'q1MKE+RZFJgrefm34/uplM/R8/si9xzqGvvwK0YMbR0=',
    );
  }
  return root;
}

// Synthesized Terraform JSON is deeply dynamic; the assertions below pin its shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- cdk.tf.json has no static type
type TfJson = Record<string, any>;

function synth(root: string): { stacks: string[]; read: (stack: string) => TfJson } {
  const outdir = join(root, 'out');
  const { app, stacks } = buildApp(root, outdir);
  app.synth();
  return {
    stacks,
    read: (stack) => JSON.parse(readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')),
  };
}

describe('stacks app', () => {
  it('makes one stack per domain and environment, from the manifests, the domains and the tables', () => {
    const { stacks } = synth(workspace());

    // edge has no Lambda in this workspace: its stack holds the edge's table (libs/manifest TABLES).
    expect(stacks).toEqual([
      'edge-dev',
      'etl-dev',
      'media-dev',
      'platform-dev',
      'edge-staging',
      'etl-staging',
      'media-staging',
      'platform-staging',
      'edge-prod',
      'etl-prod',
      'media-prod',
      'platform-prod',
    ]);
  });

  it('gives each event trigger an event-rule on its bus, delivering to the function with its retry policy', () => {
    const { read } = synth(
      workspace({
        triggers: [
          {
            type: 'event',
            bus: 'platform',
            pattern: { source: ['slipway.media'], 'detail-type': ['MediaProcessed'] },
            retry: { maximumEventAgeSeconds: 600, maximumAttempts: 2 },
          },
        ],
      }),
    );

    const { '//': _metadata, ...rule } = read('media-dev').module.lambda_thumbs_event_1;
    expect(rule).toEqual({
      source: '../../../../modules/event-rule',
      depends_on: ['module.lambda_thumbs'],
      name: 'slipway-dev-thumbs-1',
      description: 'thumbs: Makes thumbnails.',
      event_bus_name: 'slipway-dev-platform',
      event_pattern: '{"source":["slipway.media"],"detail-type":["MediaProcessed"]}',
      function_arn: 'arn:aws:lambda:eu-west-1:111111111111:function:slipway-dev-thumbs',
      function_name: 'slipway-dev-thumbs',
      maximum_event_age_in_seconds: 600,
      maximum_retry_attempts: 2,
      account_id: '111111111111',
      tags: { function: 'thumbs' },
    });
  });

  it('stops on an event trigger on an undeclared bus, naming the manifest, the field and the declared buses', () => {
    const root = workspace({
      triggers: [{ type: 'event', bus: 'sessions', pattern: { source: ['slipway.sessions'] } }],
    });

    expect(() => synth(root)).toThrow(UnknownReferenceError);
    expect(() => synth(root)).toThrow(
      'apps/thumbs/lambda.manifest.json: triggers.0.bus: no event bus "sessions" is declared for environment dev (declared: platform). Declare it in a domain under terraform/stacks/src/domains/ or fix the name.',
    );
  });

  it("deploys each table in its domain's stack, with deletion protection only under strict (prod)", () => {
    const { read } = synth(workspace());

    const table = (stack: string) => read(stack).module.table_edge_idempotency;
    const { '//': _metadata, ...dev } = table('edge-dev');
    expect(dev).toEqual({
      source: '../../../../modules/table',
      table_name: 'slipway-dev-edge-idempotency',
      hash_key: 'id',
      hash_key_type: 'S',
      ttl_attribute: 'expiration',
      deletion_protection: false,
      tags: {
        table: 'edge-idempotency',
        purpose:
          'Powertools Idempotency records of the edge Lambdas: a Stripe event id is published once',
      },
    });
    expect([
      table('edge-staging').deletion_protection,
      table('edge-prod').deletion_protection,
    ]).toEqual([false, true]);
    expect(read('media-dev').module.table_edge_idempotency).toBeUndefined();
  });

  it('deploys the etl flow on its schedule, with the data bucket and the rejected-row ratio alarm', () => {
    const { read } = synth(workspace());

    const etl = read('etl-dev').module;
    expect(etl.flow_etl_schedule).toMatchObject({
      source: '../../../../modules/schedule',
      name: 'slipway-dev-etl-schedule',
      schedule_expression: 'cron(30 2 * * ? *)',
      timezone: 'Europe/Paris',
      input: JSON.stringify({ scheduledTime: '<aws.scheduler.scheduled-time>' }),
      state_machine_arn: 'arn:aws:states:eu-west-1:111111111111:stateMachine:slipway-dev-etl',
      account_id: '111111111111',
    });
    expect(etl.flow_etl_trigger).toBeUndefined();
    expect(etl.bucket_data.bucket_name).toBe('slipway-dev-data-111111111111');
    expect(etl.bucket_data.lifecycle_rules.map((r: { id: string }) => r.id)).toEqual([
      'abort-multipart',
      'expire-raw',
      'expire-staging',
      'expire-quarantine',
      'expire-noncurrent',
    ]);
    expect(etl.lambda_etl_list_partitions.ephemeral_storage_size).toBe(512);
    expect(etl.lambda_etl_transform).toMatchObject({
      metrics_namespace: 'Slipway/etl',
      service_name: 'etl-transform',
      metric_ratio_alarms: [
        {
          name: 'rejected-rows',
          numerator: 'RowsRejected',
          denominator: 'RowsInput',
          threshold: 0.05,
          period_seconds: 3600,
        },
      ],
    });
    expect(JSON.parse(etl.flow_etl.definition).States.TransformObjects.Type).toBe('Map');
  });

  it('deploys the media flow: the ASL with ARNs known at plan time, its MediaConvert role and its S3 trigger', () => {
    const { read } = synth(workspace());

    const media = read('media-dev').module;
    const definition = JSON.parse(media.flow_media.definition);
    expect(media.flow_media).toMatchObject({
      source: '../../../../modules/state-machine',
      name: 'slipway-dev-media',
      mediaconvert_role_arns: ['arn:aws:iam::111111111111:role/slipway-dev-media-mediaconvert'],
      event_bus_arns: ['arn:aws:events:eu-west-1:111111111111:event-bus/slipway-dev-platform'],
    });
    expect(definition.States.Validate.Parameters.FunctionName).toBe(
      'arn:aws:lambda:eu-west-1:111111111111:function:slipway-dev-media-validate',
    );
    expect(JSON.stringify(definition)).not.toContain('slipway:');
    expect(JSON.parse(media.flow_media_trigger.event_pattern).detail).toEqual({
      bucket: { name: ['slipway-dev-media-111111111111'] },
      object: { key: [{ prefix: 'uploads/' }] },
    });
    expect(media.flow_media_trigger.state_machine_arn).toBe(
      'arn:aws:states:eu-west-1:111111111111:stateMachine:slipway-dev-media',
    );
    expect(media.flow_media_trigger.depends_on).toEqual(['module.flow_media']);
    expect(read('platform-dev').module.bus_platform).toMatchObject({
      name: 'slipway-dev-platform',
    });
  });

  it('derives the function, its least-privilege policy and its environment from the manifest', () => {
    const { read } = synth(workspace());

    const stack = read('media-dev');
    const fn = stack.module.lambda_thumbs;
    expect(fn).toMatchObject({
      source: '../../../../modules/lambda-function',
      function_name: 'slipway-dev-thumbs',
      memory_size: 1024,
      timeout: 60,
      architecture: 'arm64',
      runtime: 'nodejs22.x',
      handler: 'handler.handler',
      s3_bucket: 'slipway-artifacts-111111111111',
      s3_key: 'dev/thumbs/ab530a13e45914982b79f9b7e3fba994cfd1f3fb22f71cea1afbf02b460c6d1d.zip',
      source_code_hash: 'q1MKE+RZFJgrefm34/uplM/R8/si9xzqGvvwK0YMbR0=',
      reserved_concurrent_executions: -1,
      log_retention_in_days: 30,
      account_id: '111111111111',
      permissions_boundary_arn:
        'arn:aws:iam::111111111111:policy/slipway/bootstrap/slipway-dev-workload-boundary',
    });
    expect(fn.policy_statements).toEqual([
      {
        sid: 'S3Read',
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: ['arn:aws:s3:::slipway-dev-media-111111111111/uploads/*'],
      },
      {
        sid: 'S3Write',
        actions: ['s3:PutObject'],
        resources: ['arn:aws:s3:::slipway-dev-media-111111111111/derived/*'],
      },
    ]);
    expect(fn.environment_variables).toMatchObject({
      BUCKET_MEDIA: 'slipway-dev-media-111111111111',
      POWERTOOLS_SERVICE_NAME: 'thumbs',
      SLIPWAY_ENVIRONMENT: 'dev',
    });
    expect(stack.module.bucket_media).toMatchObject({
      bucket_name: 'slipway-dev-media-111111111111',
      eventbridge_notifications: true,
    });
  });

  it("uses an S3 backend with native locking per environment, encrypted with the environment's key, and tags every resource", () => {
    const { read } = synth(workspace());

    const prod = read('media-prod');
    expect(prod.terraform.backend.s3).toEqual({
      bucket: 'slipway-tfstate-333333333333',
      key: 'prod/media-prod.tfstate',
      region: 'eu-west-1',
      encrypt: true,
      kms_key_id: 'arn:aws:kms:eu-west-1:333333333333:alias/slipway-prod-delivery',
      use_lockfile: true,
    });
    expect(read('etl-dev').terraform.backend.s3.kms_key_id).toBe(
      'arn:aws:kms:eu-west-1:111111111111:alias/slipway-dev-delivery',
    );
    expect(prod.provider.aws[0].allowed_account_ids).toEqual(['333333333333']);
    expect(prod.provider.aws[0].default_tags[0].tags).toEqual({
      project: 'slipway',
      environment: 'prod',
      owner: 'platform-team',
      'cost-center': 'cc-platform',
      'managed-by': 'terraform',
      domain: 'media',
    });
  });

  it('raises log retention to the environment floor and turns on S3 access logs where asked (prod)', () => {
    const { read } = synth(workspace({ logRetentionDays: 90 }));

    const prod = read('media-prod').module;
    const dev = read('media-dev').module;
    expect(prod.lambda_thumbs.log_retention_in_days).toBe(365);
    expect(prod.flow_media.log_retention_in_days).toBe(365);
    expect(prod.bucket_media.access_log_bucket).toBe('slipway-accesslogs-333333333333');
    expect(dev.lambda_thumbs.log_retention_in_days).toBe(90);
    expect(dev.flow_media.log_retention_in_days).toBe(30);
    expect(dev.bucket_media.access_log_bucket).toBeUndefined();
  });

  it('refuses a retention floor CloudWatch Logs does not accept', () => {
    const root = workspace();
    const file = join(root, 'terraform/stacks/environments.json');
    const config = JSON.parse(readFileSync(file, 'utf8'));
    config.environments.prod.minLogRetentionDays = 100;
    writeFileSync(file, JSON.stringify(config));

    expect(() => synth(root)).toThrow(
      /environments\.prod\.minLogRetentionDays: must be a retention CloudWatch Logs accepts: 1, 3, .*365/,
    );
  });

  it('stops on a missing zip with the path and the command that builds it', () => {
    expect(() => synth(workspace({}, false))).toThrow(MissingPackageError);
    expect(() => synth(workspace({}, false))).toThrow(
      'dist/apps/thumbs/thumbs.zip is missing: package the Lambda first (npx nx run thumbs:package',
    );
  });

  it("references each environment's zip by content in that account's artifact bucket", () => {
    const { read } = synth(workspace());

    expect(read('media-prod').module.lambda_thumbs).toMatchObject({
      s3_bucket: 'slipway-artifacts-333333333333',
      s3_key: 'prod/thumbs/ab530a13e45914982b79f9b7e3fba994cfd1f3fb22f71cea1afbf02b460c6d1d.zip',
      source_code_hash: 'q1MKE+RZFJgrefm34/uplM/R8/si9xzqGvvwK0YMbR0=',
    });
    expect(read('media-prod').module.lambda_thumbs.filename).toBeUndefined();
  });

  it('stops on a sha256 file that holds no base64 SHA-256, naming the file', () => {
    const root = workspace();
    writeFileSync(join(root, 'dist/apps/thumbs/thumbs.zip.sha256'), 'not-a-hash\n');

    expect(() => synth(root)).toThrow(InvalidPackageError);
    expect(() => synth(root)).toThrow(
      'dist/apps/thumbs/thumbs.zip.sha256: "not-a-hash" is not a base64 SHA-256',
    );
  });

  it('stops on a permission to a bucket no domain declares, naming the manifest', () => {
    const root = workspace({ permissions: ['read photos:uploads/*'] });

    expect(() => synth(root)).toThrow(UnknownReferenceError);
    expect(() => synth(root)).toThrow(
      'apps/thumbs/lambda.manifest.json: permissions: "read photos:uploads/*": no bucket "photos" is declared for environment dev',
    );
  });

  it('stops on HTTP routes that do not form one API, naming the manifest and the field', () => {
    const root = workspace({
      triggers: [
        {
          type: 'http',
          method: 'GET',
          path: '/thumbs/{id}',
          auth: { type: 'public', reason: 'thumbnails are public' },
          response: 'NoSuchSchema',
        },
      ],
    });
    let caught: unknown;
    try {
      synth(root);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidRoutesError);
    expect((caught as InvalidRoutesError).problems.map((p) => [p.file, p.field])).toEqual([
      ['apps/thumbs/lambda.manifest.json', 'triggers.0.response'],
    ]);
  });

  it('stops on a broken manifest naming the file and the field', () => {
    expect(() => synth(workspace({ memory: 99999 }))).toThrow(
      'apps/thumbs/lambda.manifest.json: invalid Lambda manifest\n  - memory = 99999: must be a whole number from 128 to 10240 (MB)',
    );
  });

  it('stops on a malformed environments.json naming the field', () => {
    const root = workspace();
    const file = join(root, 'terraform/stacks/environments.json');
    const config = JSON.parse(readFileSync(file, 'utf8'));
    config.environments.dev.accountId = '1234';
    writeFileSync(file, JSON.stringify(config));

    expect(() => synth(root)).toThrow(StacksConfigError);
    expect(() => synth(root)).toThrow(
      'environments.dev.accountId: must be the 12-digit AWS account id',
    );
  });

  it('puts the committed provider lock file into every synthesized stack folder', () => {
    const root = workspace();
    const committed = readFileSync(join(REPO, 'terraform/stacks', LOCK_FILE), 'utf8');
    writeFileSync(join(root, 'terraform/stacks', LOCK_FILE), committed);
    const outdir = join(root, 'out');
    const { app, stacks } = buildApp(root, outdir);
    app.synth();

    copyLockFile(root, outdir, stacks);

    expect(committed).toContain('version     = "5.100.0"');
    for (const stack of stacks) {
      expect(readFileSync(join(outdir, 'stacks', stack, LOCK_FILE), 'utf8')).toBe(committed);
    }
    expect(stacks).toHaveLength(12);
  });

  it('stops when the lock file is missing, naming the file and how to recreate it', () => {
    const root = workspace();
    const outdir = join(root, 'out');
    const { app, stacks } = buildApp(root, outdir);
    app.synth();

    expect(() => copyLockFile(root, outdir, stacks)).toThrow(MissingLockFileError);
    expect(() => copyLockFile(root, outdir, stacks)).toThrow(
      `${join(root, 'terraform/stacks', LOCK_FILE)} is missing: restore it from git, or recreate it with terraform providers lock -platform=linux_amd64`,
    );
  });
});
