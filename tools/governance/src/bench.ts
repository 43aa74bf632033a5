/**
 * Benchmark helpers (wired into `npm run bench` by tools/bench): a synthetic plan with N
 * resources shaped like a Slipway stack, and the time and peak memory of scanning it.
 */
import { scan } from './engine';

/**
 * A `terraform show -json` plan with `n` resources: per group of 8, a bucket with its
 * configuration resources, a function, its role, policy and log group.
 */
export function generateLargePlan(n: number): Record<string, unknown> {
  const changes: Record<string, unknown>[] = [];
  const kinds = [
    (i: number) => ['aws_s3_bucket', { bucket: `slipway-dev-b${i}`, tags_all: tags }],
    (i: number) => [
      'aws_s3_bucket_public_access_block',
      {
        bucket: `slipway-dev-b${i - 1}`,
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      },
    ],
    (i: number) => [
      'aws_s3_bucket_versioning',
      { bucket: `slipway-dev-b${i - 2}`, versioning_configuration: [{ status: 'Enabled' }] },
    ],
    (i: number) => [
      'aws_s3_bucket_server_side_encryption_configuration',
      {
        bucket: `slipway-dev-b${i - 3}`,
        rule: [{ apply_server_side_encryption_by_default: [{ sse_algorithm: 'AES256' }] }],
      },
    ],
    (i: number) => [
      'aws_lambda_function',
      {
        function_name: `fn${i}`,
        runtime: 'nodejs22.x',
        tracing_config: [{ mode: 'Active' }],
        reserved_concurrent_executions: 5,
        tags_all: tags,
      },
    ],
    (i: number) => [
      'aws_iam_role',
      { name: `fn${i - 1}`, assume_role_policy: trust, tags_all: tags },
    ],
    (i: number) => [
      'aws_iam_role_policy',
      {
        name: `p${i}`,
        role: `fn${i - 2}`,
        policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: ['s3:GetObject'],
              Resource: [`arn:aws:s3:::slipway-dev-b${i}/*`],
            },
          ],
        }),
      },
    ],
    (i: number) => [
      'aws_cloudwatch_log_group',
      { name: `/aws/lambda/fn${i - 3}`, retention_in_days: 30, tags_all: tags },
    ],
  ] as const;
  const tags = {
    project: 'slipway',
    environment: 'dev',
    owner: 'platform-team',
    'managed-by': 'terraform',
  };
  const trust = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ],
  });
  for (let i = 0; i < n; i++) {
    const [type, after] = kinds[i % kinds.length](i);
    const mod = `module.m${Math.floor(i / 8)}`;
    changes.push({
      address: `${mod}.${type}.this`,
      module_address: mod,
      mode: 'managed',
      type,
      name: 'this',
      change: { actions: ['create'], before: null, after, after_unknown: { id: true, arn: true } },
    });
  }
  return {
    format_version: '1.2',
    terraform_version: '1.11.4',
    resource_changes: changes,
    planned_values: { root_module: {} },
    configuration: { root_module: {} },
  };
}

/** Scans a generated plan of `n` resources; returns wall time and the process's peak RSS. */
export async function measureScan(
  n = 10_000,
): Promise<{ ms: number; peakRssBytes: number; findings: number }> {
  const plan = generateLargePlan(n);
  const start = performance.now();
  const result = await scan({
    planObjects: [{ file: 'bench-plan.json', plan }],
    profile: 'baseline',
  });
  const ms = performance.now() - start;
  return {
    ms,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    findings: result.findings.length,
  };
}
