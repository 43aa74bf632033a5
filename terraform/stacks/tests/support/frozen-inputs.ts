/**
 * The inputs the synth snapshot was made from, frozen in tests/fixtures/synth/inputs: every
 * Lambda manifest and environments.json as they were when cdktf 0.21 wrote the snapshot. The
 * snapshot tests synthesize these, never the checkout's apps/, so adding or changing a Lambda
 * (the generator's promise: it passes every check with no edits) leaves them green; what they
 * guard is the CDK library and the stack code (src/, libs/flows) that turn inputs into Terraform.
 */
import { cpSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { buildApp } from '../../src/app';

const INPUTS = join(__dirname, '../fixtures/synth/inputs');

/** The base64 SHA-256 a frozen Lambda's package stands in with (the snapshot hides it anyway). */
export const frozenCodeHash = (lambda: string) =>
  createHash('sha256').update(`frozen:${lambda}`).digest('base64');

/**
 * Synthesizes the frozen inputs into `<work>/out` (a workspace root at `<work>/root` with an
 * empty zip and its `.sha256` per Lambda) and returns the output folder.
 */
export function synthesizeFrozenInputs(work: string): string {
  const root = join(work, 'root');
  cpSync(INPUTS, root, { recursive: true });
  for (const lambda of readdirSync(join(root, 'apps'))) {
    const dist = join(root, 'dist/apps', lambda);
    mkdirSync(dist, { recursive: true });
    writeFileSync(join(dist, `${lambda}.zip`), '');
    writeFileSync(join(dist, `${lambda}.zip.sha256`), `${frozenCodeHash(lambda)}\n`);
  }
  const out = join(work, 'out');
  buildApp(root, out).app.synth();
  return out;
}
