import type { BenchOptions } from './args';
import { formatBytes, formatMs, formatRatio, formatTable, type Column } from './format';
import {
  INIT_MODE_LABEL,
  INIT_MODE_SHORT,
  INIT_MODES,
  type InitMode,
  type InitSamples,
} from './init-time';
import type { MachineInfo } from './machine';
import type { EtlReport, EtlThreadsReport } from './etl';
import type { EtlDayReport } from './etl-day';
import type { GovernanceReport } from './governance';
import type { MediaReport } from './media';
import { ratio, summarize, type Summary } from './stats';
import type { Contributor } from './contents';
import type { InitProfile } from './init-profile';
import { compareTracing, type TracingComparison } from './tracing';
import type { CacheSummary, NxWallTimes } from './wall-time';

/** One measured bundle. */
export interface BundleResult {
  name: string;
  zipBytes: number;
  /** Module-init time (ms) per mode. */
  init: Record<InitMode, Summary>;
  /** The largest contributors to `handler.js` (absent when no metafile was found). */
  contents?: Contributor[];
}

/** Issue 17's goals for one Lambda: init ratio (median and p90) and zip size, and whether they hold. */
export interface Goal {
  /** Largest init ratio to the reference: ×1.5, ×2 for the media Lambdas. */
  initRatio: number;
  /** Largest zip (bytes), or undefined where the issue sets none (media). */
  zipBytes?: number;
  initMet: boolean;
  zipMet: boolean;
}

/** The goal of a Lambda by name: media Lambdas may take ×2 and carry their native tools. */
export function goalOf(name: string): Pick<Goal, 'initRatio' | 'zipBytes'> {
  return name.startsWith('media-') ? { initRatio: 2 } : { initRatio: 1.5, zipBytes: 300 * 1024 };
}

/** A Lambda divided by the reference, measured in the same run. */
export interface RatioRow {
  name: string;
  zip: number;
  /** Median init time ratio per mode. */
  init: Record<InitMode, number>;
  /** p90 init time ratio per mode. */
  initP90: Record<InitMode, number>;
  /** The goals, judged on the as-deployed mode (`plain`): median and p90 within the ratio. */
  goal: Goal;
  /** Median init (as deployed) ÷ the SDK floor's, when the run measured the floor. */
  floorRatio?: number;
}

/** Everything the bench measured: the shape of `dist/bench/results.json`. */
export interface BenchReport {
  machine: MachineInfo;
  options: BenchOptions;
  /** Name of the baseline row in `bundles`. */
  reference: string;
  bundles: BundleResult[];
  ratios: RatioRow[];
  nx: {
    first: { ms: number; cache: CacheSummary | undefined };
    cachedPackage: Summary;
    version: Summary;
    graph: Summary;
    /** Median cached `run-many -t package` / median `nx --version`. */
    ratio: number;
    /** Median cached `run-many -t package` / median `nx show projects`. */
    graphRatio: number;
    discarded: number;
  };
  /** Name of the SDK-floor row in `bundles` (reference + one S3 client), when measured. */
  floor?: string;
  /** Where each bundle's module init goes, from CPU profiles (absent when not profiled). */
  initProfiles?: Record<string, InitProfile>;
  /** The media flow's image work (absent when not measured). */
  media?: MediaReport;
  /** The governance engine (absent when not measured). */
  governance?: GovernanceReport;
  /** The ETL flow's Transform against a bare pipeline (absent when not measured). */
  etl?: EtlReport;
  /** Transform on one and on two worker threads (absent when not measured). */
  etlThreads?: EtlThreadsReport;
  /** A day of small objects through the sandbox's ETL flow (absent when not measured). */
  etlDay?: EtlDayReport;
  /** One Lambda bundled with the OpenTelemetry backend against the X-Ray one (absent when not measured). */
  tracing?: TracingComparison;
  /** Wall time of the whole bench (ms). */
  totalMs: number;
}

