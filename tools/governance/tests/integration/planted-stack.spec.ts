/**
 * Planted misconfigurations in a copy of a real synthesized stack (media-dev): three module
 * arguments are made wrong, and the scan must report exactly those three findings more than the
 * same stack unplanted (whose own accepted findings, waived for the stacks in
 * governance/waivers.yaml, this scan without waivers also sees).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { scan } from '../../src/engine';

const STACK = path.join(__dirname, '../../../../terraform/stacks/cdktf.out/stacks/media-dev');

// Synthesized Terraform JSON has no static type.
type TfJson = { module: Record<string, Record<string, unknown>> };

it('finds exactly the three misconfigurations planted in a copy of the media-dev stack', async () => {
  // Prepare: the copy sits beside the real stack (in the ignored cdktf.out), so its relative
  // module sources resolve to the same modules. No "-<env>" suffix: nothing that lists an
  // environment's stacks may pick it up while it exists.
  const original = readFileSync(path.join(STACK, 'cdk.tf.json'), 'utf8');
  const stack = JSON.parse(original) as TfJson;
  stack.module.bucket_media.versioning_enabled = false; // SLW-S3-003
  stack.module.lambda_media_validate.log_retention_in_days = 7; // SLW-LOGS-001 (baseline: 30)
  (stack.module.lambda_media_probe.environment_variables as Record<string, string>).DB_PASSWORD =
    'hunter2'; // SLW-LAMBDA-004
  const dir = path.join(STACK, '..', 'planted-media');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'cdk.tf.json');
  const keys = async (text: string) => {
    writeFileSync(file, text);
    const { findings } = await scan({ tfJson: [file], profile: 'baseline' });
    return findings.map((f) => `${f.ruleId} ${f.address}`);
  };

  // Act
  const [before, after] = await (async () => [
    await keys(original),
    await keys(JSON.stringify(stack)),
  ])().finally(() => rmSync(dir, { recursive: true, force: true }));

  // Assess: everything the stack had is still reported, plus exactly the three planted.
  expect(after.filter((k) => !before.includes(k)).sort()).toEqual([
    'SLW-LAMBDA-004 module.lambda_media_probe.aws_lambda_function.this',
    'SLW-LOGS-001 module.lambda_media_validate.aws_cloudwatch_log_group.this',
    'SLW-S3-003 module.bucket_media.aws_s3_bucket.this',
  ]);
  expect(before.filter((k) => !after.includes(k))).toEqual([]);
});
