/**
 * The generator end to end, in one workspace copy for every variant it generates (a plain one,
 * an HTTP route, an EventBridge rule, a Scheduler schedule and an AppSync resolver that adds its
 * field to the users API's SDL): they are generated, formatted, pass manifest, lint, typecheck
 * and unit tests, are packaged, synthesized into the dev stacks, planned offline, pass the
 * stacks' dev plan checks (terraform/stacks/tests/integration/dev-plan.spec.ts, run in the copy)
 * and governance of the dev plan, OpenAPI documents the route, and the event, schedule and
 * GraphQL ones run on the local cloud (tools/sandbox/src/cli.ts --put-event, --fire, --graphql)
 * with no edits.
 *
 * Work this run does anyway is shared, not repeated (nx-plugin:integration depends on every
 * Lambda's `package` and on `stacks:plan`, dev): the copy gets the checkout's packages of the
 * Lambdas it already had, and only the stacks the generated Lambdas land in are planned in the
 * copy. Every other dev stack synthesizes in the copy exactly as in the checkout (asserted), so
 * the checkout's plan of it is the copy's. The three local runs start while the plans run.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyCheckoutPackages, copyWorkspace, REPO, sh, shOk, shOkAsync } from './workspace';

/**
 * Where the generated Lambdas land: platform is the default domain (demo-x, demo-events,
 * demo-tick), the route is the API's (edge), the resolver is in the users API's domain.
 */
const LANDING = ['edge-dev', 'platform-dev', 'users-dev'];
const SYNTHESIZED = 'terraform/stacks/cdktf.out/stacks';
const PLANS = 'dist/terraform/plans/dev';
const SDL = 'libs/users/graphql/schema.graphql';
const GENERATED = ['demo-x', 'things-get', 'demo-events', 'demo-tick', 'users-thing-status'];
/** The local cloud's runs of the generated Lambdas, each in its own work dir (they run side by side). */
const LOCAL_RUNS = {
  event: `npx tsx tools/sandbox/src/cli.ts --work-dir dist/sandbox-generated/event --json --put-event '{"bus":"platform","source":"slipway.platform","detail-type":"DemoEventsRequested","detail":{"subject":"hello"}}'`,
  schedule:
    'npx tsx tools/sandbox/src/cli.ts --work-dir dist/sandbox-generated/schedule --fire slipway-local-demo-tick-every-hour --at 2026-12-02T09:00:00Z',
  graphql: `npx tsx tools/sandbox/src/cli.ts --work-dir dist/sandbox-generated/graphql --json --graphql 'query Status($id: ID!) { thingStatus(id: $id) }' --variables '{"id":"t-1"}'`,
};

