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

describe('reproducible Lambda packages', () => {
  it('gives the same sha256 for every zip from two clean builds in different folders, time zones and umasks', () => {
    const a = copyWorkspace('repro-a');
    const b = copyWorkspace('repro-b');

    shOk(a, 'umask 022 && npx nx run-many -t package --skip-nx-cache', { TZ: 'UTC' });
    shOk(b, 'umask 077 && npx nx run-many -t package --skip-nx-cache', { TZ: 'Asia/Tokyo' });

    const first = shas(a);
    expect(Object.keys(first).length).toBeGreaterThan(0);
    expect(shas(b)).toEqual(first);
  });
});
