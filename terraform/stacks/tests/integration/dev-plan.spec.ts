/**
 * Reads the offline plan of every dev stack (dist/terraform/plans/dev, written by
 * `nx run stacks:plan:dev`, which this target depends on) and checks what platform engineers
 * and governance rely on: every Lambda of apps/ is planned with active tracing, a log group
 * with retention, and a role policy that is known at plan time and least-privilege.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  artifactKey,
  graphqlResolvers,
  parseManifest,
  TABLES,
  wildcardProblems,
} from '@slipway/manifest';
import { DOMAINS } from '../../src/domains';

const REPO = join(__dirname, '../../../..');
const PLANS = join(REPO, 'dist/terraform/plans/dev');

/** The parts of `terraform show -json` resource changes this test reads. */
interface ResourceChange {
  address: string;
  type: string;
  change: {
    actions: string[];
    after: { [key: string]: unknown; name?: string; function_name?: string; policy?: string };
    after_unknown: Record<string, unknown>;
  };
}

const changes: ResourceChange[] = existsSync(PLANS)
  ? readdirSync(PLANS)
      .filter((f) => f.endsWith('.json') && f !== 'summary.json')
      .flatMap((f) => JSON.parse(readFileSync(join(PLANS, f), 'utf8')).resource_changes ?? [])
  : [];
const ofType = (type: string) => changes.filter((c) => c.type === type);
const lambdaNames = readdirSync(join(REPO, 'apps')).filter((a) =>
  existsSync(join(REPO, 'apps', a, 'lambda.manifest.json')),
);

