import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildModel, exitCode, scan } from '../../src/engine';
import { UnsupportedPlanFormatError } from '../../src/errors';
import { isUnknown, linked } from '../../src/model';
import { toTable } from '../../src/report';

// File paths in findings are relative to the working directory: run from the repo root, like the CLI.
beforeAll(() => process.chdir(path.resolve(__dirname, '../../../..')));

const fixtures = path.join(__dirname, '../fixtures');
const realPlan = path.join(fixtures, 'plans/media-dev.json');
const replaceBucket = path.join(
  __dirname,
  '../../src/rules/slw-plan-001/fixtures/fail/media-dev.json',
);

describe('plan input', () => {
  it('reads a trimmed real plan: unknowns marked, bucket linked to its configuration by references', async () => {
    const { model } = await buildModel({ plans: [realPlan] });

    const bucket = model.resources.find(
      (r) => r.address === 'module.bucket_media.aws_s3_bucket.this',
    )!;
    expect(isUnknown(bucket.attributes.arn)).toBe(true);
    expect(bucket.attributes.force_destroy).toBe(false);
    expect(linked(bucket, 'aws_s3_bucket_public_access_block')).toHaveLength(1);
    expect(linked(bucket, 'aws_s3_bucket_policy')).toHaveLength(1);
    const fn = model.resources.find((r) => r.type === 'aws_lambda_function')!;
    expect(linked(fn, 'aws_iam_role')).toHaveLength(1);
    expect(linked(fn, 'aws_cloudwatch_log_group')).toHaveLength(1);
  });

  it('reports only the alarms without actions in the dev plan under baseline (it predates the alarm topic), and counts its blast radius', async () => {
    const result = await scan({ plans: [realPlan], profile: 'baseline' });

    // SLW-CW-002 is satisfied: the function's alarms name it by its known FunctionName.
    expect(result.findings.map((f) => `${f.ruleId} ${f.address}: ${f.message}`)).toEqual(
      ['dead_letter_messages[0]', 'duration_p99', 'errors', 'throttles'].map(
        (alarm) =>
          `SLW-CW-001 module.lambda_media_probe.aws_cloudwatch_metric_alarm.${alarm}: alarm_actions is empty: the alarm changes state but notifies no one.`,
      ),
    );
    expect(result.warnings).toEqual([]);
    expect(result.blastRadius['media-dev']).toEqual({
      create: 17,
      update: 0,
      delete: 0,
      replace: 0,
    });
  });

  it('maps module resources to HCL lines when given the folder the plan was made in', async () => {
    const { model } = await buildModel({
      plans: [realPlan],
      planRoot: path.join(__dirname, '../../../../terraform/stacks/cdktf.out/stacks/media-dev'),
    });

    const bucket = model.resources.find(
      (r) => r.address === 'module.bucket_media.aws_s3_bucket.this',
    )!;
    expect(bucket.file).toBe('terraform/modules/bucket/main.tf');
    expect(bucket.line).toBe(1);
  });

  it('rejects an unsupported format_version with a clear message', async () => {
    const plan = { ...JSON.parse(readFileSync(realPlan, 'utf8')), format_version: '0.2' };

    const run = scan({ planObjects: [{ file: 'old.json', plan }] });

    await expect(run).rejects.toThrow(UnsupportedPlanFormatError);
    await expect(run).rejects.toThrow('old.json: unsupported plan format_version "0.2"');
  });
});

describe('plan guard', () => {
  it('blocks replacing a bucket', async () => {
    const result = await scan({ plans: [replaceBucket], onlyRules: ['SLW-PLAN-001'] });

    const f = result.findings.find((x) => x.ruleId === 'SLW-PLAN-001')!;
    expect(f.message).toContain(
      'plan will replace aws_s3_bucket module.bucket_media.aws_s3_bucket.this',
    );
    expect(f.allowed).toBeUndefined();
    expect(exitCode(result, 'high')).toBe(1);
    expect(result.blastRadius['media-dev']).toEqual({
      create: 0,
      update: 0,
      delete: 0,
      replace: 1,
    });
  });

  it('lets it through with --allow-destroy for that address, and says so in the report', async () => {
    const result = await scan({
      plans: [replaceBucket],
      allowDestroy: ['module.bucket_media.aws_s3_bucket.this'],
      onlyRules: ['SLW-PLAN-001'],
    });

    const f = result.findings.find((x) => x.ruleId === 'SLW-PLAN-001')!;
    expect(f.allowed).toBe('allowed by --allow-destroy module.bucket_media.aws_s3_bucket.this');
    expect(exitCode(result, 'high')).toBe(0);
    expect(toTable(result)).toContain(
      '[allowed by --allow-destroy module.bucket_media.aws_s3_bucket.this]',
    );
  });

  it('does not let an allow for another address through', async () => {
    const result = await scan({
      plans: [replaceBucket],
      allowDestroy: ['module.bucket_other.*'],
      onlyRules: ['SLW-PLAN-001'],
    });

    expect(exitCode(result, 'critical')).toBe(1);
  });
});
