/**
 * Synthesizes every stack into terraform/stacks/cdktf.out atomically: the app is synthesized
 * into a sibling temporary folder which replaces cdktf.out only when synthesis succeeded, so
 * a failure never leaves half-written stacks behind. Each stack folder gets the committed
 * provider lock file.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildApp, copyLockFile } from './app';
import { SYNTH_DIR } from './modules';

const root = resolve(__dirname, '../../..');
const target = join(root, SYNTH_DIR);
const tmp = `${target}.tmp-${process.pid}`;

try {
  const { app, stacks } = buildApp(root, tmp);
  app.synth();
  copyLockFile(root, tmp, stacks);
  rmSync(target, { recursive: true, force: true });
  renameSync(tmp, target);
  console.log(`Synthesized ${stacks.length} stacks into ${SYNTH_DIR}: ${stacks.join(', ')}`);
} catch (error) {
  if (existsSync(tmp)) rmSync(tmp, { recursive: true, force: true });
  console.error((error as Error).message);
  process.exitCode = 1;
}