/** The raw measurements {@link buildReport} turns into a report. */
export interface BenchInputs {
  machine: MachineInfo;
  options: BenchOptions;
  reference: string;
  zipBytes: Record<string, number>;
  /** Per bundle, the largest contributors to `handler.js` (from its esbuild metafile). */
  contents?: Record<string, Contributor[]>;
  init: InitSamples;
  /** Name of the SDK-floor bundle in `init`, when measured. */
  floor?: string;
  initProfiles?: Record<string, InitProfile>;
  nx: NxWallTimes;
  media?: MediaReport;
  governance?: GovernanceReport;
  etl?: EtlReport;
  etlThreads?: EtlThreadsReport;
  etlDay?: EtlDayReport;
  /** Names of the two tracing-backend builds in `init` / `zipBytes`, and the Lambda they bundle. */
  tracing?: { lambda: string; xray: string; otel: string };
  totalMs: number;
}

/**
 * Summarises the samples and divides every Lambda by the reference. Pure: the same inputs give
 * the same report, which is what the unit tests pin down.
 */
export function buildReport(inputs: BenchInputs): BenchReport {
  const { reference } = inputs;
  const names = Object.keys(inputs.init);
  if (!names.includes(reference))
    throw new Error(`No init samples for the reference '${reference}'.`);
  const bundles: BundleResult[] = names.map((name) => {
    const zipBytes = inputs.zipBytes[name];
    if (zipBytes === undefined) throw new Error(`No zip size for '${name}'.`);
    const modes = Object.keys(inputs.init[name]) as InitMode[];
    const contents = inputs.contents?.[name];
    return {
      name,
      zipBytes,
      init: Object.fromEntries(modes.map((m) => [m, summarize(inputs.init[name][m])])) as Record<
        InitMode,
        Summary
      >,
      ...(contents ? { contents } : {}),
    };
  });
  const base = bundles.find((b) => b.name === reference) as BundleResult;
  const floor =
    inputs.floor === undefined ? undefined : bundles.find((b) => b.name === inputs.floor);
  if (inputs.floor !== undefined && !floor)
    throw new Error(`No init samples for the SDK floor '${inputs.floor}'.`);
  const ratios: RatioRow[] = bundles
    .filter((b) => b.name !== reference)
    .map((b) => {
      const per = (stat: 'median' | 'p90') =>
        Object.fromEntries(
          (Object.keys(b.init) as InitMode[]).map((m) => [
            m,
            ratio(b.init[m][stat], base.init[m][stat]),
          ]),
        ) as Record<InitMode, number>;
      const init = per('median');
      const initP90 = per('p90');
      const goal = goalOf(b.name);
      return {
        name: b.name,
        zip: ratio(b.zipBytes, base.zipBytes),
        init,
        initP90,
        goal: {
          ...goal,
          initMet: init.plain <= goal.initRatio && initP90.plain <= goal.initRatio,
          zipMet: goal.zipBytes === undefined || b.zipBytes <= goal.zipBytes,
        },
        ...(floor && b !== floor
          ? { floorRatio: ratio(b.init.plain.median, floor.init.plain.median) }
          : {}),
      };
    });
  const tracing = inputs.tracing && tracingComparison(bundles, inputs.tracing);
  const cachedPackage = summarize(inputs.nx.cached);
  const version = summarize(inputs.nx.version);
  const graph = summarize(inputs.nx.graph);
  return {
    machine: inputs.machine,
    options: inputs.options,
    reference,
    ...(inputs.floor ? { floor: inputs.floor } : {}),
    bundles,
    ratios,
    ...(inputs.initProfiles ? { initProfiles: inputs.initProfiles } : {}),
    nx: {
      first: inputs.nx.first,
      cachedPackage,
      version,
      graph,
      ratio: ratio(cachedPackage.median, version.median),
      graphRatio: ratio(cachedPackage.median, graph.median),
      discarded: inputs.nx.discarded,
    },
    ...(inputs.media ? { media: inputs.media } : {}),
    ...(inputs.governance ? { governance: inputs.governance } : {}),
    ...(inputs.etl ? { etl: inputs.etl } : {}),
    ...(inputs.etlThreads ? { etlThreads: inputs.etlThreads } : {}),
    ...(inputs.etlDay ? { etlDay: inputs.etlDay } : {}),
    ...(tracing ? { tracing } : {}),
    totalMs: inputs.totalMs,
  };
}

