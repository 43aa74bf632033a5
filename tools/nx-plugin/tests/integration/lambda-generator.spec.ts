import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { copyWorkspace, sh, shOk } from './workspace';

describe('a new Lambda from the generator', () => {
  it('builds, packages, passes its checks and appears in the dev plan with no edits', () => {
    const dir = copyWorkspace('generator');

    shOk(dir, 'npx nx g @slipway/nx-plugin:lambda demo-x --no-interactive');
    shOk(dir, 'npx prettier --check apps/demo-x');
    shOk(dir, 'npx nx run-many -t manifest lint typecheck test package -p demo-x');
    // stacks:integration synthesizes, plans dev offline and checks tracing, log retention and IAM.
    shOk(dir, 'npx nx run stacks:integration');

    const plan = JSON.parse(
      readFileSync(join(dir, 'dist/terraform/plans/dev/platform-dev.json'), 'utf8'),
    );
    const fn = plan.resource_changes.find(
      (c: { type: string; change: { after: { function_name?: string } } }) =>
        c.type === 'aws_lambda_function' && c.change.after.function_name === 'slipway-dev-demo-x',
    );
    expect(fn.change.actions).toEqual(['create']);
    expect(fn.change.after.tracing_config).toEqual([{ mode: 'Active' }]);
  });
});

describe('a new HTTP route from the generator', () => {
  it('builds, packages, passes its checks and is behind the authorizer in the dev plan with no edits', () => {
    const dir = copyWorkspace('generator-http');

    shOk(
      dir,
      'npx nx g @slipway/nx-plugin:lambda things-get --trigger=http --route="GET /things/{id}" --no-interactive',
    );
    shOk(dir, 'npx prettier --check apps/things-get libs/events/src/edge');
    shOk(dir, 'npx nx run-many -t manifest lint typecheck test package -p things-get events');
    shOk(dir, 'npx nx run stacks:integration');

    shOk(dir, 'npm run api:openapi');
    const openapi = JSON.parse(readFileSync(join(dir, 'docs/api/openapi.json'), 'utf8'));
    expect(Object.keys(openapi.paths)).toContain('/things/{id}');
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
