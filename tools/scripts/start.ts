/**
 * `npm start`: the main job on this machine with nothing else set up. Builds and packages every
 * Lambda, synthesizes every stack, plans dev offline (no AWS account needed) and prints what
 * would be deployed: per function its zip size, sha256 and planned changes, per stack totals.
 * Then prints the governance report of those stacks and plans (tools/governance) and runs, on
 * the local cloud (tools/sandbox), the sample media through the media flow, a sample day through
 * the ETL flow, and the HTTP edge (presign, form upload into the media flow, Stripe webhooks)
 * through the local API gateway. Exits non-zero when any part is not as expected.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../..');
const environment = process.env.SLIPWAY_ENV ?? 'dev';

interface Change {
  address: string;
  change: { actions: string[] };
}

const run = spawnSync('npx', ['nx', 'run', `stacks:plan:${environment}`, '--outputStyle=static'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false', NX_NO_CLOUD: 'true' },
});
if (run.status !== 0) {
  console.error(
    `\nnpm start stopped: the ${environment} plan did not complete (see the messages above).`,
  );
  process.exit(run.status ?? 1);
}

const plansDir = join(root, 'dist/terraform/plans', environment);
const plans = Object.fromEntries(
  readdirSync(plansDir)
    .filter((f) => f.endsWith('.json') && f !== 'summary.json')
    .map((f) => [
      f.replace(/\.json$/, ''),
      JSON.parse(readFileSync(join(plansDir, f), 'utf8')) as { resource_changes?: Change[] },
    ]),
);

const count = (changes: Change[]) => {
  const c = { add: 0, change: 0, replace: 0, destroy: 0 };
  for (const { change } of changes) {
    const a = change.actions;
    if (a.includes('create') && a.includes('delete')) c.replace++;
    else if (a.includes('create')) c.add++;
    else if (a.includes('delete')) c.destroy++;
    else if (a.includes('update')) c.change++;
  }
  return `+${c.add} ~${c.change} ±${c.replace} -${c.destroy}`;
};
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

const rows: string[][] = [];
for (const name of readdirSync(join(root, 'dist/apps')).sort()) {
  const listingFile = join(root, 'dist/apps', name, `${name}.files.json`);
  if (!existsSync(listingFile)) continue;
  const listing = JSON.parse(readFileSync(listingFile, 'utf8'));
  const prefix = `module.lambda_${name.replace(/[^A-Za-z0-9_]/g, '_')}.`;
  const [stack, plan] = Object.entries(plans).find(([, p]) =>
    (p.resource_changes ?? []).some((c) => c.address.startsWith(prefix)),
  ) ?? ['(not planned)', { resource_changes: [] }];
  const changes = (plan.resource_changes ?? []).filter((c) => c.address.startsWith(prefix));
  rows.push([
    name,
    stack,
    listing.architecture,
    kib(listing.bytes),
    listing.sha256,
    count(changes),
  ]);
}

const table = (header: string[], body: string[][]) => {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...body.map(line),
  ].join('\n');
};

console.log(
  `\nSlipway: what a ${environment} deploy would do (offline plan; + add, ~ change, ± replace, - destroy)\n`,
);
console.log(table(['function', 'stack', 'arch', 'zip', 'sha256 (base64)', 'plan'], rows));
console.log('');
console.log(
  table(
    ['stack', 'plan', 'plan JSON'],
    Object.entries(plans).map(([stack, p]) => [
      stack,
      count(p.resource_changes ?? []),
      `dist/terraform/plans/${environment}/${stack}.json`,
    ]),
  ),
);

// Governance of what would be deployed: every stack's plan with the environment's profile.
console.log(`\nGovernance (tools/governance) of the ${environment} stacks and plans:\n`);
const governance = spawnSync(
  'npx',
  [
    'tsx',
    'tools/governance/src/cli.ts',
    'stacks',
    '--environment',
    environment,
    '--fail-on',
    'low',
  ],
  { cwd: root, stdio: 'inherit' },
);
if (governance.status !== 0) process.exitCode = governance.status ?? 1;

// The local cloud: the flows' samples and the HTTP edge through the real ASL and packaged Lambdas.
const sandbox = spawnSync('npx', ['tsx', 'tools/sandbox/src/cli.ts'], {
  cwd: root,
  stdio: 'inherit',
});
if (sandbox.status !== 0) process.exitCode = sandbox.status ?? 1;