function tracingComparison(
  bundles: readonly BundleResult[],
  names: NonNullable<BenchInputs['tracing']>,
): TracingComparison {
  const side = (name: string) => {
    const bundle = bundles.find((b) => b.name === name);
    if (!bundle) throw new Error(`No init samples for the tracing build '${name}'.`);
    return {
      zipBytes: bundle.zipBytes,
      initMedian: Object.fromEntries(
        (Object.keys(bundle.init) as InitMode[]).map((m) => [m, bundle.init[m].median]),
      ),
    };
  };
  return compareTracing(names.lambda, side(names.xray), side(names.otel));
}

const right = (header: string): Column => ({ header, align: 'right' });

function summaryRow(label: string, s: Summary): string[] {
  return [label, formatMs(s.median), formatMs(s.p90), formatMs(s.min), String(s.runs)];
}

function modesOf(report: BenchReport): InitMode[] {
  return INIT_MODES.filter((m) => report.bundles.every((b) => b.init[m]));
}

function cacheText(cache: CacheSummary | undefined): string {
  return cache ? `${cache.hits}/${cache.total} tasks from cache` : 'cache summary not found';
}

/** `met`, or what is over: `init ×1.5 not met`, `zip 300 KiB not met`. */
function goalText(goal: Goal): string {
  const misses = [
    ...(goal.initMet ? [] : [`init ≤ ×${goal.initRatio} not met`]),
    ...(goal.zipMet ? [] : [`zip ≤ ${formatBytes(goal.zipBytes!)} not met`]),
  ];
  const target = `≤ ×${goal.initRatio}${goal.zipBytes === undefined ? '' : `, ≤ ${formatBytes(goal.zipBytes)}`}`;
  return misses.length ? `${target}: ${misses.join(', ')}` : `${target}: met`;
}

