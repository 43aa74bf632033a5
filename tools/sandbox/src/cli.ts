/**
 * The local cloud from the command line.
 *
 *   npx tsx tools/sandbox/src/cli.ts            upload the sample media, run the flow, print the results
 *   npx tsx tools/sandbox/src/cli.ts --watch    keep the S3 endpoint up and run the flow for every upload
 *   --work-dir <dir>                            where S3 data, unzipped functions and logs go (default dist/sandbox)
 *
 * Lambdas must be packaged first (npx nx run-many -t package); npm start does that.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { describeExecution, sandboxS3Client, startSandbox } from './index';

const root = resolve(__dirname, '../../..');
const FIXTURES = join(root, 'libs/media/tests/fixtures');

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
    options: { watch: { type: 'boolean', default: false }, 'work-dir': { type: 'string' } },
  });
  const sandbox = await startSandbox({
    root,
    ...(values['work-dir'] ? { workDir: resolve(values['work-dir']) } : {}),
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
  } finally {
    await sandbox.stop();
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exitCode = 1;
});
