/**
 * The init profiler on a fixture bundle whose map names two sources: a package that spins 80 ms
 * at module init and a project that spins 10 ms. Real `node --cpu-prof` children, real map.
 */
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { profileInit } from '../../src/init-profile';

const BUNDLE = join(__dirname, '../fixtures/bundles/profiled/handler.cjs');

describe('profileInit', () => {
  it('attributes the sampled init to the packages the map names, largest first', () => {
    // Act
    const profile = profileInit(
      { name: 'profiled', bundleFile: BUNDLE, zipFile: '', environment: {} },
      2,
    );

    // Assess
    expect(profile.runs).toBe(2);
    const names = profile.owners.map((o) => o.name);
    expect(names[0]).toBe('heavy-pkg');
    expect(names).toContain('libs/own');
    const share = (name: string) => profile.owners.find((o) => o.name === name)!.share;
    // 80 ms against 10 ms of spinning (wall time, so a loaded machine moves the milliseconds
    // sampled but not their order).
    expect(share('heavy-pkg')).toBeGreaterThan(share('libs/own'));
    expect(profile.owners.reduce((s, o) => s + o.share, 0)).toBeCloseTo(1, 6);
  });

  it('says what to do when the bundle has no map beside it', () => {
    const bundle = join(__dirname, '../fixtures/bundles/throws.cjs');
    expect(() =>
      profileInit({ name: 'x', bundleFile: bundle, zipFile: '', environment: {} }, 1),
    ).toThrow(`${bundle}.map is missing: the init profile maps samples through the map`);
  });
});
