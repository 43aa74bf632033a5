import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidManifestError, loadManifest, parseManifest } from '../../src';

const FILE = join(__dirname, '../fixtures/demo-fn/lambda.manifest.json');
const valid = (): Record<string, unknown> => JSON.parse(readFileSync(FILE, 'utf8'));
const SHOWN = 'apps/demo-fn/lambda.manifest.json';

function problemsOf(raw: unknown): InvalidManifestError {
  try {
    parseManifest(raw, SHOWN);
  } catch (error) {
    if (error instanceof InvalidManifestError) return error;
    throw error;
  }
  throw new Error('expected the manifest to be rejected');
}

describe('Lambda manifest', () => {
  it('loads a valid manifest and applies defaults', () => {
    const manifest = loadManifest(FILE);

    expect(manifest).toMatchObject({
      name: 'demo-fn',
      runtime: 'nodejs22.x',
      architecture: 'arm64',
      memory: 512,
    });
    expect(manifest.runtimeDependencies).toEqual([]);
  });

  it('rejects memory out of range naming the field, the value and the range', () => {
    const error = problemsOf({ ...valid(), memory: 99999 });

    expect(error.message).toContain(SHOWN);
    expect(error.problems).toEqual([
      { field: 'memory', value: 99999, message: 'must be a whole number from 128 to 10240 (MB)' },
    ]);
    expect(error.message).toContain(
      'memory = 99999: must be a whole number from 128 to 10240 (MB)',
    );
  });

  it.each([
    ['timeout', 901, 'from 1 to 900'],
    ['timeout', 2.5, 'whole number'],
    ['reservedConcurrency', -1, 'from 0 to 1000'],
    ['architecture', 'sparc', 'arm64'],
    ['runtime', 'nodejs18.x', 'nodejs22.x'],
    ['logRetentionDays', 8, 'CloudWatch Logs accepts'],
    ['ephemeralStorageMb', 256, 'from 512 to 10240'],
    ['name', 'Demo_Fn', 'lowercase'],
    ['domain', '', 'domain'],
  ])('rejects %s = %p', (field, value, hint) => {
    const error = problemsOf({ ...valid(), [field]: value });

    expect(error.problems).toHaveLength(1);
    expect(error.problems[0].field).toBe(field);
    expect(error.problems[0].value).toEqual(value);
    expect(error.problems[0].message).toContain(hint);
  });

  it('names a missing required field', () => {
    const raw = valid();
    delete raw.timeout;

    expect(problemsOf(raw).problems).toEqual([
      { field: 'timeout', value: undefined, message: 'is required (number)' },
    ]);
  });

  it('rejects an unknown field and lists the known ones', () => {
    const error = problemsOf({ ...valid(), memroy: 256 });

    expect(error.problems[0].field).toBe('memroy');
    expect(error.problems[0].message).toContain('known fields: $schema, name, domain');
  });

  it('refuses secret-looking environment variables but allows references to them', () => {
    const error = problemsOf({ ...valid(), environment: { DB_PASSWORD: 'hunter2' } });

    expect(error.problems[0].field).toBe('environment.DB_PASSWORD');
    expect(error.problems[0].message).toContain('SSM Parameter Store');
    expect(() =>
      parseManifest({ ...valid(), environment: { DB_PASSWORD_PARAM: 'media/db' } }, SHOWN),
    ).not.toThrow();
  });

  it('refuses reserved AWS_ environment variables', () => {
    expect(
      problemsOf({ ...valid(), environment: { AWS_REGION: 'x' } }).problems[0].message,
    ).toContain('reserved');
  });

  it('refuses a duration alarm above the timeout', () => {
    const error = problemsOf({ ...valid(), alarms: { durationP99Ms: 31000 } });

    expect(error.problems[0]).toMatchObject({ field: 'alarms.durationP99Ms', value: 31000 });
    expect(error.problems[0].message).toContain('30000 ms');
  });

  it('requires exact versions for runtime dependencies', () => {
    const error = problemsOf({
      ...valid(),
      runtimeDependencies: [{ name: 'sharp', version: '^0.34.0' }],
    });

    expect(error.problems[0].field).toBe('runtimeDependencies.0.version');
  });

  it('requires the name to match the app folder', () => {
    expect(problemsOf({ ...valid(), name: 'other-fn' }).problems[0].message).toContain(
      'folder name "demo-fn"',
    );
  });

  it('explains unreadable and non-JSON files', () => {
    expect(() => loadManifest('/nonexistent/x/lambda.manifest.json')).toThrow(/cannot be read/);
    expect(() => loadManifest(__filename)).toThrow(/not valid JSON/);
  });
});
