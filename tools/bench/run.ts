/**
 * `npm run bench`: Slipway's benchmark suite. Every number is reported next to a baseline
 * measured in the same run (see "Performance goals" in STYLE.md), so the ratios compare across
 * machines and days while the absolute times only describe this run:
 * - each Lambda's zip size and module-init time against a reference bundle that holds only
 *   Powertools (tools/bench/reference/handler.ts), built and zipped exactly like a Lambda;
 * - one Lambda (media-validate) bundled by the bench with libs/observability's OpenTelemetry
 *   backend against the same Lambda bundled with today's X-Ray one: zip size and init ratios;
 * - a fully cached `nx run-many -t package` against `nx --version` (Nx's own start-up);
 * - the media flow's `Thumbnails` step on a 12 MP JPEG against raw sharp doing the same resizes
 *   in the same process, the peak RSS of each, and the sandbox's end-to-end time per image;
 * - the governance engine on the whole repository against parsing the same inputs, and on a
 *   generated 10,000-resource plan against JSON.parse of it (time and peak RSS);
 * - the ETL flow's Transform on 100 k, 1 M and 5 M generated rows against a bare pipeline
 *   (gunzip + line split + JSON.parse) on the same files: rows/s, peak RSS and its growth;
 * - Transform on two worker threads against one (the same objects, same run);
 * - a day of 10,000 small objects through the sandbox's ETL flow (reconciled exactly, or the
 *   bench fails) against transformObject alone on the same day: wall time and peak RSS.
 *
 * Progress goes to stderr; the Markdown report goes to stdout and, with the JSON,
 * to dist/bench/. See tools/bench/README.md for how to read it.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { parseBenchArgs, USAGE } from './src/args';
import { bundleContents, type ContentsMetafile, type Contributor } from './src/contents';
import { profileInit, type InitProfile } from './src/init-profile';
import { measureInit } from './src/init-time';
import { buildEtlReport, ETL_SIZES, measureEtl, measureEtlThreads } from './src/etl';
import { measureEtlDay } from './src/etl-day';
import { buildGovernanceReport, LARGE_PLAN_RESOURCES, measureGovernance } from './src/governance';
import { buildMediaReport, measureMedia } from './src/media';
import { discoverLambdas, type BenchTarget } from './src/lambdas';
import { machineInfo } from './src/machine';
import { buildReference, REFERENCE, SDK_FLOOR } from './src/reference';
import { buildReport, renderMarkdown } from './src/report';
import { buildTracingVariants, TRACING_LAMBDA, TRACING_OUTPUT_DIR } from './src/tracing';
import { measureCachedNx, runPackageOnce, timeCommand } from './src/wall-time';

/** Output folder, relative to the workspace root. */
const RESULTS_DIR = 'dist/bench';

function findWorkspaceRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir)
      throw new Error(`No nx.json above ${from}: run the bench from inside the Slipway workspace.`);
  }
}

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<void> {
  const options = parseBenchArgs(process.argv.slice(2));
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const started = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - started) / 1e6;
  const root = findWorkspaceRoot(process.cwd());
  // Sampled before any work starts: the bench's own load would hide what else is running.
  const machine = machineInfo();

  log(
    '1/10 npx nx run-many -t package (builds and zips what is out of date), then npx nx run stacks:plan:dev (the governance section reads the dev plans)',
  );
  const first = runPackageOnce(root);
  log(
    `    ${seconds(first.ms)}, ${first.cache ? `${first.cache.hits}/${first.cache.total} from cache` : 'no cache summary'}`,
  );
  const plans = timeCommand('npx', ['nx', 'run', 'stacks:plan:dev'], root);
  log(`    dev plans: ${seconds(plans.ms)}`);
  const lambdas = discoverLambdas(root);
  if (lambdas.length === 0)
    throw new Error('No apps/*/lambda.manifest.json found: there is no Lambda to benchmark.');
  for (const lambda of lambdas) {
    for (const file of [lambda.bundleFile, lambda.zipFile]) {
      if (!existsSync(file))
        throw new Error(
          `${relative(root, file)} is missing after packaging: run 'npx nx run ${lambda.name}:package' and check its output.`,
        );
    }
  }

  log(`2/10 reference bundle (${REFERENCE.entry} → ${REFERENCE.outputDir})`);
  const reference = await buildReference(root);
  log(`    SDK floor (${SDK_FLOOR.entry} → ${SDK_FLOOR.outputDir})`);
  const floor = await buildReference(root, SDK_FLOOR);
  const tracingLambda = lambdas.find((l) => l.name === TRACING_LAMBDA);
  if (!tracingLambda)
    throw new Error(
      `apps/${TRACING_LAMBDA} is missing: the tracing-backend comparison bundles it (TRACING_LAMBDA in tools/bench/src/tracing.ts).`,
    );
  log(
    `    tracing backends: ${TRACING_LAMBDA} bundled with xray and with otel → ${TRACING_OUTPUT_DIR}`,
  );
  const tracing = await buildTracingVariants(root, tracingLambda);
  const targets: BenchTarget[] = [reference, floor, ...lambdas, tracing.xray, tracing.otel];

  log(`3/10 module init: ${targets.length} bundles × 2 modes × ${options.runs} runs, round-robin`);
  await mkdir(join(root, RESULTS_DIR), { recursive: true });
  const init = measureInit(targets, {
    runs: options.runs,
    linkParent: join(root, RESULTS_DIR),
    onRound: (round, of) => {
      if (round % 5 === 0 || round === of) log(`    round ${round}/${of} (${seconds(elapsed())})`);
    },
  });

  const profiled = [reference, floor, ...lambdas];
  log(`    CPU profiles of init: ${profiled.length} bundles × 3 runs`);
  const initProfiles: Record<string, InitProfile> = {};
  for (const target of profiled) initProfiles[target.name] = profileInit(target, 3);

  log(
    `4/10 fully cached nx run-many -t package vs nx --version and nx show projects, ${options.nxRuns} rounds`,
  );
  const cachedNx = measureCachedNx(root, {
    runs: options.nxRuns,
    onRound: (round, of) => log(`    round ${round}/${of} (${seconds(elapsed())})`),
  });

  log('5/10 media: thumbnail step vs raw sharp (same process), peak RSS, sandbox end to end');
  const media = buildMediaReport(
    await measureMedia(root, { iterations: options.mediaRuns, sandboxRuns: options.sandboxRuns }),
  );
  log(
    `    step ${media.step.median.toFixed(0)} ms vs raw ${media.raw.median.toFixed(0)} ms; sandbox ${media.sandbox.median.toFixed(0)} ms per image`,
  );

  log(
    `6/10 governance: full-repo scan vs parsing its inputs; a ${LARGE_PLAN_RESOURCES.toLocaleString('en-US')}-resource plan vs JSON.parse, ${options.governanceRuns} rounds`,
  );
  const governance = buildGovernanceReport(measureGovernance(root, options.governanceRuns));
  log(
    `    repo ${governance.repo.scan.median.toFixed(0)} ms; plan ${governance.plan.scan.median.toFixed(0)} ms, peak RSS ${(governance.plan.peakRss.scan / 2 ** 20).toFixed(0)} MiB`,
  );

  const etlSizes = ETL_SIZES.filter((rows) => rows <= options.etlMaxRows);
  log(
    `7/10 etl: Transform vs bare pipeline at ${etlSizes.map((r) => r.toLocaleString('en-US')).join(', ')} rows, ${options.etlRuns} rounds of fresh processes (the 5 M-row size takes ≈ 40 s a round; --etl-max-rows 1000000 skips it)`,
  );
  const etl = buildEtlReport(
    await measureEtl(options.etlMaxRows, options.etlRuns, (s) =>
      log(
        `    ${s.rows.toLocaleString('en-US')} rows: Transform ${s.rounds.map((r) => r.transform.rowsPerSecond.toLocaleString('en-US')).join(', ')}/s, up to ${(Math.max(...s.rounds.map((r) => r.transform.peakRssBytes)) / 2 ** 20).toFixed(0)} MiB; bare ${s.rounds.map((r) => r.bare.rowsPerSecond.toLocaleString('en-US')).join(', ')}/s (${seconds(elapsed())})`,
      ),
    ),
  );

  const threadRows = Math.min(1_000_000, options.etlMaxRows);
  log(
    `8/10 etl: Transform on 1 and 2 worker threads, 4 objects of ${threadRows.toLocaleString('en-US')} rows, 2 rounds`,
  );
  const etlThreads = await measureEtlThreads(threadRows);
  log(
    `    1 thread ${etlThreads.one.map((s) => s.rowsPerSecond).join(', ')} rows/s; 2 threads ${etlThreads.two.map((s) => s.rowsPerSecond).join(', ')} rows/s (${seconds(elapsed())})`,
  );

  log(
    `9/10 etl: a day of ${options.etlDayObjects.toLocaleString('en-US')} small objects through the sandbox's ETL flow, then transformObject alone on the same day`,
  );
  const etlDay = await measureEtlDay(root, options.etlDayObjects);
  log(
    `    flow ${etlDay.flow.flowSeconds.toFixed(1)} s (${etlDay.flow.batches} batches), baseline ${etlDay.baseline.seconds.toFixed(1)} s (${seconds(elapsed())})`,
  );

  log('10/10 report');
  const report = buildReport({
    machine,
    options,
    reference: reference.name,
    zipBytes: Object.fromEntries(targets.map((t) => [t.name, statSync(t.zipFile).size])),
    contents: contentsOf(targets),
    init,
    floor: floor.name,
    initProfiles,
    nx: { first, ...cachedNx },
    media,
    governance,
    etl,
    etlThreads,
    etlDay,
    tracing: { lambda: TRACING_LAMBDA, xray: tracing.xray.name, otel: tracing.otel.name },
    totalMs: elapsed(),
  });
  const markdown = renderMarkdown(report);
  const outDir = join(root, RESULTS_DIR);
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'results.md'), markdown);
  await writeFile(join(outDir, 'results.json'), `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(markdown);
  log(`wrote ${RESULTS_DIR}/results.md and ${RESULTS_DIR}/results.json in ${seconds(elapsed())}`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `[bench] failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});

/**
 * The top five contributors of every bundle whose esbuild metafile sits beside its zip
 * (`<dir>/<name>.meta.json`, where `package` leaves it).
 */
function contentsOf(targets: readonly BenchTarget[]): Record<string, Contributor[]> {
  const out: Record<string, Contributor[]> = {};
  for (const t of targets) {
    const file = join(dirname(t.zipFile), `${t.name}.meta.json`);
    if (existsSync(file))
      out[t.name] = bundleContents(JSON.parse(readFileSync(file, 'utf8')) as ContentsMetafile);
  }
  return out;
}
