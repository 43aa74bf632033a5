import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../src/errors';
import {
  findStaleness,
  main,
  parseArgs,
  parseStateVersion,
  readMetadata,
  type ApplyContext,
  type PlanMetadata,
} from '../../src/plan-guard';

/** This file's temp folders live under one folder, removed after its tests (also on failure). */
const scratch = mkdtempSync(join(tmpdir(), 'plan-guard-spec-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const recorded: PlanMetadata = {
  version: 1,
  stack: 'media-staging',
  environment: 'staging',
  commit: 'a'.repeat(40),
  planSha256: 'b'.repeat(64),
  state: { lineage: '7ec2fee2-7c32-e011-4a19-d9330815923f', serial: 12 },
  terraformVersion: '1.11.4',
  createdAt: '2026-11-27T21:00:00.000Z',
};
const matching: ApplyContext = {
  stack: recorded.stack,
  environment: recorded.environment,
  commit: recorded.commit,
  planSha256: recorded.planSha256,
  state: { ...recorded.state },
};

describe('findStaleness', () => {
  it('finds nothing when everything is as recorded', () => {
    expect(findStaleness(recorded, matching)).toEqual([]);
  });

  it.each<[string, Partial<ApplyContext>, RegExp]>([
    [
      'another commit',
      { commit: 'c'.repeat(40) },
      /made at commit a{40}, but c{40} is checked out/,
    ],
    [
      'another plan file',
      { planSha256: 'd'.repeat(64) },
      /sha256 is d{16}…, not the b{16}… recorded/,
    ],
    [
      'a later serial',
      { state: { lineage: recorded.state.lineage, serial: 13 } },
      /moved from serial 12 to 13/,
    ],
    ['another lineage', { state: { lineage: 'other', serial: 12 } }, /lineage is now "other"/],
    ['a removed state', { state: { lineage: '', serial: 0 } }, /lineage is now "\(no state\)"/],
    [
      'another stack',
      { stack: 'media-prod', environment: 'prod' },
      /for media-staging \(staging\), not for media-prod \(prod\)/,
    ],
  ])('reports %s', (_case, change, message) => {
    // Act
    const problems = findStaleness(recorded, { ...matching, ...change });

    // Assess
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  it('reports a state created after a plan made without one', () => {
    // Prepare
    const fresh: PlanMetadata = { ...recorded, state: { lineage: '', serial: 0 } };

    // Act
    const problems = findStaleness(fresh, { ...matching, state: { lineage: 'new', serial: 1 } });

    // Assess
    expect(problems).toEqual([expect.stringContaining('had no state when the plan was made')]);
  });
});

describe('parseStateVersion', () => {
  it('reads lineage and serial, and an empty pull as no state', () => {
    expect(parseStateVersion('{"lineage":"x","serial":3,"version":4}', 's')).toEqual({
      lineage: 'x',
      serial: 3,
    });
    expect(parseStateVersion('\n', 's')).toEqual({ lineage: '', serial: 0 });
  });

  it('rejects JSON that is not a state', () => {
    expect(() => parseStateVersion('{"version":4}', 'pull')).toThrow(
      'pull: holds a state without "lineage" and "serial"',
    );
  });
});

describe('readMetadata', () => {
  it('names the missing file and the likely cause', () => {
    expect(() => readMetadata('/nonexistent/media-dev.tfplan.meta.json')).toThrow(
      'Was the plan artifact downloaded whole?',
    );
  });

  it('rejects metadata of another shape', () => {
    // Prepare
    const file = join(mkdtempSync(join(scratch, 'meta-')), 'x.meta.json');
    writeFileSync(file, JSON.stringify({ ...recorded, version: 2 }));

    // Act / Assess
    expect(() => readMetadata(file)).toThrow('is not plan metadata of version 1');
  });
});

describe('parseArgs', () => {
  it('reads a verify command', () => {
    expect(
      parseArgs(['verify', '--plan', 'p', '--stack=s', '--environment', 'dev', '--dir', 'd']),
    ).toEqual({
      command: 'verify',
      plan: 'p',
      stack: 's',
      environment: 'dev',
      dir: 'd',
    });
  });

  it.each([
    [['apply', '--plan', 'p'], 'unknown command "apply"'],
    [['record', '--stack', 's', '--environment', 'dev'], '--plan is required'],
    [
      ['record', '--plan', 'p', '--stack', 's', '--environment', 'dev', '--dir', 'd'],
      '--dir is only used by verify',
    ],
    [['verify', '--plan'], '--plan needs a value'],
  ])('rejects %j', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
    expect(() => parseArgs(argv)).toThrow(message);
  });
});

describe('main', () => {
  it('exits 2 with the usage on bad usage', async () => {
    // Prepare
    const errors: string[] = [];

    // Act
    const code = await main(['verify'], {
      write: () => undefined,
      error: (s) => void errors.push(s),
    });

    // Assess
    expect(code).toBe(2);
    expect(errors.join('')).toContain('Usage: plan-guard record');
  });
});