/** Renders the report as the Markdown written to `dist/bench/results.md` and printed. */
export function renderMarkdown(report: BenchReport): string {
  const { machine, nx } = report;
  const modes = modesOf(report);
  const out: string[] = ['# Slipway bench', ''];

  out.push('## Machine', '');
  out.push(
    formatTable(
      [
        { header: 'Node' },
        { header: 'CPU' },
        right('Cores'),
        right('Memory'),
        right('Load (1 min)'),
        { header: 'Date' },
      ],
      [
        [
          `${machine.node} (${machine.platform})`,
          machine.cpuModel,
          String(machine.cores),
          `${machine.memoryGiB} GiB`,
          machine.loadAverage.toFixed(2),
          machine.date,
        ],
      ],
    ),
    '',
  );

  out.push('## Zip size', '');
  out.push(
    formatTable(
      [{ header: 'Bundle' }, right('Zip')],
      report.bundles.map((b) => [b.name, formatBytes(b.zipBytes)]),
    ),
    '',
  );

  for (const mode of modes) {
    out.push(`## Module init: ${INIT_MODE_LABEL[mode]}`, '');
    out.push(
      formatTable(
        [{ header: 'Bundle' }, right('Median'), right('p90'), right('Min'), right('Runs')],
        report.bundles.map((b) => summaryRow(b.name, b.init[mode])),
      ),
      '',
    );
  }

  out.push(
    `## Ratios to the reference (${report.reference}: Powertools Logger + Tracer + Metrics only)`,
    '',
  );
  out.push(
    formatTable(
      [
        { header: 'Lambda' },
        right('Zip size'),
        ...modes.flatMap((m) => [
          right(`Init median (${INIT_MODE_SHORT[m]})`),
          right(`Init p90 (${INIT_MODE_SHORT[m]})`),
        ]),
        ...(report.floor ? [right('Init median / SDK floor')] : []),
        { header: 'Goal (init median and p90; zip)' },
      ],
      report.ratios.map((r) => [
        r.name,
        formatRatio(r.zip),
        ...modes.flatMap((m) => [formatRatio(r.init[m]), formatRatio(r.initP90[m])]),
        ...(report.floor ? [r.floorRatio === undefined ? '' : formatRatio(r.floorRatio)] : []),
        r.name === report.floor ? 'baseline, not a Lambda' : goalText(r.goal),
      ]),
    ),
    '',
  );
  if (report.floor)
    out.push(
      `The SDK floor (\`${report.floor}\`) is the reference plus one traced S3 client created at module scope: what any Lambda that calls AWS pays before code of its own. "Init median / SDK floor" is what a Lambda adds above that.`,
      '',
    );

  if (report.initProfiles && Object.keys(report.initProfiles).length) {
    const profiles = Object.entries(report.initProfiles);
    const width = Math.max(...profiles.map(([, p]) => p.owners.length));
    const runs = profiles[0][1].runs;
    out.push('## Module init: where the time goes (CPU profile)', '');
    out.push(
      formatTable(
        [
          { header: 'Bundle' },
          right('Sampled init'),
          ...Array.from({ length: width }, (_, i) => ({ header: `#${i + 1}` })),
        ],
        profiles.map(([name, p]) => [
          name,
          formatMs(p.totalMs),
          ...Array.from({ length: width }, (_, i) => {
            const o = p.owners[i];
            return o ? `${o.name} ${formatMs(o.ms)} (${Math.round(o.share * 100)} %)` : '';
          }),
        ]),
      ),
      '',
      `\`node --cpu-prof\` (${runs} runs per bundle, 50 µs sampling, the same probe and environment as above; profiling slows init, so compare shares, not these milliseconds with the tables above). Each sample counts for the innermost bundle frame that maps (through \`handler.js.map\`) to a package or project; "node: loading and compiling handler.js" is V8 parsing and compiling the bundle and Node's module loader with no bundle frame on the stack: it grows with the bundle's size.`,
      '',
    );
  }

  const withContents = report.bundles.filter((b) => b.contents?.length);
  if (withContents.length) {
    out.push('## Bundle contents: the five largest parts of each handler.js', '');
    out.push(
      formatTable(
        [{ header: 'Bundle' }, ...[1, 2, 3, 4, 5].map((i) => ({ header: `#${i}` }))],
        withContents.map((b) => [
          b.name,
          ...[0, 1, 2, 3, 4].map((i) => {
            const c = b.contents![i];
            return c ? `${c.name} ${formatBytes(c.bytes)} (${Math.round(c.share * 100)} %)` : '';
          }),
        ]),
      ),
      '',
    );
  }

  out.push('## Nx: `npx nx run-many -t package`', '');
  out.push(
    formatTable(
      [{ header: 'Command' }, right('Median'), right('p90'), right('Min'), right('Runs')],
      [
        summaryRow('`nx run-many -t package` (fully cached)', nx.cachedPackage),
        summaryRow('`nx --version` (baseline: Nx start-up)', nx.version),
        summaryRow('`nx show projects` (start-up + project graph)', nx.graph),
      ],
    ),
    '',
    `Cached package / Nx start-up: **${formatRatio(nx.ratio)}**; cached package / project graph: ${formatRatio(nx.graphRatio)}. ` +
      `First run: ${formatMs(nx.first.ms)} (${cacheText(nx.first.cache)}).` +
      (nx.discarded > 0
        ? ` ${nx.discarded} run(s) missed the cache (inputs changed meanwhile) and were discarded.`
        : ''),
    '',
  );

  if (report.media) out.push(...renderMedia(report.media));
  if (report.governance) out.push(...renderGovernance(report.governance));
  if (report.etl) out.push(...renderEtl(report.etl));
  if (report.etlThreads) out.push(...renderEtlThreads(report.etlThreads));
  if (report.etlDay) out.push(...renderEtlDay(report.etlDay));
  if (report.tracing) out.push(...renderTracing(report.tracing, modes));

  out.push(
    `Total bench time: ${(report.totalMs / 1000).toFixed(1)} s (${report.options.runs} init runs, ${report.options.nxRuns} Nx runs).`,
    '',
  );
  return out.join('\n');
}

