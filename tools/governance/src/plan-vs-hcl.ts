/**
 * Plan vs HCL for our own modules (issue 16, item 3): for every `terraform/modules/<m>/examples/<e>`,
 * the time and the findings of
 * - the module gate as it runs today (`scan --hcl terraform/modules/<m> --profile baseline`),
 * - an HCL scan of the example (the module as that example calls it),
 * - an offline plan of the example (`planOffline`: init + plan + show, provider mirror from
 *   .ci/env.sh) and a scan of that plan.
 * Findings are compared by rule id and module-relative address (`module.<call>.` of the example's
 * call dropped), so a difference is a resource one method reports and the other does not.
 *
 * Run: `npx tsx tools/governance/src/plan-vs-hcl.ts [--json out.json] [module ...]` after
 * `source .ci/env.sh`. Examples are planned in a temporary copy (their `source` paths made
 * absolute), so nothing is written into terraform/modules.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { planOffline } from '@slipway/terraform';
import { scan, type ScanResult } from './engine';

/** What one example measured. Times in milliseconds. */
export interface ExampleMeasurement {
  module: string;
  example: string;
  /** In-process HCL scan of the module folder (the module gate without process start-up). */
  moduleHclMs: number;
  /** In-process HCL scan of the example folder. */
  exampleHclMs: number;
  /** `terraform init` + `plan` + `show -json` of the example, offline. */
  terraformPlanMs: number;
  /** Scan of that plan JSON. */
  planScanMs: number;
  /** `rule address` of each open finding, module-relative, per method. */
  moduleHcl: string[];
  exampleHcl: string[];
  plan: string[];
  /** Scan warnings (values governance could not verify), per method. */
  warnings: { moduleHcl: string[]; exampleHcl: string[]; plan: string[] };
  /** Set when the example could not be planned offline. */
  planError?: string;
}

/** Options of {@link measurePlanVsHcl}. */
export interface MeasureOptions {
  /** Repository root (defaults to the current directory). */
  repo?: string;
  /** Only these modules (folder names under terraform/modules). */
  modules?: string[];
  /** Called after each example, e.g. to print progress. */
  onExample?: (m: ExampleMeasurement) => void;
}

const ms = (start: number) => Math.round(performance.now() - start);

/** `rule address` keys of a scan's open findings, with the example's module call prefix dropped. */
export function findingKeys(result: ScanResult, callPrefix?: RegExp): string[] {
  return result.findings
    .filter((f) => !f.waived && !f.allowed)
    .map((f) => `${f.ruleId} ${callPrefix ? f.address.replace(callPrefix, '') : f.address}`)
    .sort();
}

/** The example copied to `dest` with every relative module `source` made absolute. */
function copyExample(exampleDir: string, dest: string): void {
  cpSync(exampleDir, dest, {
    recursive: true,
    filter: (src) => !src.includes(`${path.sep}.terraform`),
  });
  for (const file of readdirSync(dest).filter((f) => f.endsWith('.tf'))) {
    const text = readFileSync(path.join(dest, file), 'utf8')
      .replace(
        /(\bsource\s*=\s*")(\.{1,2}\/[^"]*)"/g,
        (_m, head: string, rel: string) => `${head}${path.resolve(exampleDir, rel)}"`,
      )
      // file("${path.module}/...") keeps reading the example's own neighbours.
      .replaceAll('${path.module}', exampleDir);
    writeFileSync(path.join(dest, file), text);
  }
}

/** The names of the module calls in an example (`module "media" {` → `media`). */
function moduleCalls(exampleDir: string): string[] {
  const names: string[] = [];
  for (const file of readdirSync(exampleDir).filter((f) => f.endsWith('.tf')))
    for (const m of readFileSync(path.join(exampleDir, file), 'utf8').matchAll(
      /^module\s+"([^"]+)"/gm,
    ))
      names.push(m[1]);
  return names;
}

/**
 * Measures every example of every module (sequentially: terraform init shares the plugin cache
 * and the machine is small). See the file's docblock.
 */
