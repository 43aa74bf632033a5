import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { measureInit, runInitProbe } from '../../src/init-time';
import type { BenchTarget } from '../../src/lambdas';

// Real child `node` processes on fixture bundles: no network, no timing goals (only that a
// measurement is a number), those live in the bench itself.
const bundle = (name: string): BenchTarget => ({
  name,
  bundleFile: join(__dirname, '../fixtures/bundles', `${name}.cjs`),
  zipFile: join(__dirname, '../fixtures/bundles', `${name}.zip`),
  environment: {},
});

describe('runInitProbe', () => {
  it('measures the init of a bundle that exports a handler', () => {
    const result = runInitProbe(bundle('ok'), 'plain', process.execPath);

    expect(Number.isFinite(result.initMs)).toBe(true);
    expect(result.initMs).toBeGreaterThanOrEqual(0);
    expect(result.connects).toBe(0);
  });

  it('refuses a bundle without a handler export', () => {
    expect(() => runInitProbe(bundle('no-handler'), 'plain', process.execPath)).toThrow(
      /has no handler export/,
    );
  });

  it('refuses a bundle that opens a connection at init', () => {
    expect(() => runInitProbe(bundle('calls-network'), 'plain', process.execPath)).toThrow(
      /opened 1 network connection\(s\) during module init/,
    );
  });

  it('reports the error of a bundle that fails at init', () => {
    expect(() => runInitProbe(bundle('throws'), 'source-maps', process.execPath)).toThrow(
      /MAX_IMAGE_BYTES is not set/,
    );
  });
});

describe('measureInit', () => {
  it('collects one sample per round for every bundle and mode', () => {
    const rounds: number[] = [];
    const samples = measureInit([bundle('ok')], { runs: 2, onRound: (r) => rounds.push(r) });

    expect(samples.ok.plain).toHaveLength(2);
    expect(samples.ok['source-maps']).toHaveLength(2);
    expect(rounds).toEqual([1, 2]);
  });

  it('loads the linked copy of a bundle that keeps a package external, as the bundle itself', () => {
    // The copies go under the workspace (as run.ts does with dist/bench), so `require('zod')`
    // resolves from the workspace's node_modules; from the OS temp folder it would not.
    const parent = mkdtempSync(join(__dirname, '../fixtures/bundles/linked-'));
    try {
      const samples = measureInit([bundle('external-dep')], { runs: 1, linkParent: parent });
      expect(samples['external-dep']['source-maps']).toHaveLength(1);
      expect(() => measureInit([bundle('external-dep')], { runs: 1 })).toThrow(
        "Cannot find module 'zod'",
      );
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