function renderMedia(media: MediaReport): string[] {
  return [
    `## Media: thumbnails of a 12 MP JPEG (\`${media.image}\`)`,
    '',
    formatTable(
      [{ header: 'Measurement' }, right('Median'), right('p90'), right('Min'), right('Runs')],
      [
        summaryRow('`Thumbnails` step (`generateThumbnails`: 3 sizes × WebP + JPEG)', media.step),
        summaryRow('baseline: raw sharp, same 3 resizes and encoders, same process', media.raw),
        summaryRow('sandbox end to end per image (S3 put → execution ended)', media.sandbox),
      ],
    ),
    '',
    formatTable(
      [{ header: 'Ratio' }, right('Value')],
      [
        ['Thumbnails step / raw sharp (median time)', formatRatio(media.stepRatio)],
        [
          `Peak RSS: step ${formatBytes(media.peakRss.step)} / raw sharp ${formatBytes(media.peakRss.raw)}`,
          formatRatio(media.peakRss.ratio),
        ],
        ['Sandbox end to end / Thumbnails step alone', formatRatio(media.sandboxRatio)],
      ],
    ),
    '',
  ];
}

function renderGovernance(g: GovernanceReport): string[] {
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
  return [
    '## Governance (`tools/governance`)',
    '',
    formatTable(
      [{ header: 'Measurement' }, right('Median'), right('p90'), right('Min'), right('Runs')],
      [
        summaryRow(
          `full repository: every module, bootstrap, dev plans (${g.repo.resources} resources)`,
          g.repo.scan,
        ),
        summaryRow('baseline: hcl2json on every .tf + JSON.parse of the plans', g.repo.parse),
        summaryRow(
          `generated plan, ${g.plan.resources.toLocaleString('en-US')} resources (${mib(g.plan.bytes)} JSON)`,
          g.plan.scan,
        ),
        summaryRow('baseline: read + JSON.parse of that plan', g.plan.parse),
      ],
    ),
    '',
    formatTable(
      [{ header: 'Ratio' }, right('Value')],
      [
        ['Full-repo scan / parsing its inputs (median time)', formatRatio(g.repo.ratio)],
        ['10k-resource plan scan / JSON.parse (median time)', formatRatio(g.plan.ratio)],
        [
          `Peak RSS: plan scan ${mib(g.plan.peakRss.scan)} / JSON.parse ${mib(g.plan.peakRss.parse)}`,
          formatRatio(g.plan.peakRss.ratio),
        ],
      ],
    ),
    '',
    `Goal: the 10,000-resource plan in under 2 s on a 2-core machine (this run: ${formatMs(g.plan.scan.median)} median, in-process, excluding Node start-up).`,
    '',
  ];
}