describe('dev plan', () => {
  it('exists (run npx nx run stacks:plan:dev)', () => {
    expect(changes.length).toBeGreaterThan(0);
  });

  it('plans every Lambda in apps/ with active X-Ray tracing', () => {
    const functions = ofType('aws_lambda_function');

    expect(functions.map((f) => f.change.after.function_name).sort()).toEqual(
      lambdaNames.map((n) => `slipway-dev-${n}`).sort(),
    );
    for (const fn of functions) {
      expect(fn.change.after.tracing_config).toEqual([{ mode: 'Active' }]);
    }
  });

  it("plans every Lambda's code from the artifact bucket, keyed by the sha256 of its packaged zip", () => {
    const functions = ofType('aws_lambda_function');

    for (const name of lambdaNames) {
      const fn = functions.find((f) => f.change.after.function_name === `slipway-dev-${name}`);
      const sha256 = readFileSync(
        join(REPO, 'dist/apps', name, `${name}.zip.sha256`),
        'utf8',
      ).trim();
      expect({ name, ...fn?.change.after }).toMatchObject({
        name,
        filename: null,
        s3_bucket: 'slipway-artifacts-111111111111',
        s3_key: artifactKey('dev', name, sha256),
        source_code_hash: sha256,
      });
    }
  });

  it('gives every Lambda its own log group with a retention period', () => {
    const groups = ofType('aws_cloudwatch_log_group').map((g) => g.change.after);

    for (const name of lambdaNames) {
      const group = groups.find((g) => g.name === `/aws/lambda/slipway-dev-${name}`);
      expect(group).toBeDefined();
      expect(group!.retention_in_days).toEqual(expect.any(Number));
      expect(group!.retention_in_days).toBeGreaterThan(0);
    }
  });

  it('knows every IAM policy at plan time and none has * in Action or Resource beyond what AWS requires', () => {
    const policies = [...ofType('aws_iam_role_policy'), ...ofType('aws_iam_policy')];

    expect(policies.length).toBeGreaterThanOrEqual(lambdaNames.length);
    for (const policy of policies) {
      expect({
        address: policy.address,
        unknown: policy.change.after_unknown.policy ?? false,
      }).toEqual({
        address: policy.address,
        unknown: false,
      });
      expect({
        address: policy.address,
        problems: wildcardProblems(JSON.parse(policy.change.after.policy as string)),
      }).toEqual({
        address: policy.address,
        problems: [],
      });
    }
  });

  it('blocks public access and encrypts every bucket', () => {
    const blocks = ofType('aws_s3_bucket_public_access_block');
    const encryption = ofType('aws_s3_bucket_server_side_encryption_configuration');

    expect(blocks.length).toBe(ofType('aws_s3_bucket').length);
    expect(encryption.length).toBe(ofType('aws_s3_bucket').length);
    for (const b of blocks) {
      expect(b.change.after).toMatchObject({
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
    }
  });

  it('plans each declared table on demand, KMS-encrypted, with point-in-time recovery, and grants its items only to the functions that name it', () => {
    const tables = ofType('aws_dynamodb_table').map((t) => ({
      address: t.address,
      ...Object.fromEntries(
        [
          'name',
          'billing_mode',
          'hash_key',
          'server_side_encryption',
          'point_in_time_recovery',
          'ttl',
          'deletion_protection_enabled',
          'global_secondary_index',
        ].map((k) => [k, t.change.after[k]]),
      ),
    }));
    const grants = [...ofType('aws_iam_role_policy')].flatMap((p) =>
      (
        JSON.parse(p.change.after.policy as string) as {
          Statement: { Action: string[]; Resource: string[] }[];
        }
      ).Statement.filter((st) => st.Action.some((a) => a.startsWith('dynamodb:'))).map((st) => [
        p.address,
        st.Action,
        st.Resource,
      ]),
    );

    expect(tables).toEqual([
      {
        address: 'module.table_edge_idempotency.aws_dynamodb_table.this',
        name: 'slipway-dev-edge-idempotency',
        billing_mode: 'PAY_PER_REQUEST',
        hash_key: 'id',
        server_side_encryption: [{ enabled: true }],
        point_in_time_recovery: [{ enabled: true }],
        ttl: [{ attribute_name: 'expiration', enabled: true }],
        // dev can be torn down; prod (strict) plans it true (stacks unit tests).
        deletion_protection_enabled: false,
        global_secondary_index: [],
      },
      {
        address: 'module.table_jobs_idempotency.aws_dynamodb_table.this',
        name: 'slipway-dev-jobs-idempotency',
        billing_mode: 'PAY_PER_REQUEST',
        hash_key: 'id',
        server_side_encryption: [{ enabled: true }],
        point_in_time_recovery: [{ enabled: true }],
        ttl: [{ attribute_name: 'expiration', enabled: true }],
        deletion_protection_enabled: false,
        global_secondary_index: [],
      },
      {
        address: 'module.table_sessions.aws_dynamodb_table.this',
        name: 'slipway-dev-sessions',
        billing_mode: 'PAY_PER_REQUEST',
        hash_key: 'sessionId',
        server_side_encryption: [{ enabled: true }],
        point_in_time_recovery: [{ enabled: true }],
        // No TTL: a session is kept.
        ttl: [{ attribute_name: null, enabled: false }],
        deletion_protection_enabled: false,
        // The reminder job's query: the sessions of one start hour, ordered by start.
        global_secondary_index: [
          {
            name: 'by-start-hour',
            hash_key: 'startHour',
            range_key: 'startsAt',
            projection_type: 'ALL',
            non_key_attributes: [],
            on_demand_throughput: [],
          },
        ],
      },
    ]);
    const table = 'arn:aws:dynamodb:eu-west-1:111111111111:table/slipway-dev-edge-idempotency';
    const jobsTable = (name: string) =>
      `arn:aws:dynamodb:eu-west-1:111111111111:table/slipway-dev-${name}`;
    const reads = ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query'];
    const writes = [
      'dynamodb:BatchWriteItem',
      'dynamodb:ConditionCheckItem',
      'dynamodb:DeleteItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ];
    expect(grants.filter(([address]) => (address as string).includes('lambda_jobs_'))).toEqual([
      [
        'module.lambda_jobs_session_reminders.aws_iam_role_policy.this',
        reads,
        [jobsTable('sessions'), `${jobsTable('sessions')}/index/*`],
      ],
      [
        'module.lambda_jobs_session_reminders.aws_iam_role_policy.this',
        writes,
        [jobsTable('sessions')],
      ],
      [
        'module.lambda_jobs_welcome_email.aws_iam_role_policy.this',
        reads,
        [jobsTable('jobs-idempotency'), `${jobsTable('jobs-idempotency')}/index/*`],
      ],
      [
        'module.lambda_jobs_welcome_email.aws_iam_role_policy.this',
        writes,
        [jobsTable('jobs-idempotency')],
      ],
    ]);
    expect(grants.filter(([address]) => !(address as string).includes('lambda_jobs_'))).toEqual([
      [
        'module.lambda_edge_stripe_webhook.aws_iam_role_policy.this',
        ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query'],
        [table, `${table}/index/*`],
      ],
      [
        'module.lambda_edge_stripe_webhook.aws_iam_role_policy.this',
        [
          'dynamodb:BatchWriteItem',
          'dynamodb:ConditionCheckItem',
          'dynamodb:DeleteItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
        ],
        [table],
      ],
    ]);
  });

  describe('the REST API (edge-dev)', () => {
    const stage = ofType('aws_api_gateway_stage').find(
      (c) => c.address === 'module.rest_api.aws_api_gateway_stage.this',
    );
    const api = ofType('aws_api_gateway_rest_api').find(
      (c) => c.address === 'module.rest_api.aws_api_gateway_rest_api.this',
    );

    it('has a stage with X-Ray tracing and access logs into its own log group', () => {
      expect(stage?.change.after).toMatchObject({ stage_name: 'dev', xray_tracing_enabled: true });
      // The log group's ARN is known at apply only; the plan says the destination is set.
      expect(stage?.change.after_unknown.access_log_settings).toEqual([{ destination_arn: true }]);
      expect(
        ofType('aws_cloudwatch_log_group')
          .map((g) => g.change.after.name)
          .filter(
            (n) => n?.startsWith('API-Gateway') || n?.startsWith('/aws/apigateway/slipway-dev-api'),
          ),
      ).toContain('/aws/apigateway/slipway-dev-api/dev/access');
    });

    it('authorizes every operation of the body, or it carries x-slipway-public-reason', () => {
      const body = JSON.parse(api?.change.after.body as string);
      const operations = Object.entries(
        body.paths as Record<string, Record<string, Record<string, unknown>>>,
      ).flatMap(([path, item]) =>
        Object.entries(item).map(([method, op]) => [
          `${method.toUpperCase()} ${path}`,
          (op.security as unknown[] | undefined)?.length
            ? 'jwt'
            : op['x-slipway-public-reason']
              ? 'public'
              : 'none',
        ]),
      );

      // The repository's routes exactly; a route the generator adds (nx-plugin:integration plans
      // this same test on a copy) must be authorized or public too, never 'none'.
      expect(Object.fromEntries(operations)).toMatchObject({
        'POST /uploads': 'jwt',
        'POST /webhooks/stripe': 'public',
      });
      expect(operations.filter(([, auth]) => auth === 'none')).toEqual([]);
    });

    it('grants API Gateway one invoke permission per route and one for the authorizer', () => {
      const permissions = ofType('aws_lambda_permission').filter(
        (c) => c.change.after.principal === 'apigateway.amazonaws.com',
      );

      const byAddress = Object.fromEntries(
        permissions.map((p) => [p.address, p.change.after.function_name]),
      );
      expect(byAddress).toMatchObject({
        'module.rest_api.aws_lambda_permission.authorizer[0]': 'slipway-dev-edge-authorizer',
        'module.rest_api.aws_lambda_permission.route["POST /uploads"]': 'slipway-dev-edge-uploads',
        'module.rest_api.aws_lambda_permission.route["POST /webhooks/stripe"]':
          'slipway-dev-edge-stripe-webhook',
      });
      // One per operation of the body, plus the authorizer's: no route without its permission.
      const body = JSON.parse(api?.change.after.body as string) as {
        paths: Record<string, Record<string, unknown>>;
      };
      const routes = Object.entries(body.paths).flatMap(([path, item]) =>
        Object.keys(item).map(
          (method) =>
            `module.rest_api.aws_lambda_permission.route["${method.toUpperCase()} ${path}"]`,
        ),
      );
      expect(Object.keys(byAddress).sort()).toEqual(
        ['module.rest_api.aws_lambda_permission.authorizer[0]', ...routes].sort(),
      );
    });
  });
});

describe('dev plan: the users GraphQL API', () => {
  const PREFIX = 'module.graphql_users';
  const FUNCTION = 'arn:aws:lambda:eu-west-1:111111111111:function:slipway-dev-users-graphql';
  const at = (address: string) => changes.find((c) => c.address === `${PREFIX}.${address}`);

  it('plans the AppSync API from the committed SDL, Cognito auth, field-level logs and X-Ray', () => {
    const api = at('aws_appsync_graphql_api.this')!.change;

    expect(api.after).toMatchObject({
      name: 'slipway-dev-users',
      authentication_type: 'AMAZON_COGNITO_USER_POOLS',
      schema: readFileSync(join(REPO, 'libs/users/graphql/schema.graphql'), 'utf8'),
      xray_enabled: true,
      log_config: [
        {
          field_log_level: 'ERROR',
          exclude_verbose_content: true,
          // The module's own logging role, its ARN built so the plan shows which role AppSync gets.
          cloudwatch_logs_role_arn: 'arn:aws:iam::111111111111:role/slipway-dev-users-logs',
        },
      ],
      user_pool_config: [
        { user_pool_id: 'eu-west-1_111111111', aws_region: 'eu-west-1', default_action: 'ALLOW' },
      ],
    });
  });

  it('plans one direct Lambda resolver per graphql trigger, on the data source of its function', () => {
    // The expected resolvers come from the manifests, so a workspace with more (the generator's
    // copy) is checked the same way; the checkout's own two are pinned first.
    const triggers = graphqlResolvers(
      lambdaNames.map((name) =>
        parseManifest(
          JSON.parse(readFileSync(join(REPO, 'apps', name, 'lambda.manifest.json'), 'utf8')),
          `apps/${name}/lambda.manifest.json`,
        ),
      ),
    ).filter((r) => r.api === 'users');
    expect(triggers).toEqual(
      expect.arrayContaining([
        { api: 'users', parent: 'Mutation', field: 'updateProfile', lambda: 'users-graphql' },
        { api: 'users', parent: 'Query', field: 'user', lambda: 'users-graphql' },
      ]),
    );
    const dataSourceOf = (lambda: string) => `slipway_dev_${lambda.replaceAll('-', '_')}`;
    const arnOf = (lambda: string) =>
      `arn:aws:lambda:eu-west-1:111111111111:function:slipway-dev-${lambda}`;

    const resolvers = ofType('aws_appsync_resolver').map((r) => [
      r.address,
      r.change.after.type,
      r.change.after.field,
      r.change.after.kind,
      r.change.after.data_source,
      r.change.after.request_template,
    ]);

    expect(resolvers).toEqual(
      triggers.map((t) => [
        `${PREFIX}.aws_appsync_resolver.this["${t.parent}.${t.field}"]`,
        t.parent,
        t.field,
        'UNIT',
        dataSourceOf(t.lambda),
        null,
      ]),
    );
    const lambdas = [...new Set(triggers.map((t) => t.lambda))];
    expect(
      ofType('aws_appsync_datasource')
        .map((d) => [d.address, d.change.after])
        .sort(([a], [b]) => String(a).localeCompare(String(b))),
    ).toEqual(
      lambdas
        .map((lambda) => [
          `${PREFIX}.module.data_source["${arnOf(lambda)}"].aws_appsync_datasource.this`,
          expect.objectContaining({
            type: 'AWS_LAMBDA',
            name: dataSourceOf(lambda),
            lambda_config: [{ function_arn: arnOf(lambda) }],
          }),
        ])
        .sort(([a], [b]) => String(a).localeCompare(String(b))),
    );
  });

  it("scopes the data source's role to its function and the logging role to AppSync log groups", () => {
    const policy = (address: string) =>
      JSON.parse(at(address)!.change.after.policy as string) as unknown;

    expect(policy(`module.data_source["${FUNCTION}"].aws_iam_role_policy.this`)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'InvokeResolverFunction',
          Effect: 'Allow',
          Action: ['lambda:InvokeFunction'],
          Resource: [FUNCTION, `${FUNCTION}:*`],
        },
      ],
    });
    expect(policy('aws_iam_role_policy.logs')).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'WriteApiLogs',
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: ['arn:aws:logs:eu-west-1:111111111111:log-group:/aws/appsync/apis/*:*'],
        },
      ],
    });
    for (const role of [`module.data_source["${FUNCTION}"].aws_iam_role.this`, 'aws_iam_role.logs'])
      expect(at(role)!.change.after).toMatchObject({
        permissions_boundary:
          'arn:aws:iam::111111111111:policy/slipway/bootstrap/slipway-dev-workload-boundary',
      });
  });

  it('gives the resolver Lambda the name of its SSM parameter and SSM read on that parameter only', () => {
    const fn = changes.find(
      (c) => c.address === 'module.lambda_users_graphql.aws_lambda_function.this',
    )!;
    const role = changes.find(
      (c) => c.address === 'module.lambda_users_graphql.aws_iam_role_policy.this',
    )!;

    expect(fn.change.after.environment).toEqual([
      {
        variables: expect.objectContaining({
          USERS_SERVICE_URL_PARAM_NAME: '/slipway/dev/users/service-url',
          USER_SERVICE_TIMEOUT_MS: '3000',
        }),
      },
    ]);
    expect(
      (JSON.parse(role.change.after.policy as string) as { Statement: { Sid: string }[] })
        .Statement,
    ).toContainEqual({
      Sid: 'SsmRead',
      Effect: 'Allow',
      Action: ['ssm:GetParameter', 'ssm:GetParameters'],
      Resource: ['arn:aws:ssm:eu-west-1:111111111111:parameter/slipway/dev/users/service-url'],
    });
  });
});