export async function measurePlanVsHcl(
  options: MeasureOptions = {},
): Promise<ExampleMeasurement[]> {
  const repo = path.resolve(options.repo ?? '.');
  const modulesDir = path.join(repo, 'terraform/modules');
  const modules = (options.modules?.length ? options.modules : readdirSync(modulesDir)).sort();
  const scratch = mkdtempSync(path.join(tmpdir(), 'governance-plan-vs-hcl-'));
  const out: ExampleMeasurement[] = [];
  const common = {
    profile: 'baseline' as const,
    waivers: path.join(repo, 'governance/waivers.yaml'),
    config: path.join(repo, 'governance/config.yaml'),
  };
  try {
    // Warm-up: the first scan loads hcl2json's WebAssembly and compiles the engine.
    await scan({ ...common, hcl: [path.join(modulesDir, modules[0])] });
    for (const module of modules) {
      const moduleDir = path.join(modulesDir, module);
      let examples: string[];
      try {
        examples = readdirSync(path.join(moduleDir, 'examples')).sort();
      } catch {
        continue;
      }
      let t = performance.now();
      const moduleResult = await scan({ ...common, hcl: [moduleDir] });
      const moduleHclMs = ms(t);
      for (const example of examples) {
        const exampleDir = path.join(moduleDir, 'examples', example);
        const calls = moduleCalls(exampleDir);
        const prefix = calls.length
          ? new RegExp(`^module\\.(?:${calls.map((c) => c.replace(/[-]/g, '\\-')).join('|')})\\.`)
          : undefined;
        t = performance.now();
        const exampleResult = await scan({ ...common, hcl: [exampleDir] });
        const exampleHclMs = ms(t);

        const root = path.join(scratch, `${module}-${example}`);
        copyExample(exampleDir, root);
        const planFile = path.join(root, 'plan.json');
        let terraformPlanMs = 0;
        let planScanMs = 0;
        let planResult: ScanResult | undefined;
        let planError: string | undefined;
        try {
          t = performance.now();
          await planOffline({ dir: root, outFile: planFile });
          terraformPlanMs = ms(t);
          t = performance.now();
          planResult = await scan({ ...common, plans: [planFile], planRoot: root });
          planScanMs = ms(t);
        } catch (error) {
          planError = (error as Error).message.split('\n').slice(0, 6).join(' ');
        }
        const m: ExampleMeasurement = {
          module,
          example,
          moduleHclMs,
          exampleHclMs,
          terraformPlanMs,
          planScanMs,
          moduleHcl: findingKeys(moduleResult),
          exampleHcl: findingKeys(exampleResult, prefix),
          plan: planResult ? findingKeys(planResult, prefix) : [],
          warnings: {
            moduleHcl: moduleResult.warnings,
            exampleHcl: exampleResult.warnings,
            plan: planResult?.warnings ?? [],
          },
          ...(planError ? { planError } : {}),
        };
        out.push(m);
        options.onExample?.(m);
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return out;
}

/** Drops `module.<call>.` of an example's module call from a warning's address. */
const CALL_PREFIX = /^(\S+ )module\.[A-Za-z0-9_-]+\./;

/** Entries of `a` not in `b`. */
const minus = (a: string[], b: string[]) => a.filter((x) => !b.includes(x));

/** A Markdown table of the measurements and the list of differing findings. */
export function renderMeasurements(rows: ExampleMeasurement[]): string {
  const lines = [
    '| example | module HCL ms | example HCL ms | terraform plan ms | plan scan ms | findings module / example / plan | warnings module / example / plan |',
    '| --- | ---: | ---: | ---: | ---: | --- | --- |',
  ];
  for (const r of rows)
    lines.push(
      `| ${r.module}/${r.example} | ${r.moduleHclMs} | ${r.exampleHclMs} | ${r.planError ? 'failed' : r.terraformPlanMs} | ${r.planScanMs} | ${r.moduleHcl.length} / ${r.exampleHcl.length} / ${r.plan.length} | ${r.warnings.moduleHcl.length} / ${r.warnings.exampleHcl.length} / ${r.warnings.plan.length} |`,
    );
  const sum = (f: (r: ExampleMeasurement) => number) => rows.reduce((s, r) => s + f(r), 0);
  lines.push(
    `| **total** | ${sum((r) => r.moduleHclMs)} | ${sum((r) => r.exampleHclMs)} | ${sum((r) => r.terraformPlanMs)} | ${sum((r) => r.planScanMs)} | | |`,
    '',
  );
  for (const r of rows) {
    const diffs = [
      ...minus(r.moduleHcl, r.plan).map((k) => `module HCL only: ${k}`),
      ...minus(r.plan, r.moduleHcl).map((k) => `plan only (vs module HCL): ${k}`),
      ...minus(r.exampleHcl, r.plan).map((k) => `example HCL only: ${k}`),
      ...minus(r.plan, r.exampleHcl).map((k) => `plan only (vs example HCL): ${k}`),
    ];
    // Warnings: what a method could not verify, keyed like findings.
    const w = (list: string[]) =>
      list.map((x) => x.split(' ').slice(0, 2).join(' ').replace(CALL_PREFIX, '$1')).sort();
    const [wm, wp] = [w(r.warnings.moduleHcl), w(r.warnings.plan)];
    diffs.push(
      ...minus(wm, wp).map((k) => `unverified in module HCL only: ${k}`),
      ...minus(wp, wm).map((k) => `unverified in the plan only: ${k}`),
    );
    if (r.planError) diffs.push(`plan failed: ${r.planError}`);
    if (diffs.length) lines.push(`- ${r.module}/${r.example}: ${diffs.join('; ')}`);
  }
  return `${lines.join('\n')}\n`;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const jsonAt = args.indexOf('--json');
  const jsonOut = jsonAt >= 0 ? args.splice(jsonAt, 2)[1] : undefined;
  measurePlanVsHcl({
    modules: args,
    onExample: (m) =>
      console.error(
        `${m.module}/${m.example}: module HCL ${m.moduleHclMs} ms, example HCL ${m.exampleHclMs} ms, plan ${m.terraformPlanMs} ms + scan ${m.planScanMs} ms${m.planError ? ` (plan failed: ${m.planError})` : ''}`,
      ),
  }).then(
    (rows) => {
      if (jsonOut) writeFileSync(jsonOut, `${JSON.stringify(rows, null, 2)}\n`);
      process.stdout.write(renderMeasurements(rows));
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
