import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { scan } from '../../src/engine';
import { ExpiredWaiverError, InvalidWaiverError } from '../../src/errors';
import { plantBucket } from '../planted';

/** This file's temp folders live under one folder, removed after its tests (also on failure). */
const scratch = mkdtempSync(path.join(tmpdir(), 'waivers-spec-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
/** terraform/modules/bucket with five planted problems (tests/fixtures/planted/bucket.patch). */
const plantedBucket = plantBucket();
afterAll(() => plantedBucket.cleanup());

const fixtures = path.join(__dirname, '../fixtures');
const planted = plantedBucket.dir;
const now = new Date('2026-06-15T12:00:00Z');

describe('waivers', () => {
  it('fails the run naming a waiver that expired yesterday', async () => {
    const yesterday = new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
    const file = path.join(mkdtempSync(path.join(scratch, 'waivers-')), 'waivers.yaml');
    writeFileSync(
      file,
      readFileSync(path.join(fixtures, 'waivers/expired.yaml.tpl'), 'utf8').replace(
        'EXPIRES',
        yesterday,
      ),
    );

    const run = scan({ hcl: [planted], waivers: file, now });

    await expect(run).rejects.toThrow(ExpiredWaiverError);
    await expect(run).rejects.toThrow(`${file}:2: waiver for SLW-S3-006 expired on ${yesterday}`);
  });

  it('accepts a waiver that expires today', async () => {
    const file = path.join(mkdtempSync(path.join(scratch, 'waivers-')), 'waivers.yaml');
    writeFileSync(
      file,
      readFileSync(path.join(fixtures, 'waivers/expired.yaml.tpl'), 'utf8')
        .replace('EXPIRES', '2026-06-15')
        .replace('module.bucket_*.', ''),
    );

    const result = await scan({ hcl: [planted], waivers: file, now });

    expect(result.findings.find((f) => f.ruleId === 'SLW-S3-006')?.waived?.owner).toBe(
      '@slipway/platform',
    );
  });

  it('applies a waiver scoped to environments only in runs for them, and never warns elsewhere', async () => {
    const waivers = path.join(fixtures, 'waivers/scoped.yaml');
    const options = { hcl: [planted], waivers, now, profile: 'baseline' as const };

    const dev = await scan({ ...options, environment: 'dev' });
    const prod = await scan({ ...options, environment: 'prod' });

    const s3006 = (r: typeof dev) => r.findings.find((f) => f.ruleId === 'SLW-S3-006');
    expect(s3006(dev)?.waived).toBeUndefined();
    expect(dev.warnings).toEqual([]);
    expect(s3006(prod)?.waived?.source).toBe(`${waivers}:2`);
    expect(prod.warnings).toEqual([]);
  });

  it('rejects a scope that is not a list, naming the file and line', async () => {
    const file = path.join(fixtures, 'waivers/bad-scope.yaml');

    const run = scan({ hcl: [planted], waivers: file, now });

    await expect(run).rejects.toThrow(InvalidWaiverError);
    await expect(run).rejects.toThrow(
      `${file}:2: invalid waiver: waiver for SLW-S3-006: "environments" must be a non-empty list`,
    );
  });

  it('marks waived findings, keeps them in the report and warns about waivers matching nothing', async () => {
    const result = await scan({
      hcl: [planted],
      waivers: path.join(fixtures, 'waivers/valid.yaml'),
      now,
    });

    const waived = result.findings.filter((f) => f.waived);
    expect(waived.map((f) => f.ruleId)).toEqual(['SLW-S3-006']);
    expect(result.findings).toHaveLength(5);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(
      /valid\.yaml:7: waiver for SLW-S3-003 .* matched no finding/,
    );
  });

  it('applies inline HCL waivers to the block below them only', async () => {
    const result = await scan({
      hcl: [path.join(fixtures, 'inline')],
      onlyRules: ['SLW-KMS-001'],
      now,
    });

    expect(result.findings.map((f) => [f.address, Boolean(f.waived)])).toEqual([
      ['aws_kms_key.imported', true],
      ['aws_kms_key.other', false],
    ]);
  });

  it.each([
    ['malformed.yaml', /malformed\.yaml:\d+: invalid waiver: YAML does not parse/],
    ['unknown-rule.yaml', /unknown-rule\.yaml:2: invalid waiver: unknown rule id "SLW-S3-999"/],
    [
      'missing-owner.yaml',
      /missing-owner\.yaml:2: invalid waiver: waiver for SLW-S3-002 is missing "owner"/,
    ],
  ])('rejects %s with file, line and what to fix', async (name, message) => {
    const run = scan({ hcl: [planted], waivers: path.join(fixtures, 'waivers', name), now });

    await expect(run).rejects.toThrow(InvalidWaiverError);
    await expect(run).rejects.toThrow(message);
  });
});