describe('dev plan: the jobs domain (welcome email, session reminders)', () => {
  const at = (address: string) => changes.find((c) => c.address === address);
  const policyOf = (address: string) =>
    JSON.parse(at(address)!.change.after.policy as string) as {
      Statement: { Sid: string; Action: string[]; Resource: string[]; Condition?: unknown }[];
    };
  const REMINDERS =
    'arn:aws:lambda:eu-west-1:111111111111:function:slipway-dev-jobs-session-reminders';
  const queue = (name: string) => `arn:aws:sqs:eu-west-1:111111111111:${name}`;

  it('runs the reminder job hourly in its time zone, on time, with its static input, retries and own dead-letter queue', () => {
    const schedule = at(
      'module.lambda_jobs_session_reminders_schedule_hourly.aws_scheduler_schedule.this',
    )!.change.after;

    expect(schedule).toMatchObject({
      name: 'slipway-dev-jobs-session-reminders-hourly',
      group_name: 'default',
      state: 'ENABLED',
      schedule_expression: 'cron(0 * * * ? *)',
      schedule_expression_timezone: 'UTC',
      flexible_time_window: [{ mode: 'OFF', maximum_window_in_minutes: null }],
    });
    expect(schedule.target).toEqual([
      expect.objectContaining({
        arn: REMINDERS,
        input: '{"scheduledTime":"<aws.scheduler.scheduled-time>"}',
        retry_policy: [{ maximum_retry_attempts: 3, maximum_event_age_in_seconds: 3600 }],
        dead_letter_config: [{ arn: queue('slipway-dev-jobs-session-reminders-hourly-dlq') }],
      }),
    ]);
    expect(
      at('module.lambda_jobs_session_reminders_schedule_hourly.aws_sqs_queue.dead_letter[0]')!
        .change.after,
    ).toMatchObject({
      name: 'slipway-dev-jobs-session-reminders-hourly-dlq',
      sqs_managed_sse_enabled: true,
    });
  });

  it("limits the schedule's role to invoking that one function and writing to its queue, for that schedule only", () => {
    const role = 'module.lambda_jobs_session_reminders_schedule_hourly';

    expect(policyOf(`${role}.aws_iam_role_policy.this`)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'InvokeFunction',
          Effect: 'Allow',
          Action: ['lambda:InvokeFunction'],
          Resource: [REMINDERS],
        },
        {
          Sid: 'SendDeadLetters',
          Effect: 'Allow',
          Action: ['sqs:SendMessage'],
          Resource: [queue('slipway-dev-jobs-session-reminders-hourly-dlq')],
        },
      ],
    });
    expect(
      JSON.parse(at(`${role}.aws_iam_role.this`)!.change.after.assume_role_policy as string),
    ).toMatchObject({
      Statement: [
        {
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: {
            ArnEquals: {
              'aws:SourceArn':
                'arn:aws:scheduler:eu-west-1:111111111111:schedule/default/slipway-dev-jobs-session-reminders-hourly',
            },
            StringEquals: { 'aws:SourceAccount': '111111111111' },
          },
        },
      ],
    });
  });

  it('subscribes the welcome worker to SessionConfirmed on the platform bus, with retries and the rule queue', () => {
    const rule = 'module.lambda_jobs_welcome_email_event_1';

    expect(at(`${rule}.aws_cloudwatch_event_rule.this`)!.change.after).toMatchObject({
      name: 'slipway-dev-jobs-welcome-email-1',
      event_bus_name: 'slipway-dev-platform',
      event_pattern: '{"detail-type":["SessionConfirmed"],"source":["slipway.sessions"]}',
    });
    expect(at(`${rule}.aws_cloudwatch_event_target.this`)!.change.after).toMatchObject({
      arn: 'arn:aws:lambda:eu-west-1:111111111111:function:slipway-dev-jobs-welcome-email',
      retry_policy: [{ maximum_retry_attempts: 3, maximum_event_age_in_seconds: 3600 }],
    });
    expect(at(`${rule}.aws_lambda_permission.this`)!.change.after).toMatchObject({
      principal: 'events.amazonaws.com',
      function_name: 'slipway-dev-jobs-welcome-email',
      source_arn:
        'arn:aws:events:eu-west-1:111111111111:rule/slipway-dev-platform/slipway-dev-jobs-welcome-email-1',
    });
  });

  it.each([
    ['jobs_welcome_email', 'slipway-dev-jobs-welcome-email'],
    ['jobs_session_reminders', 'slipway-dev-jobs-session-reminders'],
  ])(
    'sends what fails the async retries of %s to its own encrypted queue, as the on-failure destination',
    (id, name) => {
      const config = at(`module.lambda_${id}.aws_lambda_function_event_invoke_config.this[0]`)!
        .change.after;

      expect(config).toEqual(
        expect.objectContaining({
          function_name: name,
          maximum_retry_attempts: 2,
          maximum_event_age_in_seconds: 3600,
          destination_config: [
            { on_failure: [{ destination: queue(`${name}-dlq`) }], on_success: [] },
          ],
        }),
      );
      // The record is written once: no dead_letter_config beside the destination.
      expect(
        at(`module.lambda_${id}.aws_lambda_function.this`)!.change.after.dead_letter_config,
      ).toEqual([]);
      expect(policyOf(`module.lambda_${id}.aws_iam_role_policy.this`).Statement).toContainEqual({
        Sid: 'SendToDeadLetterTarget',
        Effect: 'Allow',
        Action: ['sqs:SendMessage'],
        Resource: [queue(`${name}-dlq`)],
      });
      expect(at(`module.lambda_${id}.aws_sqs_queue.dead_letter[0]`)!.change.after).toMatchObject({
        name: `${name}-dlq`,
        sqs_managed_sse_enabled: true,
      });
      expect(
        at(`module.lambda_${id}.aws_cloudwatch_metric_alarm.dead_letter_messages[0]`)!.change.after,
      ).toMatchObject({ dimensions: { QueueName: `${name}-dlq` } });
    },
  );

  it('stores the welcome template from its committed file and grants SendEmail on it and the sender identity only, From pinned', () => {
    const file = JSON.parse(readFileSync(join(REPO, 'libs/jobs/emails/welcome.json'), 'utf8'));
    const worker = at('module.lambda_jobs_welcome_email.aws_lambda_function.this')!.change.after;

    expect(at('module.email_template_welcome.aws_ses_template.this')!.change.after).toMatchObject({
      name: 'slipway-dev-welcome',
      subject: file.subject,
      text: file.text,
      html: file.html,
    });
    expect(
      policyOf('module.lambda_jobs_welcome_email.aws_iam_role_policy.this').Statement.find(
        (st) => st.Sid === 'SesSendEmail',
      ),
    ).toEqual({
      Sid: 'SesSendEmail',
      Effect: 'Allow',
      Action: ['ses:SendEmail'],
      Resource: [
        'arn:aws:ses:eu-west-1:111111111111:identity/dev.slipway.example',
        'arn:aws:ses:eu-west-1:111111111111:template/slipway-dev-welcome',
      ],
      Condition: { StringEquals: { 'ses:FromAddress': ['no-reply@dev.slipway.example'] } },
    });
    expect(worker.environment).toEqual([
      {
        variables: expect.objectContaining({
          EMAIL_FROM: 'no-reply@dev.slipway.example',
          EMAIL_TEMPLATE_WELCOME: 'slipway-dev-welcome',
          TABLE_JOBS_IDEMPOTENCY: 'slipway-dev-jobs-idempotency',
        }),
      },
    ]);
  });
});

