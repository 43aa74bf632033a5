/**
 * The generator end to end, in one workspace copy for both generated Lambdas (a plain one and an
 * HTTP route): they are generated, formatted, pass manifest, lint, typecheck and unit tests, are
 * packaged, synthesized into the dev stacks, planned offline, pass the stacks' dev plan checks
 * (terraform/stacks/tests/integration/dev-plan.spec.ts, run in the copy) and governance of the
 * dev plan, and OpenAPI documents the route.
 *
 * Work this run does anyway is shared, not repeated (nx-plugin:integration depends on every
 * Lambda's `package` and on `stacks:plan`, dev): the copy gets the checkout's packages of the
 * Lambdas it already had, and only the stacks the generated Lambdas land in are planned in the
 * copy. Every other dev stack synthesizes in the copy exactly as in the checkout (asserted), so
 * the checkout's plan of it is the copy's.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyCheckoutPackages, copyWorkspace, REPO, sh, shOk, shOkAsync } from './workspace';

/** Where the two generated Lambdas land: platform is the default domain, the route is the API's. */
const LANDING = ['edge-dev', 'platform-dev'];
const SYNTHESIZED = 'terraform/stacks/cdktf.out/stacks';
const PLANS = 'dist/terraform/plans/dev';

describe('new Lambdas from the generator', () => {
  let dir: string;
  /** Dev stacks whose cdk.tf.json in the copy differs from the checkout's. */
  let changedStacks: string[];
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
    shOk(dir, 'npx prettier --check apps/demo-x apps/things-get libs/events/src/edge');
    shOk(
      dir,
      'npx nx run-many -t manifest lint typecheck test package -p demo-x things-get events',
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
    // The others are planned offline in the copy, side by side.
    await Promise.all(
      changedStacks.map((stack) =>
        shOkAsync(
          dir,
          `npx tsx tools/terraform/src/plan-root.ts --dir ${SYNTHESIZED}/${stack} --out ${PLANS}/${stack}.json`,
        ),
      ),
    );
    // The stacks' checks of the dev plan: tracing, log retention, IAM, the REST API's auth.
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

  it("the dev plan with both passes governance (the stacks:governance command, dev's profile and waivers)", () => {
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
