import { readFileSync, writeFileSync } from 'node:fs';
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

import { REPO, synth, workspace } from '../support/workspace';

describe('stacks app', () => {
  it('makes one stack per domain and environment, from the manifests, the domains and the tables', () => {
    const { stacks } = synth(workspace());

    // edge has no Lambda in this workspace: its stack holds the edge's table (libs/manifest TABLES).
    // jobs too: its tables and its email template.
    expect(stacks).toEqual([
      'edge-dev',
      'etl-dev',
      'jobs-dev',
      'media-dev',
      'platform-dev',
      'edge-staging',
      'etl-staging',
      'jobs-staging',
      'media-staging',
      'platform-staging',
      'edge-prod',
      'etl-prod',
      'jobs-prod',
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
      // Every alarm pages the environment's topic and links its section of the domain's runbook.
      alarm_actions: ['arn:aws:sns:eu-west-1:111111111111:slipway-dev-alarms'],
      runbook: 'docs/runbooks/media.md',
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

  it('gives each schedule trigger a schedule invoking the function, and the function its async settings and on-failure queue', () => {
    // Prepare
    const root = workspace({
      triggers: [
        {
          type: 'schedule',
          name: 'nightly',
          expression: 'cron(30 2 * * ? *)',
          timezone: 'Europe/Paris',
          input: { kind: 'nightly' },
          flexibleWindowMinutes: 10,
          retry: { maximumEventAgeSeconds: 600, maximumAttempts: 1 },
        },
      ],
      async: { maximumRetryAttempts: 0 },
    });

    // Act
    const stack = synth(root).read('media-dev');

    // Assess
    const { '//': _metadata, ...schedule } = stack.module.lambda_thumbs_schedule_nightly;
    expect(schedule).toEqual({
      source: '../../../../modules/schedule',
      depends_on: ['module.lambda_thumbs'],
      name: 'slipway-dev-thumbs-nightly',
      description: 'Invokes slipway-dev-thumbs (schedule "nightly" of apps/thumbs).',
      schedule_expression: 'cron(30 2 * * ? *)',
      timezone: 'Europe/Paris',
      input: '{"kind":"nightly"}',
      flexible_window_minutes: 10,
      function_arn: 'arn:aws:lambda:eu-west-1:111111111111:function:slipway-dev-thumbs',
      maximum_retry_attempts: 1,
      maximum_event_age_in_seconds: 600,
      account_id: '111111111111',
      permissions_boundary_arn:
        'arn:aws:iam::111111111111:policy/slipway/bootstrap/slipway-dev-workload-boundary',
      tags: { function: 'thumbs', schedule: 'nightly' },
      alarm_actions: ['arn:aws:sns:eu-west-1:111111111111:slipway-dev-alarms'],
      runbook: 'docs/runbooks/media.md',
    });
    expect(stack.module.lambda_thumbs.async_invocation).toEqual({
      maximum_retry_attempts: 0,
      maximum_event_age_in_seconds: 21600,
    });
  });

  it('leaves a function nothing invokes asynchronously without async settings', () => {
    const stack = synth(workspace()).read('media-dev');

    expect(Object.keys(stack.module.lambda_thumbs)).not.toContain('async_invocation');
    expect(stack.module.lambda_thumbs.function_name).toBe('slipway-dev-thumbs');
  });

  it("stops on a schedule whose name would exceed Scheduler's 64 characters, naming the manifest and the field", () => {
    const root = workspace({
      triggers: [
        {
          type: 'schedule',
          name: 'every-hour-of-every-day-of-every-week-of-the-year',
          expression: 'rate(1 hour)',
          timezone: 'UTC',
        },
      ],
    });

    expect(() => synth(root)).toThrow(UnknownReferenceError);
    expect(() => synth(root)).toThrow(
      "apps/thumbs/lambda.manifest.json: triggers.0.name: the schedule \"every-hour-of-every-day-of-every-week-of-the-year\" of thumbs would be named slipway-dev-thumbs-every-hour-of-every-day-of-every-week-of-the-year (68 characters), over Scheduler's 64: shorten the schedule's name or the Lambda's.",
    );
  });

  it('grants send email:<template> on the sender identity and the template, From pinned, with EMAIL_FROM and EMAIL_TEMPLATE_<NAME>', () => {
    // Prepare
    const root = workspace({ permissions: ['send email:welcome'] });

    // Act
    const { read } = synth(root);

    // Assess
    const fn = read('media-dev').module.lambda_thumbs;
    expect(fn.policy_statements).toEqual([
      {
        sid: 'SesSendEmail',
        actions: ['ses:SendEmail'],
        resources: [
          'arn:aws:ses:eu-west-1:111111111111:identity/dev.slipway.example',
          'arn:aws:ses:eu-west-1:111111111111:template/slipway-dev-welcome',
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
    expect(fn.environment_variables).toMatchObject({
      EMAIL_FROM: 'no-reply@dev.slipway.example',
      EMAIL_TEMPLATE_WELCOME: 'slipway-dev-welcome',
    });
    expect(read('media-prod').module.lambda_thumbs.environment_variables).toMatchObject({
      EMAIL_FROM: 'no-reply@slipway.example',
      EMAIL_TEMPLATE_WELCOME: 'slipway-prod-welcome',
    });
  });

  it('stops on send email: in an environment without email settings, naming the manifest, the field and what to add', () => {
    // Prepare: the real environments.json with staging's email block removed.
    const root = workspace({ permissions: ['read media:uploads/*', 'send email:welcome'] });
    const file = join(root, 'terraform/stacks/environments.json');
    const config = JSON.parse(readFileSync(file, 'utf8'));
    delete config.environments.staging.email;
    writeFileSync(file, JSON.stringify(config));

    // Act
    const act = () => synth(root);

    // Assess
    expect(act).toThrow(UnknownReferenceError);
    expect(act).toThrow(
      'apps/thumbs/lambda.manifest.json: permissions.1: "send email:welcome": environment staging has no email settings: add "email": { "fromAddress": "...", "identity": "..." } to environments.staging in terraform/stacks/environments.json (the sender address and its verified SES identity).',
    );
  });

  it.each([
    [
      'an identity that is not the address or its domain',
      { fromAddress: 'no-reply@dev.slipway.example', identity: 'other.example' },
      'environments.dev.email.identity: must be the address no-reply@dev.slipway.example or its domain dev.slipway.example (or a parent domain of it): SES sends no-reply@dev.slipway.example as that identity only',
    ],
    [
      'a sender that is not an address',
      { fromAddress: 'no-reply' },
      'environments.dev.email.fromAddress: must be the sender email address, e.g. no-reply@dev.example.com (lowercase domain)',
    ],
  ])('refuses email settings with %s, naming the field', (_label, email, message) => {
    const root = workspace();
    const file = join(root, 'terraform/stacks/environments.json');
    const config = JSON.parse(readFileSync(file, 'utf8'));
    config.environments.dev.email = email;
    writeFileSync(file, JSON.stringify(config));

    expect(() => synth(root)).toThrow(StacksConfigError);
    expect(() => synth(root)).toThrow(message);
  });

  it("deploys the jobs tables (the sessions' by-start-hour index) and the welcome template in the jobs stack", () => {
    // Act
    const { read } = synth(workspace());

    // Assess
    const jobs = read('jobs-dev').module;
    const { '//': _t, ...sessions } = jobs.table_sessions;
    expect(sessions).toEqual({
      source: '../../../../modules/table',
      table_name: 'slipway-dev-sessions',
      hash_key: 'sessionId',
      hash_key_type: 'S',
      global_secondary_indexes: [
        {
          name: 'by-start-hour',
          hash_key: 'startHour',
          hash_key_type: 'S',
          range_key: 'startsAt',
          range_key_type: 'S',
          projection_type: 'ALL',
        },
      ],
      deletion_protection: false,
      tags: {
        table: 'sessions',
        purpose: 'Booked learning sessions: the reminder job queries the next hour by start hour',
      },
      alarm_actions: ['arn:aws:sns:eu-west-1:111111111111:slipway-dev-alarms'],
      runbook: 'docs/runbooks/jobs.md',
    });
    expect(jobs.table_jobs_idempotency.ttl_attribute).toBe('expiration');
    const { '//': _e, ...template } = jobs.email_template_welcome;
    const file = JSON.parse(readFileSync(join(REPO, 'libs/jobs/emails/welcome.json'), 'utf8'));
    expect(template).toEqual({
      source: '../../../../modules/email-template',
      name: 'slipway-dev-welcome',
      subject: file.subject,
      text: file.text,
      html: file.html,
      account_id: '111111111111',
    });
    expect(read('media-dev').module.email_template_welcome).toBeUndefined();
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
      alarm_actions: ['arn:aws:sns:eu-west-1:111111111111:slipway-dev-alarms'],
      runbook: 'docs/runbooks/edge.md',
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

  it("grants the etl flow's Distributed Map its child executions and the data bucket's run area, and nothing to media", () => {
    const { read } = synth(workspace());

    const etl = read('etl-dev').module.flow_etl;
    expect({
      states: etl.distributed_map_states,
      reads: etl.item_reader_object_arns,
      writes: etl.result_writer_object_arns,
    }).toEqual({
      states: ['TransformObjects'],
      reads: ['arn:aws:s3:::slipway-dev-data-111111111111/staging/_runs/*'],
      writes: ['arn:aws:s3:::slipway-dev-data-111111111111/staging/_runs/*'],
    });
    expect(
      JSON.parse(etl.definition).States.TransformObjects.ItemProcessor.ProcessorConfig,
    ).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' });
    const media = read('media-dev').module.flow_media;
    expect(
      ['distributed_map_states', 'item_reader_object_arns', 'result_writer_object_arns'].filter(
        (v) => v in media,
      ),
    ).toEqual([]);
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
      'apps/thumbs/lambda.manifest.json: permissions.0: "read photos:uploads/*": no bucket "photos" is declared for environment dev',
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
    expect(stacks).toHaveLength(15);
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