function renderEtl(etl: EtlReport): string[] {
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
  const rate = (perSecond: number) => `${Math.round(perSecond).toLocaleString('en-US')}/s`;
  const rows = (n: number) => n.toLocaleString('en-US');
  const percent = (r: number) => `${r >= 1 ? '+' : '−'}${Math.abs((r - 1) * 100).toFixed(0)} %`;
  const range = (ratios: readonly number[]) =>
    `${formatRatio(Math.min(...ratios))}–${formatRatio(Math.max(...ratios))}`;
  const smallest = etl.sizes[0].rows;
  const largest = etl.rssGrowth.at(-1);
  const missed = etl.sizes.filter((s) => !s.throughputWithinGoal).map((s) => rows(s.rows));
  return [
    '## ETL: `transformObject` (`libs/etl`) vs a bare pipeline',
    '',
    formatTable(
      [
        right('Rows'),
        right('Input (gzip)'),
        right('Rounds'),
        right('Transform rows/s'),
        right('Transform peak RSS'),
        right('Bare rows/s'),
        right('Bare peak RSS'),
        right('Throughput Transform / bare'),
        right('Range'),
        right('Warm Transform / bare'),
        right('Peak RSS Transform / bare'),
      ],
      etl.sizes.map((s) => [
        rows(s.rows),
        mib(s.inputBytes),
        String(s.rounds),
        rate(s.transform.rowsPerSecond),
        mib(s.transform.peakRssBytes),
        rate(s.bare.rowsPerSecond),
        mib(s.bare.peakRssBytes),
        s.throughputWithinGoal
          ? formatRatio(s.throughputRatio)
          : `**${formatRatio(s.throughputRatio)}**`,
        range(s.throughputRatios),
        s.warmThroughputRatio !== undefined && s.warmThroughputRatios
          ? `${formatRatio(s.warmThroughputRatio)} (${range(s.warmThroughputRatios)})`
          : '–',
        formatRatio(s.rssRatio),
      ]),
    ),
    '',
    ...(etl.rssGrowth.length
      ? [
          formatTable(
            [{ header: 'Peak RSS growth' }, right('Input'), right('Transform'), right('Bare')],
            etl.rssGrowth.map((g) => [
              `${rows(g.rows)} / ${rows(smallest)} rows`,
              formatRatio(g.inputGrowth),
              `${formatRatio(g.transform)} (${percent(g.transform)})`,
              formatRatio(g.bare),
            ]),
          ),
          '',
        ]
      : []),
    `Goal: Transform at least ${formatRatio(etl.throughputGoal)} the bare pipeline's rows/s at every size, median of the rounds (this run: ` +
      (missed.length ? `**not met** at ${missed.join(', ')} rows` : 'met') +
      '; ratios below the goal are in bold). "Warm" is a second pass over the same file in the same process, as the later objects of a Distributed Map batch run; the goal is judged on the first, cold pass.',
    '',
    `Goal: Transform's peak RSS within ±${(etl.goal * 100).toFixed(0)} % while the object grows from ${rows(smallest)} rows` +
      (largest
        ? ` to ${rows(largest.rows)} (this run: ${percent(largest.transform)}, ${largest.withinGoal ? 'met' : '**not met**'}).`
        : ' (this run measured one size only: see --etl-max-rows).') +
      ' Each round is two fresh processes (the order alternates); the table gives medians over the rounds; bare = gunzip + line split + `JSON.parse`, no validation, de-duplication or writing.',
    '',
  ];
}

const mebibytes = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const perSecond = (n: number) => `${Math.round(n).toLocaleString('en-US')}/s`;

function renderEtlThreads(t: EtlThreadsReport): string[] {
  const row = (label: string, samples: EtlThreadsReport['one']) => [
    label,
    samples.map((s) => perSecond(s.rowsPerSecond)).join(', '),
    samples.map((s) => `${s.seconds.toFixed(2)} s`).join(', '),
    samples.map((s) => mebibytes(s.peakRssBytes)).join(', '),
  ];
  return [
    '## ETL: `transformObject` on worker threads',
    '',
    formatTable(
      [{ header: 'Threads' }, right('Rows/s (each round)'), right('Wall time'), right('Peak RSS')],
      [row('1 (baseline)', t.one), row('2', t.two)],
    ),
    '',
    `${t.objects} objects of ${t.rowsPerObject.toLocaleString('en-US')} rows shared among the threads (object i on thread i mod threads), each thread under the Transform Lambda's heap limits; two rounds alternating which goes first, one fresh process each, module loading excluded. ` +
      `Two threads / one: **${formatRatio(t.speedup)}** rows/s. Lambda gives a second vCPU from 1,769 MB; etl-transform has 1,024 MB (one vCPU), so it transforms on one thread.`,
    '',
  ];
}

