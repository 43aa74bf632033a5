/**
 * Issue 13, must show: "every Lambda permission scoped to its method ARN". In the offline dev
 * plan a route permission's `source_arn` is unknown (it starts with the API's execution ARN,
 * which exists after apply only), so the plan alone cannot show it. Here edge-dev's plan (the
 * one `stacks:plan:dev` wrote, shared with dev-plan.spec.ts) becomes the state an apply would
 * leave (`stateFromPlan`: unknowns filled with placeholders), and the route permissions are
 * planned again with `-target` against it until they settle: the provider then derives each
 * `source_arn` from the API's now-known execution ARN, and every one must be exactly
 * `<execution_arn>/dev/<METHOD><path>` of its route: its stage, method and path, never `*`.
 *
 * The authorizer's permission names the authorizer id, read by a data source that needs AWS at
 * plan time; its source is checked in the plan's configuration instead (references).
 *
 * Plans run in a temporary tree (modules linked), never in the checkout's cdktf.out.
 */
import { randomUUID } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// eslint-disable-next-line @nx/enforce-module-boundaries -- test support only: the offline plan stacks:plan itself runs, and the state an apply of it would leave
import { awsResourceSchemas, planOffline, type PlanJson, stateFromPlan } from '@slipway/terraform';
import { SYNTH_DIR } from '../../src/modules';

const REPO = join(__dirname, '../../../..');
const STACK = 'edge-dev';
const PLAN = join(REPO, 'dist/terraform/plans/dev', `${STACK}.json`);
const ROUTES = 'module.rest_api.aws_lambda_permission.route';

let work: string;
let settled: PlanJson;
let rounds = 0;

beforeAll(async () => {
  // Prepare: the synthesized stack in a tree where ../../../../modules resolves as in the checkout.
  work = await mkdtemp(join(tmpdir(), 'stacks-api-permissions-'));
  await mkdir(join(work, 'terraform'), { recursive: true });
  await symlink(join(REPO, 'terraform/modules'), join(work, 'terraform/modules'));
  const dir = join(work, SYNTH_DIR, 'stacks', STACK);
  await cp(join(REPO, SYNTH_DIR, 'stacks', STACK), dir, {
    recursive: true,
    filter: (source) => !source.includes('/.terraform'),
  });
  const schemas = await awsResourceSchemas();
  const lineage = randomUUID();

  // Act: apply the shared plan (as a state), then re-plan the route permissions until no-op.
  let plan = JSON.parse(await readFile(PLAN, 'utf8')) as PlanJson;
  for (rounds = 1; rounds <= 4; rounds++) {
    const state = stateFromPlan(plan, schemas, {
      serial: rounds,
      lineage,
      moduleAddress: 'module.rest_api',
    });
    const stateFile = join(work, `round-${rounds}.tfstate`);
    await writeFile(stateFile, JSON.stringify(state));
    ({ plan } = (await planOffline({
      dir,
      outFile: join(work, `round-${rounds}.json`),
      priorState: stateFile,
      targets: [ROUTES],
    })) as { plan: PlanJson });
    const changed = (plan.resource_changes ?? []).filter(
      (rc) => rc.address.startsWith(ROUTES) && rc.change.actions.join() !== 'no-op',
    );
    if (changed.length === 0) break;
  }
  settled = plan;
}, 300_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('API Gateway permissions of the dev API, as applied', () => {
  it('settle: planned against the applied state, the route permissions change nothing', () => {
    expect(rounds).toBeLessThanOrEqual(4);
    const routes = (settled.resource_changes ?? []).filter((rc) => rc.address.startsWith(ROUTES));
    expect(routes.map((rc) => [rc.address, rc.change.actions])).toEqual(
      routes.map((rc) => [rc.address, ['no-op']]),
    );
  });

  it("scopes each route's permission to its function, the dev stage, its method and its path", () => {
    const api = settled.resource_changes?.find(
      (rc) => rc.address === 'module.rest_api.aws_api_gateway_rest_api.this',
    );
    const executionArn = api?.change.after?.execution_arn as string;
    const permissions = (settled.resource_changes ?? [])
      .filter((rc) => rc.address.startsWith(ROUTES))
      .map((rc) => ({
        address: rc.address,
        function_name: rc.change.after?.function_name,
        principal: rc.change.after?.principal,
        source_arn: rc.change.after?.source_arn,
      }));

    // The placeholder stateFromPlan gives the API's execution ARN (a real apply gives arn:aws:execute-api:…).
    expect(executionArn).toBe(
      'arn:aws:offline:eu-west-1:111111111111:module.rest_api.aws_api_gateway_rest_api.this.execution_arn',
    );
    expect(permissions).toEqual([
      {
        address: `${ROUTES}["POST /uploads"]`,
        function_name: 'slipway-dev-edge-uploads',
        principal: 'apigateway.amazonaws.com',
        source_arn: `${executionArn}/dev/POST/uploads`,
      },
      {
        address: `${ROUTES}["POST /webhooks/stripe"]`,
        function_name: 'slipway-dev-edge-stripe-webhook',
        principal: 'apigateway.amazonaws.com',
        source_arn: `${executionArn}/dev/POST/webhooks/stripe`,
      },
    ]);
  });

  it("scopes the authorizer's permission to this API's authorizer", async () => {
    const plan = JSON.parse(await readFile(PLAN, 'utf8')) as {
      configuration: {
        root_module: {
          module_calls: Record<
            string,
            {
              module: {
                resources: {
                  address: string;
                  expressions: Record<string, { references?: string[] }>;
                }[];
              };
            }
          >;
        };
      };
    };
    const resource = plan.configuration.root_module.module_calls.rest_api.module.resources.find(
      (r) => r.address === 'aws_lambda_permission.authorizer',
    );

    expect(resource?.expressions.source_arn.references).toEqual([
      'aws_api_gateway_rest_api.this.execution_arn',
      'aws_api_gateway_rest_api.this',
      'data.aws_api_gateway_authorizers.this[0].ids',
      'data.aws_api_gateway_authorizers.this[0]',
      'data.aws_api_gateway_authorizers.this',
    ]);
  });
});
