/**
 * The local cloud from the command line.
 *
 *   npx tsx tools/sandbox/src/cli.ts            upload the sample media and a generated ETL day, run both flows, then the
 *                                               HTTP edge demo (presign, form upload, Stripe webhooks), the welcome
 *                                               email (SessionConfirmed → mailbox, a poison event → DLQ), the hourly
 *                                               session reminders fired once, a GraphQL query and mutation through
 *                                               the glue resolver; print the results
 *   npx tsx tools/sandbox/src/cli.ts --watch    keep the S3 endpoint up and run the flow for every upload
 *   --work-dir <dir>                            where S3 data, unzipped functions and logs go (default dist/sandbox)
 *   --watch --gateway                           also serve the HTTP edge: local API gateway, JWKS, Secrets Manager
 *   --token <role>                              print a token for a test user with that role, signed by the
 *                                               running sandbox's key (its identity file in the work dir)
 *   --fire <schedule> [--seed]                  start the sandbox, write the sample sessions (--seed), fire the
 *                                               schedule now, print the firing and the events routed, exit
 *                                               (non-zero unless the run succeeded); overrides --watch
 *   --fire <schedule> --at <ISO time>           fire it as if at that time (the scheduled time its input gets)
 *   --put-event '<json>' [--json]               start the sandbox, put one event ({"bus":"platform","source":…,
 *                                               "detail-type":…,"detail":{…}}) on the local bus, wait for every
 *                                               delivery, print what ran (--json: as JSON), exit (non-zero when
 *                                               no rule matched or anything was dead-lettered)
 *   --graphql '<query>' [--variables '<json>']  start the sandbox, send one GraphQL operation to its local
 *     [--role <role>] [--json]                  AppSync with a token of a test user with that role (default
 *                                               member), print the response (--json: status, body and the
 *                                               resolvers invoked, as JSON), exit (non-zero when it has errors)
 *
 * Lambdas must be packaged first (npx nx run-many -t package); npm start does that.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buffer } from 'node:stream/consumers';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { EtlCompletedDetail, MapResults } from '@slipway/events';
import { readMapResults } from '@slipway/etl';
import { generateDay } from '@slipway/samples';
import { writeTraceReport } from '@slipway/traces';
import {
  describeExecution,
  mintLocalToken,
  sandboxS3Client,
  startSandbox,
  type Sandbox,
} from './index';
import { describeEdgeDemo, edgeDemoProblems, runEdgeDemo } from './edge-demo';
import { describeGraphqlDemo, graphqlDemoProblems, runGraphqlDemo } from './graphql-demo';
import { fireSchedule } from './fire';
import { runGraphqlQuery } from './graphql-query';
import { putEvent } from './put-event';
import {
  describeSessionRemindersDemo,
  runSessionRemindersDemo,
  sessionRemindersDemoProblems,
} from './session-reminders-demo';
import { describeDeadLetters } from './async-invoke';
import {
  describeWelcomeEmailDemo,
  runWelcomeEmailDemo,
  welcomeEmailDemoProblems,
} from './jobs-demo';
import { describeRouting, markdownTable } from './report';

const root = resolve(__dirname, '../../..');
const FIXTURES = join(root, 'libs/media/tests/fixtures');
/** The generated ETL sample day (a fixed date: the same bytes and results on every run). */
const ETL_SAMPLE_DATE = '2026-03-01';

/** Sample media (made by the project's own generators, see libs/media/tests/fixtures/*\/README.md). */
export const SAMPLES: { file: string; key: string }[] = [
  { file: 'images/exif-gps.jpg', key: 'uploads/samples/eiffel-tower.jpg' },
  { file: 'images/small.png', key: 'uploads/samples/small.png' },
  { file: 'images/rotated-6.jpg', key: 'uploads/samples/portrait.jpg' },
  { file: 'videos/clip.mp4', key: 'uploads/samples/course-intro.mp4' },
  { file: 'photo.avif', key: 'uploads/samples/phone.avif' },
  { file: 'photo.heic', key: 'uploads/samples/iphone.heic' },
  { file: 'invoice.jpg', key: 'uploads/samples/invoice.jpg' },
];

