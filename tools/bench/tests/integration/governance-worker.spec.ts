/** The governance bench's child process on a small generated plan: scan and parse-only modes. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { generateLargePlan } from '@slipway/governance';

const ROOT = join(__dirname, '../../../..');

function worker(
  mode: string,
  target: string,
): { ms: number; maxRssBytes: number; resources: number } {
  const stdout = execFileSync(
    join(ROOT, 'node_modules/.bin/tsx'),
    [join(ROOT, 'tools/bench/src/governance-worker.ts'), mode, target],
    { cwd: ROOT, encoding: 'utf8' },
  );
  return JSON.parse(stdout.trim());
}

describe('governance-worker', () => {
  it('scans a generated plan and parses it as the baseline, each reporting its resources', () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'gov-bench-'));
    try {
      const file = join(dir, 'plan.json');
      writeFileSync(file, JSON.stringify(generateLargePlan(80)));

      // Act
      const scanned = worker('scan-plan', file);
      const parsed = worker('parse-plan', file);

      // Assess
      expect(scanned.resources).toBe(80);
      expect(parsed.resources).toBe(80);
      expect(scanned.ms).toBeGreaterThan(0);
      expect(scanned.maxRssBytes).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails with its usage on an unknown mode', () => {
    expect(() => worker('frobnicate', 'x')).toThrow(/unknown mode frobnicate/);
  });
});
