/**
 * Child process of the worker-threads bench (run with tsx): `objects` copies of one gzip NDJSON
 * file through `transformObject`, shared among `threads` worker threads (copy i goes to thread
 * i mod threads; each thread runs its copies one after the other, outputs discarded). One thread
 * is the baseline; two is what a batch of the Distributed Map would gain from a second vCPU.
 *
 *   tsx etl-threads-worker.ts <file> <rows per object> <threads> <objects> <date>
 *
 * Prints one JSON line: { threads, objects, rows, seconds, rowsPerSecond, peakRssBytes }.
 */
import { createReadStream } from 'node:fs';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { transformObject } from '@slipway/etl';
import { discard } from './discard';

interface ThreadTask {
  file: string;
  date: string;
  copies: number;
}

async function thread({ file, date, copies }: ThreadTask): Promise<number> {
  let rows = 0;
  for (let i = 0; i < copies; i++) {
    const result = await transformObject(
      {
        body: createReadStream(file),
        key: `raw/bench/dt=${date}/events-${i}.ndjson.gz`,
        date,
        now: new Date(`${date}T23:59:59.999Z`),
      },
      { staging: discard(), quarantine: discard() },
    );
    rows += result.counts.input;
  }
  return rows;
}

/** A worker thread that has loaded Transform and waits for `go`. */
interface ReadyThread {
  go: () => Promise<number>;
}

/**
 * Starts a worker thread on this file (tsx's require hook first, as a thread has none) and
 * resolves once it has loaded its modules, so the timing leaves module loading out.
 */
function startThread(task: ThreadTask): Promise<ReadyThread> {
  const worker = new Worker(
    `require('tsx/cjs/api').register(); require(${JSON.stringify(__filename)});`,
    { eval: true, workerData: task },
  );
  let done: { resolve: (rows: number) => void; reject: (error: Error) => void } | undefined;
  const finished = new Promise<number>((resolve, reject) => (done = { resolve, reject }));
  return new Promise((ready, failed) => {
    const fail = (error: Error) => {
      failed(error);
      done?.reject(error);
    };
    worker.on('message', (message: 'ready' | number) => {
      if (message === 'ready')
        ready({
          go: () => {
            worker.postMessage('go');
            return finished;
          },
        });
      else done?.resolve(message);
    });
    worker.once('error', fail);
    worker.once('exit', (code) =>
      fail(new Error(`a Transform worker thread exited with code ${code} before reporting`)),
    );
  });
}

async function main(): Promise<void> {
  const [file, rowsText, threadsText, objectsText, date] = process.argv.slice(2);
  const threads = Number(threadsText);
  const objects = Number(objectsText);
  const ready = await Promise.all(
    Array.from({ length: threads }, (_, t) =>
      startThread({
        file,
        date,
        copies: Math.floor(objects / threads) + (t < objects % threads ? 1 : 0),
      }),
    ),
  );
  const start = process.hrtime.bigint();
  const counts = await Promise.all(ready.map((t) => t.go()));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const rows = counts.reduce((a, b) => a + b, 0);
  if (rows !== Number(rowsText) * objects)
    throw new Error(`expected ${Number(rowsText) * objects} rows, the threads processed ${rows}`);
  process.stdout.write(
    `${JSON.stringify({ threads, objects, rows, seconds, rowsPerSecond: Math.round(rows / seconds), peakRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`,
  );
}

if (isMainThread) {
  main()
    .then(() => process.exit(0))
    .catch((error: unknown) => {
      process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
      process.exit(1);
    });
} else {
  parentPort?.once('message', () => {
    thread(workerData as ThreadTask).then(
      (rows) => parentPort?.postMessage(rows),
      (error: unknown) => {
        throw error;
      },
    );
  });
  parentPort?.postMessage('ready');
}
