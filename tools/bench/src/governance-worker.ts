/**
 * Child process of the governance bench (tsx, so the engine runs from source). One measurement
 * per process, so each reports its own peak RSS:
 *
 *   tsx governance-worker.ts scan-plan <plan.json>    the engine on one plan file (read + parse + scan)
 *   tsx governance-worker.ts parse-plan <plan.json>   baseline: read + JSON.parse only
 *   tsx governance-worker.ts scan-repo <root>         the engine on every module, root and dev plan
 *   tsx governance-worker.ts parse-repo <root>        baseline: hcl2json on every .tf + JSON.parse of the plans
 *
 * Prints one JSON line: { ms, maxRssBytes, resources }.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseHcl } from '@cdktn/hcl2json';
import { scan } from '@slipway/governance';
import { repoInputs } from './governance';

async function measure(run: () => Promise<number>): Promise<void> {
  const start = process.hrtime.bigint();
  const resources = await run();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  process.stdout.write(
    `${JSON.stringify({ ms, maxRssBytes: process.resourceUsage().maxRSS * 1024, resources })}\n`,
  );
}

function tfFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.tf'))
    .map((e) => join(dir, e.name));
}

async function main(): Promise<void> {
  const [mode, target] = process.argv.slice(2);
  if (!target)
    throw new Error(
      'usage: governance-worker.ts <scan-plan|parse-plan|scan-repo|parse-repo> <file|root>',
    );
  switch (mode) {
    case 'scan-plan':
      return measure(
        async () => (await scan({ plans: [target], profile: 'baseline' })).resourceCount,
      );
    case 'parse-plan':
      return measure(async () => {
        const plan = JSON.parse(readFileSync(target, 'utf8')) as { resource_changes?: unknown[] };
        return plan.resource_changes?.length ?? 0;
      });
    case 'scan-repo': {
      process.chdir(target);
      const inputs = repoInputs(target);
      return measure(async () => {
        let resources = 0;
        for (const dir of inputs.hcl)
          resources += (await scan({ hcl: [dir], profile: 'baseline' })).resourceCount;
        resources += (
          await scan({
            plans: inputs.plans,
            planRoots: inputs.planRoots,
            environment: 'dev',
            config: 'governance/config.yaml',
          })
        ).resourceCount;
        return resources;
      });
    }
    case 'parse-repo': {
      const inputs = repoInputs(target);
      return measure(async () => {
        let blocks = 0;
        for (const dir of inputs.hcl)
          for (const file of tfFiles(dir))
            blocks += Object.keys(await parseHcl(file, readFileSync(file, 'utf8'))).length;
        for (const plan of inputs.plans) JSON.parse(readFileSync(plan, 'utf8'));
        return blocks;
      });
    }
    default:
      throw new Error(`unknown mode ${mode}`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
