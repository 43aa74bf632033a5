/**
 * The stacks synthesized from the frozen inputs (tests/support/frozen-inputs.ts: the manifests
 * and environments as they were when the snapshot was taken) equal the committed snapshot in
 * tests/fixtures/synth: same stacks, same module calls, outputs, backend and provider blocks, same
 * variables. The snapshot was first written by cdktf 0.21 before the move to CDK Terrain (see git
 * log of the folder), so this proves the move changed no address, and guards the next upgrade.
 *
 * A new or changed Lambda does not touch it. When the stack code or a flow changes on purpose,
 * refresh it and review the fixture diff:
 *   UPDATE_SYNTH_SNAPSHOT=1 npx nx run stacks:integration --skip-nx-cache
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { frozenCodeHash, synthesizeFrozenInputs } from '../support/frozen-inputs';
import {
  diffSnapshots,
  LIBRARY_VERSION,
  readSnapshot,
  readSynth,
  withHashes,
  writeSnapshot,
} from '../support/synth-snapshot';

const SNAPSHOT = join(__dirname, '../fixtures/synth');
const work = mkdtempSync(join(tmpdir(), 'stacks-snapshot-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const OUT = synthesizeFrozenInputs(work);

describe('stacks synthesized from the frozen inputs', () => {
  const actual = readSynth(OUT);
  if (process.env.UPDATE_SYNTH_SNAPSHOT === '1') writeSnapshot(SNAPSHOT, actual);
  const expected = readSnapshot(SNAPSHOT);

  it('equal the committed snapshot (refresh on purpose: UPDATE_SYNTH_SNAPSHOT=1)', () => {
    // Assess: a readable list of what moved first, then the full comparison.
    expect(diffSnapshots(expected, actual)).toEqual([]);
    expect(actual).toEqual(expected);
    expect(Object.keys(actual.stacks)).toEqual([
      // The frozen inputs declare no edge Lambda: these hold the edge's table (libs/manifest TABLES).
      'edge-dev',
      'edge-prod',
      'edge-staging',
      'etl-dev',
      'etl-prod',
      'etl-staging',
      // The frozen inputs declare no jobs Lambda either: its tables and email template.
      'jobs-dev',
      'jobs-prod',
      'jobs-staging',
      'media-dev',
      'media-prod',
      'media-staging',
      'platform-dev',
      'platform-prod',
      'platform-staging',
    ]);
  });

  it('differ from the snapshot only in the code hashes and the library version', () => {
    for (const [name, stack] of Object.entries(expected.stacks)) {
      // Prepare
      const raw = JSON.parse(readFileSync(join(OUT, 'stacks', name, 'cdk.tf.json'), 'utf8'));
      raw['//'].metadata.version = LIBRARY_VERSION;

      // Assess
      expect({ name, stack: withHashes(stack, frozenCodeHash) }).toEqual({ name, stack: raw });
    }
  });
});
