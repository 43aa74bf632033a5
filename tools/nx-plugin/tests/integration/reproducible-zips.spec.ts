import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyWorkspace, shOk } from './workspace';

/** Every Lambda's base64 sha256 after a clean `nx run-many -t package` in `dir`. */
function shas(dir: string): Record<string, string> {
  const names = readdirSync(join(dir, 'dist/apps'));
  return Object.fromEntries(
    names.map((n) => [n, readFileSync(join(dir, 'dist/apps', n, `${n}.zip.sha256`), 'utf8')]),
  );
}

/**
 * One Lambda of each packaging kind, so the test stays minutes short as apps/ grows: a native
 * npm runtime dependency installed for arm64 (sharp), a static executable from an npm package
 * (ffprobe), and a plain bundle with ESM-only dependencies (Parquet writer). Every Lambda goes
 * through the same package executor.
 */
const KINDS = ['media-thumbnails', 'media-probe', 'etl-transform'];

describe('reproducible Lambda packages', () => {
  it('gives the same sha256 for each kind of zip from two clean builds in different folders, time zones and umasks', () => {
    const a = copyWorkspace('repro-a');
    const b = copyWorkspace('repro-b');
    const command = `npx nx run-many -t package --skip-nx-cache -p ${KINDS.join(' ')}`;

    shOk(a, `umask 022 && ${command}`, { TZ: 'UTC' });
    shOk(b, `umask 077 && ${command}`, { TZ: 'Asia/Tokyo' });

    const first = shas(a);
    expect(Object.keys(first).sort()).toEqual([...KINDS].sort());
    expect(shas(b)).toEqual(first);
  });
});
