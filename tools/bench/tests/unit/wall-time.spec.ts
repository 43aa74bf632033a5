import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { isFullyCached, parseNxCacheSummary } from '../../src/wall-time';

const fixture = (name: string) =>
  readFileSync(join(__dirname, '../fixtures/nx-output', name), 'utf8');

describe('parseNxCacheSummary', () => {
  it('reads the footer of a fully cached run', () => {
    expect(parseNxCacheSummary(fixture('cached.txt'))).toEqual({ hits: 3, total: 3 });
  });

  it('reads the footer of a run that built everything', () => {
    expect(parseNxCacheSummary(fixture('uncached.txt'))).toEqual({ hits: 0, total: 3 });
  });

  it('reads the older "read the output from the cache" line', () => {
    const output =
      'Nx read the output from the cache instead of running the command for 2 out of 3 tasks.';
    expect(parseNxCacheSummary(output)).toEqual({ hits: 2, total: 3 });
  });

  it('returns undefined when there is no summary', () => {
    expect(parseNxCacheSummary('NX   Could not find target package')).toBeUndefined();
  });
});

describe('isFullyCached', () => {
  it('is true only when every task, and at least one, came from the cache', () => {
    expect(isFullyCached({ hits: 3, total: 3 })).toBe(true);
    expect(isFullyCached({ hits: 2, total: 3 })).toBe(false);
    expect(isFullyCached({ hits: 0, total: 0 })).toBe(false);
    expect(isFullyCached(undefined)).toBe(false);
  });
});
