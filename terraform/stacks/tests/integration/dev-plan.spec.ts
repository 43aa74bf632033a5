/**
 * Reads the offline plan of every dev stack (dist/terraform/plans/dev, written by
 * `nx run stacks:plan:dev`, which this target depends on) and checks what platform engineers
 * and governance rely on: every Lambda of apps/ is planned with active tracing, a log group
 * with retention, and a role policy that is known at plan time and least-privilege.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { artifactKey, wildcardProblems } from '@slipway/manifest';

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
      },
    ]);
    const table = 'arn:aws:dynamodb:eu-west-1:111111111111:table/slipway-dev-edge-idempotency';
    expect(grants).toEqual([
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
