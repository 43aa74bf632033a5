import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  assessStack,
  DRIFT_REPORT_MARKER,
  main,
  readDriftResults,
  renderDriftReport,
} from '../../src/drift-report';
import type { TerraformPlanJson } from '../../src/plan-summary';

/** This file's temp folders live under one folder, removed after its tests (also on failure). */
const scratch = mkdtempSync(join(tmpdir(), 'drift-report-spec-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const DRIFT = join(__dirname, '../fixtures/drift');
const plan = (name: string): TerraformPlanJson =>
  JSON.parse(readFileSync(join(DRIFT, `${name}.json`), 'utf8')) as TerraformPlanJson;

/** Runs the CLI in-process. */
async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { write: (s) => void out.push(s), error: (s) => void err.push(s) });
  return { code, out: out.join(''), err: err.join('') };
}

describe('assessStack', () => {
  it('calls a change found by the refresh drift, and lists what drifted and what the plan does', () => {
    // Act
    const result = assessStack({ stack: 'media-prod', exitCode: 2, plan: plan('media-prod') });

    // Assess
    expect(result.status).toBe('drift');
    expect(result.drifted.map((d) => `${d.action} ${d.address}`)).toEqual([
      'update module.lambda_media_validate.aws_lambda_function.this',
      'delete module.bucket_media.aws_s3_bucket_versioning.this',
    ]);
    expect(result.planned).toHaveLength(2);
  });

  it('calls exit code 2 without drift "pending": main is ahead of what is deployed', () => {
    // Prepare: the drift fixture, with its resource_drift removed.
    const pending = { ...plan('media-prod'), resource_drift: [] };

    // Act / Assess
    expect(assessStack({ stack: 'media-prod', exitCode: 2, plan: pending }).status).toBe('pending');
  });

  it('calls exit code 0 clean and exit code 1 failed, keeping the end of the log', () => {
    expect(assessStack({ stack: 'etl-prod', exitCode: 0, plan: plan('etl-prod') }).status).toBe(
      'clean',
    );
    const failed = assessStack({
      stack: 'etl-prod',
      exitCode: 1,
      log: `${'line\n'.repeat(50)}Error: AccessDenied\n`,
    });
    expect(failed.status).toBe('failed');
    expect(failed.logTail?.split('\n')).toHaveLength(20);
    expect(failed.logTail).toContain('Error: AccessDenied');
  });

  it('rejects an exit code terraform never gives, and a missing plan', () => {
    expect(() => assessStack({ stack: 'x', exitCode: 3 })).toThrow('only returns 0, 1 or 2');
    expect(() => assessStack({ stack: 'x', exitCode: 2 })).toThrow('x.json: is missing');
  });
});

describe('renderDriftReport', () => {
  it('opens with the marker, tabulates every stack and explains how to resolve the drift', () => {
    // Prepare
    const results = readDriftResults([DRIFT]).map(assessStack);

    // Act
    const markdown = renderDriftReport(results, {
      date: '2026-11-27',
      runUrl: 'https://example.invalid/run/1',
    });

    // Assess
    expect(markdown.split('\n')[0]).toBe(DRIFT_REPORT_MARKER);
    expect(markdown).toContain('## Drift check of 2026-11-27');
    expect(markdown).toContain('1 of 2 stacks do not match main.');
    expect(markdown).toContain('| etl-prod | no drift | 0 | 0 |');
    expect(markdown).toContain('| media-prod | **drift** | 2 | 2 |');
    expect(markdown).toContain('- delete: `module.bucket_media.aws_s3_bucket_versioning.this`');
    expect(markdown).toContain('re-run the deploy of main to put it back');
  });

  it('says "no drift" when every stack is clean', () => {
    expect(
      renderDriftReport([{ stack: 'etl-prod', status: 'clean', drifted: [], planned: [] }]),
    ).toContain('All 1 stacks match main: **no drift**.');
  });
});

describe('main', () => {
  it('writes the status the workflow branches on', async () => {
    // Prepare
    const json = join(mkdtempSync(join(scratch, 'drift-')), 'status.json');

    // Act
    const result = await cli([DRIFT, '--json', json]);

    // Assess
    expect(result.code).toBe(0);
    expect(JSON.parse(readFileSync(json, 'utf8'))).toEqual({
      drifted: ['media-prod'],
      pending: [],
      failed: [],
      clean: ['etl-prod'],
      notify: true,
    });
  });

  it('exits 1 naming an exit code file that holds something else', async () => {
    // Prepare: a copy of the fixtures with one exit code broken.
    const dir = mkdtempSync(join(scratch, 'drift-'));
    cpSync(DRIFT, dir, { recursive: true });
    writeFileSync(join(dir, 'etl-prod.exitcode'), 'ok\n');

    // Act
    const result = await cli([dir]);

    // Assess
    expect(result.code).toBe(1);
    expect(result.err).toContain('etl-prod.exitcode: holds "ok", not an exit code');
  });

  it('exits 2 without a folder', async () => {
    expect((await cli(['--json', 'x.json'])).code).toBe(2);
  });
});