describe('dev plan: alarms that reach someone, dashboards, saved queries, X-Ray groups (issue 15)', () => {
  const TOPIC = 'arn:aws:sns:eu-west-1:111111111111:slipway-dev-alarms';
  /** Each stack's own changes (the composite alarm ORs its stack's alarms). */
  const byStack = Object.fromEntries(
    readdirSync(PLANS)
      .filter((f) => f.endsWith('-dev.json'))
      .map((f) => [
        f.replace(/-dev\.json$/, ''),
        (JSON.parse(readFileSync(join(PLANS, f), 'utf8')).resource_changes ??
          []) as ResourceChange[],
      ]),
  );
  const at = (stack: string, address: string) =>
    byStack[stack]!.find((c) => c.address === address)!.change;
  const manifestDomains = lambdaNames.map(
    (name) =>
      (
        JSON.parse(readFileSync(join(REPO, 'apps', name, 'lambda.manifest.json'), 'utf8')) as {
          domain: string;
        }
      ).domain,
  );
  // Generated like the stacks do: a domain with functions, tables or flows is watched (the
  // checkout: edge, etl, jobs, media, users; the generator's copy adds platform).
  const watched = [
    ...new Set([
      ...manifestDomains,
      ...TABLES.map((t) => t.domain),
      ...Object.keys(DOMAINS).filter((d) => DOMAINS[d]!.flows?.length),
    ]),
  ].sort();

  it("watches the checkout's five domains", () => {
    expect(watched).toEqual(expect.arrayContaining(['edge', 'etl', 'jobs', 'media', 'users']));
  });

  it('has one dashboard per watched domain, named <prefix>-<env>-<domain>', () => {
    expect(
      ofType('aws_cloudwatch_dashboard')
        .map((d) => [d.address, d.change.after.dashboard_name])
        .sort(),
    ).toEqual(
      watched.map((d) => [
        'module.observability.aws_cloudwatch_dashboard.this',
        `slipway-dev-${d}`,
      ]),
    );
  });

  it('has the alarm topic in platform-dev, encrypted with its key by alias (known at plan), subscribed from environments.json', () => {
    const topic = at('platform', 'module.alarm_topic.aws_sns_topic.this');
    const key = at('platform', 'module.alarm_topic.aws_kms_key.this');

    expect(ofType('aws_sns_topic').map((t) => t.address)).toEqual([
      'module.alarm_topic.aws_sns_topic.this',
    ]);
    expect(topic.after).toMatchObject({
      name: 'slipway-dev-alarms',
      kms_master_key_id: 'alias/slipway-dev-alarms',
    });
    expect(topic.after_unknown.kms_master_key_id ?? false).toBe(false);
    expect(at('platform', 'module.alarm_topic.aws_kms_alias.this').after.name).toBe(
      'alias/slipway-dev-alarms',
    );
    expect(key.after.enable_key_rotation).toBe(true);
    expect(
      (
        JSON.parse(key.after.policy as string) as {
          Statement: { Sid: string; Condition?: unknown }[];
        }
      ).Statement.find((st) => st.Sid === 'CloudWatchAlarmsEncrypt')!.Condition,
    ).toEqual({
      StringEquals: { 'aws:SourceAccount': '111111111111' },
      ArnLike: { 'aws:SourceArn': 'arn:aws:cloudwatch:eu-west-1:111111111111:alarm:*' },
    });
    expect(
      JSON.parse(
        at('platform', 'module.alarm_topic.aws_sns_topic_policy.this').after.policy as string,
      ),
    ).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'CloudWatchAlarmsPublish',
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: 'sns:Publish',
          Resource: TOPIC,
          Condition: {
            StringEquals: { 'aws:SourceAccount': '111111111111' },
            ArnLike: { 'aws:SourceArn': 'arn:aws:cloudwatch:eu-west-1:111111111111:alarm:*' },
          },
        },
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: 'sns:Publish',
          Resource: TOPIC,
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ],
    });
    expect(
      ofType('aws_sns_topic_subscription').map((s) => [
        s.address,
        s.change.after.protocol,
        s.change.after.endpoint,
      ]),
    ).toEqual([
      [
        'module.alarm_topic.aws_sns_topic_subscription.this["email:oncall@dev.slipway.example"]',
        'email',
        'oncall@dev.slipway.example',
      ],
    ]);
  });

  it('points every metric and composite alarm at the topic, on ALARM and OK, known at plan', () => {
    const alarms = [
      ...ofType('aws_cloudwatch_metric_alarm'),
      ...ofType('aws_cloudwatch_composite_alarm'),
    ];

    // 98 metric alarms and 5 composite ones in the checkout; more in the generator's copy.
    expect(alarms.length).toBeGreaterThanOrEqual(103);
    for (const a of alarms)
      expect({
        address: a.address,
        alarm: a.change.after.alarm_actions,
        ok: a.change.after.ok_actions,
        unknown: a.change.after_unknown.alarm_actions,
      }).toEqual({ address: a.address, alarm: [TOPIC], ok: [TOPIC], unknown: [false] });
  });

  it("has one composite alarm per watched domain ORing exactly its stack's alarms", () => {
    const composites = Object.entries(byStack).flatMap(([domain, changes]) =>
      changes
        .filter((c) => c.type === 'aws_cloudwatch_composite_alarm')
        .map((c) => ({ domain, name: c.change.after.alarm_name, rule: c.change.after.alarm_rule })),
    );

    expect(composites.map((c) => c.name).sort()).toEqual(
      watched.map((d) => `slipway-dev-${d}-health`),
    );
    for (const { domain, name, rule } of composites)
      expect({ name, rule }).toEqual({
        name,
        rule: byStack[domain]!.filter((c) => c.type === 'aws_cloudwatch_metric_alarm')
          .map((c) => `ALARM("${c.change.after.alarm_name as string}")`)
          .sort()
          .join(' OR '),
      });
    // etl: 5 functions x 4 alarms, the rejected-rows ratio, 3 of the state machine, 1 of its schedule.
    expect((composites.find((c) => c.domain === 'etl')!.rule as string).split(' OR ').length).toBe(
      25,
    );
  });

  it('has the four saved Logs Insights queries of every domain with functions', () => {
    expect(
      ofType('aws_cloudwatch_query_definition')
        .map((q) => q.change.after.name)
        .sort(),
    ).toEqual(
      [...new Set(manifestDomains)]
        .sort()
        .flatMap((d) =>
          ['cold-starts', 'errors-by-correlation-id', 'execution-logs', 'slowest-invocations'].map(
            (q) => `slipway-dev-${d}/${q}`,
          ),
        ),
    );
    expect(
      at(
        'media',
        'module.observability.aws_cloudwatch_query_definition.this["errors-by-correlation-id"]',
      ).after.log_group_names,
    ).toEqual(
      lambdaNames.filter((n) => n.startsWith('media-')).map((n) => `/aws/lambda/slipway-dev-${n}`),
    );
  });

  it('has an X-Ray group per flow, filtering on its state machine', () => {
    expect(
      ofType('aws_xray_group')
        .map((g) => [g.address, g.change.after.group_name, g.change.after.filter_expression])
        .sort(),
    ).toEqual([
      [
        'module.observability.aws_xray_group.this["slipway-dev-etl"]',
        'slipway-dev-etl',
        'service(id(name: "slipway-dev-etl", type: "AWS::StepFunctions::StateMachine"))',
      ],
      [
        'module.observability.aws_xray_group.this["slipway-dev-media"]',
        'slipway-dev-media',
        'service(id(name: "slipway-dev-media", type: "AWS::StepFunctions::StateMachine"))',
      ],
    ]);
  });

  it("charts the media quarantines per outcome and the etl rejected-rows ratio on their domains' dashboards", () => {
    const widgets = (domain: string) =>
      (
        JSON.parse(
          at(domain, 'module.observability.aws_cloudwatch_dashboard.this').after
            .dashboard_body as string,
        ) as { widgets: { properties: { title?: string; metrics?: unknown[] } }[] }
      ).widgets;

    expect(
      widgets('media').find(
        (w) => w.properties.title === 'Quarantines by outcome (MediaQuarantined)',
      )!.properties.metrics,
    ).toEqual([
      [
        'Slipway/media',
        'MediaQuarantined',
        'outcome',
        'rejected',
        'service',
        'media-quarantine',
        { label: 'rejected' },
      ],
      [
        'Slipway/media',
        'MediaQuarantined',
        'outcome',
        'failed',
        'service',
        'media-quarantine',
        { label: 'failed' },
      ],
    ]);
    expect(
      widgets('etl').find(
        (w) => w.properties.title === 'etl-transform: rejected-rows (RowsRejected / RowsInput)',
      )!.properties.metrics,
    ).toEqual([
      [
        {
          expression: 'IF(input > 0, part / input, 0)',
          label: 'RowsRejected / RowsInput',
          id: 'ratio',
        },
      ],
      ['Slipway/etl', 'RowsRejected', 'service', 'etl-transform', { id: 'part', visible: false }],
      ['Slipway/etl', 'RowsInput', 'service', 'etl-transform', { id: 'input', visible: false }],
    ]);
  });
});