describe('new Lambdas from the generator', () => {
  let dir: string;
  /** Dev stacks whose cdk.tf.json in the copy differs from the checkout's. */
  let changedStacks: string[];
  /** Output of each local run. */
  let local: Record<keyof typeof LOCAL_RUNS, string>;
  /** The one JSON line a `--json` run printed. */
  const jsonOf = (output: string) =>
    JSON.parse(output.split('\n').find((line) => line.startsWith('{"')) ?? 'null') as unknown;
  const planOf = (stack: string) =>
    JSON.parse(readFileSync(join(dir, PLANS, `${stack}.json`), 'utf8')) as {
      resource_changes: { address: string; type: string; change: ChangeOf }[];
    };
  type ChangeOf = { actions: string[]; after: Record<string, unknown> };

  beforeAll(async () => {
    dir = copyWorkspace('generator');
    copyCheckoutPackages(dir);
    shOk(dir, 'npx nx g @slipway/nx-plugin:lambda demo-x --no-interactive');
    shOk(
      dir,
      'npx nx g @slipway/nx-plugin:lambda things-get --trigger=http --route="GET /things/{id}" --no-interactive',
    );
    shOk(dir, 'npx nx g @slipway/nx-plugin:lambda demo-events --trigger=event --no-interactive');
    shOk(dir, 'npx nx g @slipway/nx-plugin:lambda demo-tick --trigger=schedule --no-interactive');
    shOk(
      dir,
      'npx nx g @slipway/nx-plugin:lambda users-thing-status --domain=users --trigger=graphql --field=Query.thingStatus --no-interactive',
    );
    shOk(
      dir,
      `npx prettier --check ${GENERATED.map((n) => `apps/${n}`).join(' ')} libs/events/src/edge ${SDL}`,
    );
    shOk(
      dir,
      `npx nx run-many -t manifest lint typecheck test package -p ${GENERATED.join(' ')} events`,
    );
    // Synthesis reads every Lambda's package: the generated ones were packaged just now.
    shOk(dir, 'npx nx run stacks:synth --exclude-task-dependencies');

    const devStacks = (root: string) =>
      readdirSync(join(root, SYNTHESIZED))
        .filter((s) => s.endsWith('-dev'))
        .sort();
    const synthesized = (root: string, stack: string) =>
      readFileSync(join(root, SYNTHESIZED, stack, 'cdk.tf.json'), 'utf8');
    changedStacks = devStacks(dir).filter(
      (stack) =>
        !existsSync(join(REPO, SYNTHESIZED, stack, 'cdk.tf.json')) ||
        synthesized(dir, stack) !== synthesized(REPO, stack),
    );
    // The stacks that synthesize as in the checkout have the checkout's plan (stacks:plan:dev).
    mkdirSync(join(dir, PLANS), { recursive: true });
    for (const stack of devStacks(dir).filter((s) => !changedStacks.includes(s))) {
      const plan = join(REPO, PLANS, `${stack}.json`);
      if (!existsSync(plan))
        throw new Error(`${plan} is missing: run npx nx run stacks:plan:dev first.`);
      cpSync(plan, join(dir, PLANS, `${stack}.json`));
    }
    // The others are planned offline in the copy, side by side, while the local runs run.
    const runs = Object.entries(LOCAL_RUNS).map(([kind, command]) =>
      shOkAsync(dir, command).then((output) => [kind, output] as const),
    );
    await Promise.all(
      changedStacks.map((stack) =>
        shOkAsync(
          dir,
          `npx tsx tools/terraform/src/plan-root.ts --dir ${SYNTHESIZED}/${stack} --out ${PLANS}/${stack}.json`,
        ),
      ),
    );
    local = Object.fromEntries(await Promise.all(runs)) as typeof local;
    // The stacks' checks of the dev plan: tracing, log retention, IAM, the REST API's auth, the
    // GraphQL API from the copy's SDL and one resolver per graphql trigger of the copy's manifests.
    shOk(
      dir,
      'npx jest -c terraform/stacks/jest.integration.cjs tests/integration/dev-plan.spec.ts',
    );
    shOk(dir, 'npm run api:openapi');
  });

  it('changes exactly the dev stacks they land in; every other one synthesizes as in the checkout', () => {
    expect(changedStacks).toEqual(LANDING);
  });

  it('builds, packages, passes its checks and appears in the dev plan with no edits', () => {
    const fn = planOf('platform-dev').resource_changes.find(
      (c) =>
        c.type === 'aws_lambda_function' && c.change.after.function_name === 'slipway-dev-demo-x',
    );
    expect(fn?.change.actions).toEqual(['create']);
    expect(fn?.change.after.tracing_config).toEqual([{ mode: 'Active' }]);
  });

  it('an HTTP route builds, packages, passes its checks and is behind the authorizer in the dev plan with no edits', () => {
    const edge = planOf('edge-dev').resource_changes;
    const api = edge.find((c) => c.address === 'module.rest_api.aws_api_gateway_rest_api.this');
    const body = JSON.parse(api?.change.after.body as string) as {
      paths: Record<string, Record<string, { security?: unknown[] }>>;
    };
    expect(body.paths['/things/{id}']?.get?.security).toEqual([{ jwt: [] }]);
    const permission = edge.find(
      (c) => c.address === 'module.rest_api.aws_lambda_permission.route["GET /things/{id}"]',
    );
    expect(permission?.change.after).toMatchObject({
      function_name: 'slipway-dev-things-get',
      principal: 'apigateway.amazonaws.com',
    });
    const openapi = JSON.parse(readFileSync(join(dir, 'docs/api/openapi.json'), 'utf8'));
    expect(openapi.paths['/things/{id}'].get.security).toEqual([{ jwt: [] }]);
  });

  it('an EventBridge rule on the platform bus invokes the event one, with its own DLQ and retries, and the local bus delivers to it with no edits', () => {
    const platform = planOf('platform-dev').resource_changes;
    const at = (address: string) =>
      platform.find((c) => c.address === `module.lambda_demo_events_event_1.${address}`)?.change
        .after;

    expect(at('aws_cloudwatch_event_rule.this')).toMatchObject({
      name: 'slipway-dev-demo-events-1',
      event_bus_name: 'slipway-dev-platform',
      event_pattern: '{"detail-type":["DemoEventsRequested"],"source":["slipway.platform"]}',
      state: 'ENABLED',
    });
    expect(at('aws_lambda_permission.this')).toMatchObject({
      action: 'lambda:InvokeFunction',
      function_name: 'slipway-dev-demo-events',
      principal: 'events.amazonaws.com',
      source_arn:
        'arn:aws:events:eu-west-1:111111111111:rule/slipway-dev-platform/slipway-dev-demo-events-1',
    });
    expect(at('aws_cloudwatch_event_target.this')).toMatchObject({
      arn: 'arn:aws:lambda:eu-west-1:111111111111:function:slipway-dev-demo-events',
      dead_letter_config: [
        { arn: 'arn:aws:sqs:eu-west-1:111111111111:slipway-dev-demo-events-1-dlq' },
      ],
      retry_policy: [{ maximum_event_age_in_seconds: 3600, maximum_retry_attempts: 3 }],
    });

    const run = jsonOf(local.event) as { eventId: string };
    expect(run).toEqual({
      eventId: expect.stringMatching(
        /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      ),
      routed: [
        [
          'DemoEventsRequested',
          'slipway-local-demo-events-1',
          'lambda:slipway-local-demo-events',
          'delivered',
        ],
      ],
      invocations: [
        {
          functionName: 'slipway-local-demo-events',
          outcome: 'succeeded',
          attempts: 1,
          result: { handled: run.eventId, by: 'demo-events' },
          errors: [],
        },
      ],
      deadLetters: 0,
    });
  });

  it('a Scheduler schedule runs the schedule one hourly in UTC with no flexible window, and fires locally with no edits', () => {
    const schedule = planOf('platform-dev').resource_changes.find(
      (c) =>
        c.address === 'module.lambda_demo_tick_schedule_every_hour.aws_scheduler_schedule.this',
    )?.change.after;

    expect(schedule).toMatchObject({
      name: 'slipway-dev-demo-tick-every-hour',
      schedule_expression: 'rate(1 hour)',
      schedule_expression_timezone: 'UTC',
      flexible_time_window: [{ mode: 'OFF', maximum_window_in_minutes: null }],
      state: 'ENABLED',
      target: [
        expect.objectContaining({
          arn: 'arn:aws:lambda:eu-west-1:111111111111:function:slipway-dev-demo-tick',
          input: '{"scheduledTime":"<aws.scheduler.scheduled-time>"}',
          dead_letter_config: [
            { arn: 'arn:aws:sqs:eu-west-1:111111111111:slipway-dev-demo-tick-every-hour-dlq' },
          ],
          retry_policy: [{ maximum_event_age_in_seconds: 3600, maximum_retry_attempts: 3 }],
        }),
      ],
    });

    const lines = local.schedule.split('\n');
    const first = lines.findIndex((l) => l.startsWith('slipway-local-demo-tick-every-hour fired'));
    expect(lines.slice(first, first + 4)).toEqual([
      'slipway-local-demo-tick-every-hour fired for 2026-12-02T09:00:00Z → slipway-local-demo-tick: succeeded after 1 attempt(s)',
      '  input: {"scheduledTime":"2026-12-02T09:00:00Z"}',
      'Events put on the bus by the run: 0',
      'Events routed by the local bus: 0 deliveries of 0 events, 0 dead-lettered',
    ]);
  });

  it('an AppSync resolver resolves the field it added to the SDL, on a data source whose role invokes only it, and answers locally with no edits', () => {
    // The field is added before Query's closing brace; every other byte of the SDL is kept.
    const anchor = '  user(id: ID!): User\n}';
    expect(readFileSync(join(dir, SDL), 'utf8')).toBe(
      readFileSync(join(REPO, SDL), 'utf8').replace(
        anchor,
        '  user(id: ID!): User\n' +
          '  "Resolved by the users-thing-status Lambda. Generated: give it its real arguments, type and description."\n' +
          '  thingStatus(id: ID!): String\n}',
      ),
    );
    const users = planOf('users-dev').resource_changes;
    const FUNCTION =
      'arn:aws:lambda:eu-west-1:111111111111:function:slipway-dev-users-thing-status';
    const at = (address: string) =>
      users.find((c) => c.address === `module.graphql_users.${address}`)?.change.after;

    expect(at('aws_appsync_graphql_api.this')?.schema).toBe(readFileSync(join(dir, SDL), 'utf8'));
    // What the dev plan check left out pins the checkout's two: here all three.
    expect(
      users
        .filter((c) => c.type === 'aws_appsync_resolver')
        .map((c) => [c.address, c.change.after.kind, c.change.after.data_source]),
    ).toEqual([
      [
        'module.graphql_users.aws_appsync_resolver.this["Mutation.updateProfile"]',
        'UNIT',
        'slipway_dev_users_graphql',
      ],
      [
        'module.graphql_users.aws_appsync_resolver.this["Query.thingStatus"]',
        'UNIT',
        'slipway_dev_users_thing_status',
      ],
      [
        'module.graphql_users.aws_appsync_resolver.this["Query.user"]',
        'UNIT',
        'slipway_dev_users_graphql',
      ],
    ]);
    expect(at('aws_appsync_resolver.this["Query.thingStatus"]')).toMatchObject({
      type: 'Query',
      field: 'thingStatus',
      request_template: null,
      response_template: null,
    });
    const dataSource = `module.data_source["${FUNCTION}"]`;
    expect(at(`${dataSource}.aws_appsync_datasource.this`)).toMatchObject({
      type: 'AWS_LAMBDA',
      name: 'slipway_dev_users_thing_status',
      lambda_config: [{ function_arn: FUNCTION }],
      service_role_arn: 'arn:aws:iam::111111111111:role/slipway-dev-users-ds-2',
    });
    expect(at(`${dataSource}.aws_iam_role.this`)).toMatchObject({
      name: 'slipway-dev-users-ds-2',
      permissions_boundary:
        'arn:aws:iam::111111111111:policy/slipway/bootstrap/slipway-dev-workload-boundary',
    });
    expect(JSON.parse(at(`${dataSource}.aws_iam_role_policy.this`)?.policy as string)).toEqual({
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

    expect(jsonOf(local.graphql)).toEqual({
      status: 200,
      body: { data: { thingStatus: 't-1: OK' } },
      invocations: [{ lambda: 'users-thing-status', field: 'Query.thingStatus', ok: true }],
    });
  });

  it("the dev plan with all of them passes governance (the stacks:governance command, dev's profile and waivers)", () => {
    // Act: exits 1 on any finding not waived (2 on bad input, with no report).
    const result = sh(
      dir,
      'npx tsx tools/governance/src/cli.ts stacks --environment dev --fail-on low --format json --out governance-dev.json',
    );
    const reportFile = join(dir, 'governance-dev.json');
    if (!existsSync(reportFile)) throw new Error(`governance wrote no report:\n${result.output}`);
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as {
      findings: { ruleId: string; address: string; message: string; waived?: object }[];
      blastRadius: Record<string, { create: number }>;
    };

    // Assess: no finding, and the report counts the copy's plans, generated Lambdas included.
    expect(
      report.findings.filter((f) => !f.waived).map((f) => `${f.ruleId} ${f.address}: ${f.message}`),
    ).toEqual([]);
    expect(result.status).toBe(0);
    for (const stack of LANDING)
      expect(report.blastRadius[stack]?.create).toBe(
        planOf(stack).resource_changes.filter((c) => c.change.actions.join() === 'create').length,
      );
  });
});

describe('a broken manifest', () => {
  it('fails the build naming the file, the field, the value and the allowed range, and packages nothing', () => {
    const dir = copyWorkspace('bad-manifest');
    const file = join(dir, 'apps/media-validate/lambda.manifest.json');
    writeFileSync(
      file,
      JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), memory: 99999 }),
    );

    const result = sh(dir, 'npx nx run media-validate:package');

    expect(result.status).not.toBe(0);
    expect(result.output).toContain(
      'apps/media-validate/lambda.manifest.json: invalid Lambda manifest',
    );
    expect(result.output).toContain(
      'memory = 99999: must be a whole number from 128 to 10240 (MB)',
    );
    expect(existsSync(join(dir, 'dist/apps/media-validate/media-validate.zip'))).toBe(false);
  });
});
