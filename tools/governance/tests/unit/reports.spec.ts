import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { XMLParser } from 'fast-xml-parser';
import { scan, type ScanResult } from '../../src/engine';
import { toJunit, toMarkdown, toSarif, toTable } from '../../src/report';
import { plantBucket, type PlantedModule } from '../planted';

// File paths in findings are relative to the working directory: run from the repo root, like the CLI.
beforeAll(() => process.chdir(path.resolve(__dirname, '../../../..')));

const fixtures = path.join(__dirname, '../fixtures');
let result: ScanResult;
let planted: PlantedModule;
afterAll(() => planted?.cleanup());

beforeAll(async () => {
  planted = plantBucket();
  result = await scan({
    hcl: [planted.dir],
    plans: [path.join(__dirname, '../../src/rules/slw-plan-001/fixtures/fail/media-dev.json')],
    waivers: path.join(fixtures, 'waivers/valid.yaml'),
    now: new Date('2026-06-15T00:00:00Z'),
  });
});

/**
 * The SARIF 2.1.0 schema as Microsoft ships it (sarif-2.1.0-rtm.5, MIT, from
 * @microsoft/jest-sarif). It is draft-04: "id" becomes "$id" and "$schema" is dropped so Ajv 8
 * (draft-07) compiles it; formats are not validated (no ajv-formats dependency), and patterns
 * are compiled without the u flag because the schema's language pattern has a stray "]".
 */
function sarifValidator() {
  const schema = JSON.parse(
    readFileSync(path.join(fixtures, 'sarif/sarif-2.1.0-rtm.5.json'), 'utf8'),
  );
  delete schema.$schema;
  schema.$id = schema.id;
  delete schema.id;
  return new Ajv({
    strict: false,
    validateFormats: false,
    allErrors: true,
    unicodeRegExp: false,
  }).compile(schema);
}

describe('reports', () => {
  it('writes SARIF that validates against the 2.1.0 schema, with file and line locations', () => {
    const sarif = toSarif(result);
    const validate = sarifValidator();

    const valid = validate(sarif);

    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    const results = (
      sarif.runs as {
        results: {
          ruleId: string;
          locations: {
            physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } };
          }[];
          suppressions?: unknown[];
        }[];
      }[]
    )[0].results;
    const pab = results.find((r) => r.ruleId === 'SLW-S3-002')!;
    expect(pab.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: `${path.relative(process.cwd(), planted.dir)}/main.tf` },
      region: { startLine: 1 },
    });
    expect(results.find((r) => r.ruleId === 'SLW-S3-006')!.suppressions).toHaveLength(1);
  });

  it('writes JUnit XML that parses, one suite per rule, failures for open findings', () => {
    const xml = toJunit(result);

    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);

    const suites = parsed.testsuites.testsuite as {
      name: string;
      failures: string;
      skipped: string;
    }[];
    expect(suites).toHaveLength(result.rules.length);
    // The planted bucket and the bucket of the plan fixture (no public access block in it).
    expect(suites.find((s) => s.name.startsWith('SLW-S3-002'))).toMatchObject({
      failures: '2',
      skipped: '0',
    });
    expect(suites.find((s) => s.name.startsWith('SLW-S3-006'))).toMatchObject({
      failures: '1',
      skipped: '1',
    });
  });

  it('writes a table and a Markdown summary naming rule, severity, address, location and fix', () => {
    const table = toTable(result);
    const md = toMarkdown(result);

    expect(table).toMatch(
      new RegExp(
        `SLW-S3-002\\s+critical\\s+aws_s3_bucket\\.this\\s+${path.relative(process.cwd(), planted.dir).replace(/[.]/g, '\\.')}/main\\.tf:1`,
      ),
    );
    expect(table).toContain('fix: Add aws_s3_bucket_public_access_block');
    expect(md).toContain('| SLW-PLAN-001 | critical | `module.bucket_media.aws_s3_bucket.this` |');
    expect(md).toContain('<summary>Waived or allowed</summary>');
    expect(md).toContain('| media-dev | 0 | 0 | 0 | 1 |');
  });
});