const keyOf = (input: unknown) => (input as { object: { key: string } }).object.key;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      watch: { type: 'boolean', default: false },
      gateway: { type: 'boolean', default: false },
      token: { type: 'string' },
      fire: { type: 'string' },
      at: { type: 'string' },
      'put-event': { type: 'string' },
      graphql: { type: 'string' },
      variables: { type: 'string' },
      role: { type: 'string' },
      json: { type: 'boolean', default: false },
      seed: { type: 'boolean', default: false },
      'work-dir': { type: 'string' },
    },
  });
  const workDir = resolve(values['work-dir'] ?? join(root, 'dist/sandbox'));
  if (values.token !== undefined) {
    // A second process: sign with the key the running sandbox wrote, start nothing.
    console.log(await mintLocalToken(workDir, { roles: [values.token] }));
    return;
  }
  if (values.fire !== undefined) {
    // One schedule now, then exit: the local cloud without the edge, as a scheduled run sees it.
    const sandbox = await startSandbox({ root, workDir, asyncRetryDelayMs: () => 0 });
    try {
      const at = values.at === undefined ? undefined : new Date(values.at);
      if (at && Number.isNaN(at.getTime()))
        throw new Error(
          `--at ${values.at} is not a time: write ISO 8601, e.g. 2026-12-02T09:00:00Z.`,
        );
      const { text, ok } = await fireSchedule(sandbox, values.fire, { seed: values.seed, at });
      console.log(text);
      if (!ok) process.exitCode = 1;
    } finally {
      await sandbox.stop();
    }
    return;
  }
  if (values['put-event'] !== undefined) {
    const sandbox = await startSandbox({ root, workDir, asyncRetryDelayMs: () => 0 });
    try {
      const { text, ok, summary } = await putEvent(sandbox, values['put-event']);
      console.log(values.json ? JSON.stringify(summary) : text);
      if (!ok) process.exitCode = 1;
    } finally {
      await sandbox.stop();
    }
    return;
  }
  if (values.graphql !== undefined) {
    const sandbox = await startSandbox({ root, workDir, asyncRetryDelayMs: () => 0 });
    try {
      const { text, ok, summary } = await runGraphqlQuery(sandbox, {
        query: values.graphql,
        variables: values.variables,
        role: values.role,
      });
      console.log(values.json ? JSON.stringify(summary) : text);
      if (!ok) process.exitCode = 1;
    } finally {
      await sandbox.stop();
    }
    return;
  }
  const sandbox = await startSandbox({
    root,
    workDir,
    // The default run always shows the edge; watch mode serves it on --gateway.
    gateway: values.gateway || !values.watch,
    // Lambda's asynchronous retries run at once here (AWS waits 1 minute, then 2).
    asyncRetryDelayMs: () => 0,
    onExecution: values.watch
      ? (record, input) => console.log(describeExecution(keyOf(input), record))
      : undefined,
  });
  const s3 = sandboxS3Client(sandbox.s3);
  if (values.watch) {
    console.log(
      `Local S3: ${sandbox.s3.endpoint}  (region ${sandbox.s3.region}, access key ${sandbox.s3.accessKeyId}, secret ${sandbox.s3.secretAccessKey}, path-style)`,
    );
    console.log(`Upload under s3://${sandbox.buckets.media}/uploads/ with any S3 client, e.g.:`);
    console.log(
      `  AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER aws --endpoint-url ${sandbox.s3.endpoint} s3 cp photo.jpg s3://${sandbox.buckets.media}/uploads/photo.jpg`,
    );
    if (sandbox.edge) {
      const { gateway, identity, secrets } = sandbox.edge;
      console.log(`Local API gateway: ${gateway.url}  (stage local, REST proxy events)`);
      console.log(`Local identity: issuer ${identity.issuer}, JWKS ${identity.jwksUrl}`);
      console.log(
        `  a token: npm run sandbox -- --token <role>  (then Authorization: Bearer <token>)`,
      );
      console.log(`Local Secrets Manager: ${secrets.endpoint} (AWS_ENDPOINT_URL_SECRETS_MANAGER)`);
    }
    console.log(
      `Local EventBridge PutEvents: ${sandbox.busEndpoint.endpoint} (AWS_ENDPOINT_URL_EVENTBRIDGE), events print as they arrive`,
    );
    if (sandbox.graphql)
      console.log(
        `Local GraphQL (users API): POST ${sandbox.graphql.endpoint.url} with a --token as Authorization; SSM ${sandbox.graphql.ssm.endpoint} (AWS_ENDPOINT_URL_SSM), stub user service ${sandbox.graphql.userService.baseUrl}`,
      );
    if (sandbox.email)
      console.log(
        `Local SES v2: ${sandbox.email.ses.endpoint} (AWS_ENDPOINT_URL_SESV2), each email an .eml in ${sandbox.email.mailDir}`,
      );
    sandbox.bus.subscribe((e) =>
      console.log(`event on ${e.busName}: ${e.detailType} from ${e.source} (id ${e.id})`),
    );
    console.log('Ctrl-C stops.');
    const stop = async () => {
      await sandbox.stop();
      process.exit(0);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    return;
  }
  try {
    console.log(
      `\nLocal cloud: S3 at ${sandbox.s3.endpoint}, ${sandbox.lambdas.size} functions, the media flow's ASL in the Step Functions interpreter\n`,
    );
    for (const sample of SAMPLES) {
      await s3.send(
        new PutObjectCommand({
          Bucket: sandbox.buckets.media,
          Key: sample.key,
          Body: readFileSync(join(FIXTURES, sample.file)),
        }),
      );
    }
    // Every upload's S3 event starts an execution through the rule's pattern: wait for all.
    const deadline = Date.now() + 10_000;
    while (sandbox.executions.length < SAMPLES.length && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    const records = await sandbox.idle();
    sandbox.executions.forEach((e, i) =>
      console.log(describeExecution(keyOf(e.input), records[i])),
    );
    const processed = sandbox.bus.events.filter((e) => e.detailType === 'MediaProcessed').length;
    const rejected = sandbox.bus.events.filter((e) => e.detailType === 'MediaRejected').length;
    console.log(
      `\nEvents on the platform bus: ${processed} MediaProcessed, ${rejected} MediaRejected`,
    );
    // The first sample (the 12 MP JPEG with EXIF and GPS) shows the most: its manifest and metadata.
    const first = records[sandbox.executions.findIndex((e) => keyOf(e.input) === SAMPLES[0].key)];
    const manifestKey = (first?.output as { finalized?: { manifest: { key: string } } } | undefined)
      ?.finalized?.manifest.key;
    if (manifestKey) {
      for (const key of [manifestKey, manifestKey.replace(/manifest\.json$/, 'metadata.json')]) {
        const body = await (
          await s3.send(new GetObjectCommand({ Bucket: sandbox.buckets.media, Key: key }))
        ).Body!.transformToString();
        console.log(`\n${key} (${SAMPLES[0].key}):\n${body.trimEnd()}`);
      }
    }
    if (records.length !== SAMPLES.length) process.exitCode = 1;
    if (!(await runEtlSample(sandbox, s3))) process.exitCode = 1;
    if (!(await runEdgeSample(sandbox))) process.exitCode = 1;
    if (!(await runJobsSample(sandbox))) process.exitCode = 1;
    if (!(await runGraphqlSample(sandbox))) process.exitCode = 1;
    await sandbox.idle();
    console.log(`\n${describeRouting(sandbox.bus, sandbox.asyncInvocations)}`);
    console.log(`\n${describeDeadLetters(sandbox.deadLetters)}`);
    // The traces of everything above, as the on-call engineer would look at them in X-Ray.
    await sandbox.xray.flush();
    const traced = await writeTraceReport({
      workDir,
      ...(first?.executionArn ? { trace: first.executionArn } : {}),
    });
    console.log(
      `\nTraces: ${traced.graph.nodes.length} services, ${traced.graph.edges.length} edges captured.`,
    );
    if (traced.waterfall)
      console.log(
        `Waterfall of ${SAMPLES[0].key}:\n${readFileSync(traced.waterfall.text, 'utf8')}`,
      );
    console.log(
      `Service map of this run: ${traced.serviceMap.png} (SVG ${traced.serviceMap.svg}, Mermaid ${traced.serviceMap.markdown}); any trace: npm run traces -- --trace <execution ARN, request or correlation id>`,
    );
  } finally {
    await sandbox.stop();
  }
}

/**
 * One generated day of learning events (good rows and every kind of bad input) through the ETL
 * flow: per-object counts, the day's reconciliation and the curated output.
 */
async function runEtlSample(sandbox: Sandbox, s3: S3Client): Promise<boolean> {
  const day = generateDay(ETL_SAMPLE_DATE, { rows: 2000 });
  for (const object of day.objects)
    await s3.send(
      new PutObjectCommand({
        Bucket: sandbox.buckets.data,
        Key: object.key,
        Body: await buffer(object.open()),
      }),
    );
  console.log(
    `\nETL flow: ${day.objects.length} raw objects of ${day.date} under s3://${sandbox.buckets.data}/raw/`,
  );
  const record = await sandbox.etlFlow.run({ date: day.date, asOf: day.now.toISOString() });
  const output = record.output as
    | {
        transforms: MapResults;
        reconciled: { result: { completed: EtlCompletedDetail } };
        publish: { result: { files: { key: string; rows: number }[] } };
      }
    | undefined;
  console.log(
    `${record.status} in ${record.durationMs} ms: ${record.path
      .filter((p) => p.status === 'succeeded' && p.state !== 'Transform')
      .map((p) => p.state)
      .join(' → ')}`,
  );
  if (record.status !== 'SUCCEEDED' || !output) {
    console.log(`  error: ${record.error?.error}: ${String(record.error?.cause)}`);
    return false;
  }
  // The Transform outputs are in the Distributed Map's results on S3, as in AWS.
  const rows = (await readMapResults(s3, output.transforms)).map((t) => [
    t.key.split('/').pop()!,
    ...(['input', 'valid', 'rejected', 'duplicates'] as const).map((k) => String(t.counts[k])),
    t.objectError ? `quarantined whole: ${t.objectError.code}` : '',
  ]);
  console.log(markdownTable(['object', 'input', 'valid', 'rejected', 'duplicates', 'note'], rows));
  const { counts, manifest } = output.reconciled.result.completed;
  console.log(
    `Reconciled: input ${counts.input} = valid ${counts.valid} + rejected ${counts.rejected} + duplicates ${counts.duplicates}; ` +
      `${counts.objectErrors} object(s) quarantined whole; ${counts.crossObjectDuplicates} repeated across objects; ${counts.events} events aggregated.`,
  );
  for (const file of output.publish.result.files) console.log(`  ${file.key} (${file.rows} rows)`);
  console.log(`  ${manifest.key} (written last, sha256 ${manifest.sha256.slice(0, 16)}…)`);
  return true;
}

/**
 * The HTTP edge through the local API gateway and the packaged edge Lambdas: presign with and
 * without a token, the form post of the first sample photo and its media flow, the Stripe
 * webhooks. False (npm start fails) when any step is not as issue 13 expects.
 */
async function runEdgeSample(sandbox: Sandbox): Promise<boolean> {
  console.log(`\nHTTP edge: local API gateway at ${sandbox.edge!.gateway.url}`);
  const result = await runEdgeDemo(sandbox, join(FIXTURES, SAMPLES[0].file));
  console.log(describeEdgeDemo(result));
  const problems = edgeDemoProblems(result);
  for (const problem of problems) console.error(`  not as expected: ${problem}`);
  return problems.length === 0;
}

/**
 * The users GraphQL API (issue 14): a query and a mutation through the local GraphQL endpoint,
 * the caller's token reaching the stub user service, a request without a token refused. False
 * (npm start fails) when not as expected.
 */
async function runGraphqlSample(sandbox: Sandbox): Promise<boolean> {
  if (!sandbox.graphql) {
    console.error('  not as expected: no manifest attaches a Lambda to a GraphQL field');
    return false;
  }
  console.log(
    `\nGraphQL: local endpoint ${sandbox.graphql.endpoint.url} (users API SDL), stub user service ${sandbox.graphql.userService.baseUrl}`,
  );
  const result = await runGraphqlDemo(sandbox);
  console.log(describeGraphqlDemo(result));
  const problems = graphqlDemoProblems(result);
  for (const problem of problems) console.error(`  not as expected: ${problem}`);
  return problems.length === 0;
}

/**
 * Events and jobs (issue 14): the welcome email of a confirmed booking in the local mailbox, a
 * poison event in the worker's dead-letter queue, the reminder schedule's SendSessionReminder
 * events for the due sample sessions. False (npm start fails) when not as expected.
 */
async function runJobsSample(sandbox: Sandbox): Promise<boolean> {
  console.log(
    `\nEvents and jobs: local SES writing to ${sandbox.email?.mailDir ?? '(not started)'}`,
  );
  const welcome = await runWelcomeEmailDemo(sandbox);
  console.log(describeWelcomeEmailDemo(welcome));
  const problems = welcomeEmailDemoProblems(welcome);
  // The hourly reminder job, fired once now for sample sessions seeded relative to now.
  console.log('\nSession reminders: the hourly schedule fired now for the sample sessions');
  const reminders = await runSessionRemindersDemo(sandbox);
  console.log(describeSessionRemindersDemo(reminders));
  problems.push(...sessionRemindersDemoProblems(reminders));
  for (const problem of problems) console.error(`  not as expected: ${problem}`);
  return problems.length === 0;
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exitCode = 1;
});