function renderEtlDay(d: EtlDayReport): string[] {
  const n = (x: number) => x.toLocaleString('en-US');
  return [
    `## ETL: a day of ${n(d.flow.objects)} small objects through the sandbox`,
    '',
    formatTable(
      [
        { header: 'Run' },
        right('Objects'),
        right('Rows'),
        right('Batches'),
        right('Wall time'),
        right('Objects/s'),
        right('Peak RSS'),
        right('Peak RSS, largest Lambda'),
      ],
      [
        [
          'ETL flow (sandbox: real ASL, Distributed Map, local S3, packaged Lambdas)',
          n(d.flow.objects),
          n(d.flow.rows),
          n(d.flow.batches),
          `${d.flow.flowSeconds.toFixed(1)} s`,
          perSecond(d.objectsPerSecond),
          mebibytes(d.flow.peakRssBytes),
          d.flow.lambdaPeakRssBytes ? mebibytes(d.flow.lambdaPeakRssBytes) : 'n/a',
        ],
        [
          'baseline: `transformObject` on each object, one process, no S3',
          n(d.baseline.objects),
          n(d.baseline.rows),
          '',
          `${d.baseline.seconds.toFixed(1)} s`,
          perSecond(d.baseline.objects / d.baseline.seconds),
          mebibytes(d.baseline.peakRssBytes),
          '',
        ],
      ],
    ),
    '',
    `Flow / baseline: **${formatRatio(d.flowRatio)}** (what S3 round trips, Step Functions and the Map add around Transform). ` +
      `Reconciled exactly: ${Object.entries(d.flow.reconciled)
        .map(([k, v]) => `${k} ${n(v)}`)
        .join(
          ', ',
        )} (the bench fails when any total, object count or Transform output differs from the generator's). ` +
      `Largest state input or output: ${n(d.flow.largestStatePayloadBytes)} B (Step Functions' limit: 262,144 B). ` +
      `Upload of the day before the run: ${d.flow.uploadSeconds.toFixed(1)} s.`,
    '',
  ];
}

function renderTracing(t: TracingComparison, modes: readonly InitMode[]): string[] {
  const shown = modes.filter((m) => t.init[m] !== undefined);
  return [
    `## Tracing backend: \`${t.lambda}\` bundled with OpenTelemetry vs X-Ray (Powertools Tracer)`,
    '',
    formatTable(
      [
        { header: 'Build' },
        right('Zip'),
        ...shown.map((m) => right(`Init median (${INIT_MODE_SHORT[m]})`)),
      ],
      [
        [
          'xray (today: `libs/observability`)',
          formatBytes(t.xray.zipBytes),
          ...shown.map((m) => formatMs(t.xray.initMedian[m] as number)),
        ],
        [
          'otel (`libs/observability/src/otel`, bench-only)',
          formatBytes(t.otel.zipBytes),
          ...shown.map((m) => formatMs(t.otel.initMedian[m] as number)),
        ],
        [
          '**otel / xray**',
          `**${formatRatio(t.zip)}**`,
          ...shown.map((m) => `**${formatRatio(t.init[m] as number)}**`),
        ],
      ],
    ),
    '',
    'Both builds are made by the bench from the same handler with the Lambda build options; only the ' +
      'module `@slipway/observability` resolves to differs. Init is `require()` of the bundle in a fresh ' +
      'process, as above: the OTLP exporter loads its HTTP transport on the first export (the first ' +
      'invocation), which this column does not include.',
    '',
  ];
}
