import path from 'node:path';
import { scan } from '../../src/engine';

// File paths in findings are relative to the working directory: run from the repo root, like the CLI.
beforeAll(() => process.chdir(path.resolve(__dirname, '../../../..')));

const planted = path.join(__dirname, '../fixtures/planted/bucket');

describe('planted misconfigurations in a copy of terraform/modules/bucket', () => {
  it('finds exactly the five planted problems and nothing else', async () => {
    const result = await scan({ hcl: [planted], profile: 'baseline' });

    const got = result.findings
      .map((f) => `${f.ruleId} ${f.address} ${path.basename(f.file ?? '')}:${f.line}`)
      .sort();
    expect(got).toEqual([
      'SLW-REPO-001 tools/governance/tests/fixtures/planted/bucket: required_providers.aws versions.tf:6',
      'SLW-REPO-004 var.planted variables.tf:243',
      'SLW-S3-002 aws_s3_bucket.this main.tf:1',
      'SLW-S3-003 aws_s3_bucket.this main.tf:1',
      'SLW-S3-006 aws_s3_bucket.this main.tf:1',
    ]);
  });

  it('resolves variables through a module call (argument overrides the default)', async () => {
    const result = await scan({
      hcl: [path.join(__dirname, '../fixtures/module-call')],
      profile: 'strict',
      onlyRules: ['SLW-S3-001'],
    });

    // The caller passes kms_key_arn, so the child's conditional picks aws:kms: no finding.
    expect(result.findings).toEqual([]);
  });
});
