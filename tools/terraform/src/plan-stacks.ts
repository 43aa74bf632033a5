/**
 * Plans every synthesized stack of one environment offline and writes, per stack,
 * `dist/terraform/plans/<env>/<stack>.json` (`terraform show -json`) plus `summary.json`.
 *
 * Usage: tsx tools/terraform/src/plan-stacks.ts --environment=dev (or: npx nx run stacks:plan:dev)
 */
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { planOffline, type PlanSummary } from './offline-plan';

const root = resolve(__dirname, '../../..');

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { environment: { type: 'string' } } });
  const env = values.environment;
  if (!env || !/^[a-z][a-z0-9]{1,9}$/.test(env)) {
    throw new Error(
      'Give the environment to plan: --environment=dev (one of the keys of terraform/stacks/environments.json).',
    );
  }
  const stacksDir = join(root, 'terraform/stacks/cdktf.out/stacks');
  const stacks = existsSync(stacksDir)
    ? readdirSync(stacksDir)
        .filter((s) => s.endsWith(`-${env}`))
        .sort()
    : [];
  if (stacks.length === 0) {
    throw new Error(
      `No synthesized stack ends with -${env}: run npx nx run stacks:synth first, and check the environment name.`,
    );
  }
  const outDir = join(root, 'dist/terraform/plans', env);
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const summary: Record<string, PlanSummary> = {};
  for (const stack of stacks) {
    const { summary: s } = await planOffline({
      dir: join(stacksDir, stack),
      outFile: join(outDir, `${stack}.json`),
    });
    summary[stack] = s;
    console.log(
      `${stack}: ${s.create} to add, ${s.update} to change, ${s.replace} to replace, ${s.delete} to destroy`,
    );
  }
  await writeFile(join(outDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exitCode = 1;
});
