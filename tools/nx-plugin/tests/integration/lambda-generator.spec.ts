import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { copyWorkspace, sh, shOk } from './workspace';

// One workspace copy for both generated Lambdas: generating, checking, packaging and one
// stacks:integration (synth + dev plan) for the two together is half the time of two copies.
describe('new Lambdas from the generator', () => {
  let dir: string;
  const planOf = (stack: string) =>
    JSON.parse(readFileSync(join(dir, `dist/terraform/plans/dev/${stack}.json`), 'utf8')) as {
      resource_changes: { address: string; type: string; change: ChangeOf }[];
    };
  type ChangeOf = { actions: string[]; after: Record<string, unknown> };

  beforeAll(() => {
    dir = copyWorkspace('generator');
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
    // stacks:integration synthesizes, plans dev offline and checks tracing, log retention and IAM.
    shOk(dir, 'npx nx run stacks:integration');
    shOk(dir, 'npm run api:openapi');
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
