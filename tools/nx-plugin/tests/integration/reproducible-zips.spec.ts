import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyWorkspace, shOk } from './workspace';

/**
 * Every Lambda's base64 sha256 after a clean `nx run-many -t package` in `dir`, and that of the
 * source map `package` writes beside the zip (not in it): both must be reproducible.
 */
function shas(dir: string): Record<string, { zip: string; map: string }> {
  const names = readdirSync(join(dir, 'dist/apps'));
  const out = (n: string, file: string) => join(dir, 'dist/apps', n, file);
  return Object.fromEntries(
    names.map((n) => [
      n,
      {
        zip: readFileSync(out(n, `${n}.zip.sha256`), 'utf8'),
        map: createHash('sha256')
          .update(readFileSync(out(n, `${n}.js.map`)))
          .digest('base64'),
      },
    ]),
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
  it('gives the same sha256 for each kind of zip, and for its source map, from two clean builds in different folders, time zones and umasks', () => {
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
