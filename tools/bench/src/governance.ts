import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateLargePlan } from '@slipway/governance';
import { ratio, summarize, type Summary } from './stats';

/** Resources in the generated plan (the target: 10,000 scanned in under 2 s). */
export const LARGE_PLAN_RESOURCES = 10_000;

/** Everything the repository's governance checks read: module and root folders, dev plans. */
export function repoInputs(root: string): {
  hcl: string[];
  plans: string[];
  planRoots: Record<string, string>;
} {
  const modules = readdirSync(join(root, 'terraform/modules')).map((m) => `terraform/modules/${m}`);
  const plansDir = 'dist/terraform/plans/dev';
  const stacksDir = 'terraform/stacks/cdktf.out/stacks';
  const plans: string[] = [];
  const planRoots: Record<string, string> = {};
  for (const file of existsSync(join(root, plansDir)) ? readdirSync(join(root, plansDir)) : []) {
    if (!file.endsWith('-dev.json')) continue;
    const plan = `${plansDir}/${file}`;
    plans.push(plan);
    planRoots[plan] = `${stacksDir}/${file.replace(/\.json$/, '')}`;
  }
  if (plans.length === 0)
    throw new Error(`No dev plans in ${plansDir}: run 'npx nx run stacks:plan:dev' first.`);
  return { hcl: [...modules, 'terraform/bootstrap'], plans, planRoots };
}

/** One worker run. */
export interface WorkerSample {
  ms: number;
  maxRssBytes: number;
  resources: number;
}

/** Raw samples of {@link measureGovernance}. */
export interface GovernanceSamples {
  repo: { scan: WorkerSample[]; parse: WorkerSample[] };
  plan: { resources: number; bytes: number; scan: WorkerSample[]; parse: WorkerSample[] };
}

/** The governance section of the report. */
export interface GovernanceReport {
  repo: { scan: Summary; parse: Summary; ratio: number; resources: number };
  plan: {
    resources: number;
    bytes: number;
    scan: Summary;
    parse: Summary;
    ratio: number;
    peakRss: { scan: number; parse: number; ratio: number };
  };
}

const peak = (samples: WorkerSample[]) => Math.max(...samples.map((s) => s.maxRssBytes));

/** Summarizes the samples (pure, for the unit tests). */
export function buildGovernanceReport(samples: GovernanceSamples): GovernanceReport {
  const repoScan = summarize(samples.repo.scan.map((s) => s.ms));
  const repoParse = summarize(samples.repo.parse.map((s) => s.ms));
  const planScan = summarize(samples.plan.scan.map((s) => s.ms));
  const planParse = summarize(samples.plan.parse.map((s) => s.ms));
  const scanRss = peak(samples.plan.scan);
  const parseRss = peak(samples.plan.parse);
  return {
    repo: {
      scan: repoScan,
      parse: repoParse,
      ratio: ratio(repoScan.median, repoParse.median),
      resources: samples.repo.scan[0]?.resources ?? 0,
    },
    plan: {
      resources: samples.plan.resources,
      bytes: samples.plan.bytes,
      scan: planScan,
      parse: planParse,
      ratio: ratio(planScan.median, planParse.median),
      peakRss: { scan: scanRss, parse: parseRss, ratio: ratio(scanRss, parseRss) },
    },
  };
}

function runWorker(root: string, mode: string, target: string): WorkerSample {
  const stdout = execFileSync(
    join(root, 'node_modules/.bin/tsx'),
    [join(root, 'tools/bench/src/governance-worker.ts'), mode, target],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return JSON.parse(stdout.trim().split('\n').pop() ?? '') as WorkerSample;
}

/**
 * Full-repository scan against parsing the same inputs, and a generated plan of
 * {@link LARGE_PLAN_RESOURCES} resources against `JSON.parse` of it: `rounds` fresh processes
 * each, alternating, so each sample has its own peak RSS.
 */
export function measureGovernance(root: string, rounds: number): GovernanceSamples {
  const dir = join(root, 'dist/bench/governance');
  mkdirSync(dir, { recursive: true });
  const planFile = join(dir, `plan-${LARGE_PLAN_RESOURCES}.json`);
  const text = JSON.stringify(generateLargePlan(LARGE_PLAN_RESOURCES));
  writeFileSync(planFile, text);
  const samples: GovernanceSamples = {
    repo: { scan: [], parse: [] },
    plan: { resources: LARGE_PLAN_RESOURCES, bytes: Buffer.byteLength(text), scan: [], parse: [] },
  };
  for (let i = 0; i < rounds; i++) {
    const order = i % 2 === 0 ? (['scan', 'parse'] as const) : (['parse', 'scan'] as const);
    for (const kind of order) {
      samples.repo[kind].push(runWorker(root, `${kind}-repo`, root));
      samples.plan[kind].push(runWorker(root, `${kind}-plan`, planFile));
    }
  }
  return samples;
}
