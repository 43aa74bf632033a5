/**
 * The synthesized stacks (cdktf.out, written by `nx run stacks:synth`, which this target depends
 * on through stacks:plan) equal the committed snapshot in tests/fixtures/synth: same stacks, same
 * module calls, outputs, backend and provider blocks, same variables. The snapshot was first
 * written by cdktf 0.21 before the move to CDK Terrain (see git log of the folder), so this
 * proves the move changed no address.
 *
 * When the stacks change on purpose, refresh it and review the fixture diff:
 *   UPDATE_SYNTH_SNAPSHOT=1 npx nx run stacks:integration --skip-nx-cache
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SYNTH_DIR } from '../../src/modules';
import {
  diffSnapshots,
  LIBRARY_VERSION,
  readSnapshot,
  readSynth,
  withHashes,
  writeSnapshot,
} from '../support/synth-snapshot';

const REPO = join(__dirname, '../../../..');
const OUT = join(REPO, SYNTH_DIR);
const SNAPSHOT = join(__dirname, '../fixtures/synth');

const hashOf = (lambda: string) =>
  readFileSync(join(REPO, 'dist/apps', lambda, `${lambda}.zip.sha256`), 'utf8').trim();

describe('synthesized stacks', () => {
  const actual = readSynth(OUT);
  if (process.env.UPDATE_SYNTH_SNAPSHOT === '1') writeSnapshot(SNAPSHOT, actual);
  const expected = readSnapshot(SNAPSHOT);

  it('equal the committed snapshot (refresh on purpose: UPDATE_SYNTH_SNAPSHOT=1)', () => {
    // Assess: a readable list of what moved first, then the full comparison.
    expect(diffSnapshots(expected, actual)).toEqual([]);
    expect(actual).toEqual(expected);
    expect(Object.keys(actual.stacks)).toEqual([
      'etl-dev',
      'etl-prod',
      'etl-staging',
      'media-dev',
      'media-prod',
      'media-staging',
      'platform-dev',
      'platform-prod',
      'platform-staging',
    ]);
  });

  it('differ from the snapshot only in the code hashes of dist/apps and the library version', () => {
    for (const [name, stack] of Object.entries(expected.stacks)) {
      // Prepare
      const raw = JSON.parse(readFileSync(join(OUT, 'stacks', name, 'cdk.tf.json'), 'utf8'));
      raw['//'].metadata.version = LIBRARY_VERSION;

      // Assess
      expect({ name, stack: withHashes(stack, hashOf) }).toEqual({ name, stack: raw });
    }
  });
});
