import { describe, expect, it } from '@jest/globals';
import { TraceMap } from '@jridgewell/trace-mapping';
import { attributeProfile, summarizeProfiles, type CpuProfile } from '../../src/init-profile';

const BUNDLE = '/var/task/handler.js';
// Line 2 of the bundle comes from a package, line 3 from a project; line 1 maps to nothing.
const MAP = new TraceMap({
  version: 3,
  sources: ['../../node_modules/@smithy/core/dist/index.js', '../../libs/edge/src/jwt.ts'],
  names: [],
  mappings: ';AAAA;ACAA',
});

const frame = (functionName: string, url: string, lineNumber = 0) => ({
  functionName,
  url,
  lineNumber,
  columnNumber: 0,
  scriptId: 0,
});

/**
 * root → bootstrap (before the probe) and root → [eval] → module wrapper (line 1) → smithy (line
 * 2) → node:internal require, and wrapper → jwt (line 3); plus GC at the root.
 */
const PROFILE: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)', ''), children: [2, 3, 9] },
    { id: 2, callFrame: frame('bootstrap', 'node:internal/bootstrap/node') },
    { id: 3, callFrame: frame('', '[eval]'), children: [4] },
    { id: 4, callFrame: frame('', `file://${BUNDLE}`, 0), children: [5, 7, 8] },
    { id: 5, callFrame: frame('createClient', `file://${BUNDLE}`, 1), children: [6] },
    { id: 6, callFrame: frame('require', 'node:internal/modules/cjs/loader') },
    { id: 7, callFrame: frame('verify', `file://${BUNDLE}`, 2) },
    { id: 8, callFrame: frame('compileFunction', 'node:internal/vm') },
    { id: 9, callFrame: frame('(garbage collector)', '') },
  ],
  // bootstrap, then the probe: smithy's own code, a builtin it requires, jwt, GC, the wrapper
  // compiling, then bootstrap again (after the probe, not counted).
  samples: [2, 5, 6, 7, 9, 8, 2, 2],
  timeDeltas: [0, 100, 200, 300, 400, 500, 600, 700],
};

describe('attributeProfile', () => {
  it('counts each probe sample for the innermost mapped bundle frame, GC within the probe, nothing else', () => {
    const owners = Object.fromEntries(attributeProfile(PROFILE, BUNDLE, MAP));
    // A sample's time is the delta to the next sample.
    expect(owners).toEqual({
      '@smithy/core': 200 + 300,
      'libs/edge': 400,
      '(garbage collector)': 500,
      'node: loading and compiling handler.js': 600,
    });
  });

  it('attributes nothing when no sample was taken inside the probe', () => {
    const profile = { ...PROFILE, samples: [2, 2, 2, 2, 2, 2, 2, 2] };
    expect(attributeProfile(profile, BUNDLE, MAP).size).toBe(0);
  });
});

describe('summarizeProfiles', () => {
  it('averages over runs, keeps the largest owners and folds the rest into other', () => {
    const runs = [
      new Map([
        ['a', 4_000],
        ['b', 2_000],
        ['c', 1_000],
      ]),
      new Map([
        ['a', 6_000],
        ['c', 1_000],
        ['d', 6_000],
      ]),
    ];
    expect(summarizeProfiles(runs, 2)).toEqual({
      totalMs: 10,
      runs: 2,
      owners: [
        { name: 'a', ms: 5, share: 0.5 },
        { name: 'd', ms: 3, share: 0.3 },
        { name: 'other', ms: 2, share: 0.2 },
      ],
    });
  });
});
