import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { structuredPatch } from 'diff';
import { scan } from '../../src/engine';
import { PLANTED_ROOT, PlantedPatchError, plantModule, type PlantedModule } from '../planted';

const ROOT = path.resolve(__dirname, '../../../..');
const MODULE = path.join(ROOT, 'terraform/modules/bucket');
const PATCH = path.join(__dirname, '../fixtures/planted/bucket.patch');

// File paths in findings are relative to the working directory: run from the repo root, like the CLI.
beforeAll(() => process.chdir(ROOT));

/** The live bucket module with the five misconfigurations of bucket.patch planted. */
let planted: PlantedModule;
beforeAll(() => {
  planted = plantModule(MODULE, PATCH);
});
afterAll(() => planted?.cleanup());

const tfFiles = (dir: string) =>
  readdirSync(dir)
    .filter((n) => n.endsWith('.tf'))
    .sort();

describe('planted misconfigurations in a patched copy of terraform/modules/bucket', () => {
  it('finds exactly the five planted problems and nothing else', async () => {
    const folder = path.relative(ROOT, planted.dir);

    const result = await scan({ hcl: [planted.dir], profile: 'baseline' });

    const got = result.findings.map((f) => `${f.ruleId} ${f.address} ${f.file}:${f.line}`).sort();
    expect(got).toEqual([
      `SLW-REPO-001 ${folder}: required_providers.aws ${folder}/versions.tf:6`,
      `SLW-REPO-004 var.planted ${folder}/variables.tf:243`,
      `SLW-S3-002 aws_s3_bucket.this ${folder}/main.tf:1`,
      `SLW-S3-003 aws_s3_bucket.this ${folder}/main.tf:1`,
      `SLW-S3-006 aws_s3_bucket.this ${folder}/main.tf:1`,
    ]);
  });

  it('differs from the live module only in the five lines marked PLANTED', () => {
    const files = tfFiles(planted.dir);

    // Every difference from the live file, without context: one hunk per planted change.
    const hunks = files.flatMap((name) => {
      const live = readFileSync(path.join(MODULE, name), 'utf8');
      const copy = readFileSync(path.join(planted.dir, name), 'utf8');
      return structuredPatch(name, name, live, copy, '', '', { context: 0 }).hunks.map(
        (h) => `${name} ${h.lines.filter((l) => l.includes('PLANTED')).join(' | ')}`,
      );
    });

    // The same top-level files as the module (no examples/ or tests/), and nothing else changed.
    expect(files).toEqual(tfFiles(MODULE));
    expect(hunks).toEqual([
      'main.tf +  block_public_policy     = false # PLANTED 1: SLW-S3-002',
      'main.tf +    status = "Suspended" # PLANTED 2: SLW-S3-003',
      'main.tf +  count = 0 # PLANTED 3: SLW-S3-006',
      'variables.tf +# PLANTED 5: SLW-REPO-004 (no description)',
      'versions.tf +      version = ">= 5.70" # PLANTED 4: SLW-REPO-001',
    ]);
  });

  it('fails naming the module file and the hunk when the module changed under the patch', () => {
    // Prepare: the real patch with one context line of main.tf's second hunk changed, as if
    // someone had edited that comment in the module.
    const real = readFileSync(PATCH, 'utf8');
    const context =
      '    # "Suspended" rather than "Disabled": a bucket that was ever versioned cannot go back.';
    expect(real).toContain(`\n ${context}\n`);
    const scratch = mkdtempSync(path.join(PLANTED_ROOT, 'broken-patch-'));
    const broken = path.join(scratch, 'bucket.patch');
    writeFileSync(broken, real.replace(`\n ${context}\n`, `\n ${context} Edited.\n`));

    try {
      // Act
      const act = () => plantModule(MODULE, broken);

      // Assess
      expect(act).toThrow(PlantedPatchError);
      expect(act).toThrow(
        new Error(
          `terraform/modules/bucket/main.tf changed under the planted patch: update ` +
            `${path.relative(ROOT, broken)}. Hunk 2 of 2 (@@ -43,12 +43,12 @@) no longer ` +
            `matches the file's lines; re-plant it on the module as it is now (see the patch's header).`,
        ),
      );
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
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
