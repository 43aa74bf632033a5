// Child process of etl-measure.ts: measures one mode on one input file and prints one JSON line.
// Run apart so that each size's peak RSS is its own. With `passes` 2 it then processes the same
// file a second time in the same process (warm: code already optimized by V8, as for the later
// objects of a Distributed Map batch) and reports that pass's rows/s too.
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { LineSplitter, transformObject } from '@slipway/etl';
import { discard } from './discard';

const [mode, file, rowsText, date, passesText = '1'] = process.argv.slice(2);

/** One pass over the file: the rows it processed and its wall time. */
async function pass(): Promise<{ rows: number; seconds: number }> {
  const start = process.hrtime.bigint();
  let rows = 0;
  if (mode === 'transform') {
    const result = await transformObject(
      {
        body: createReadStream(file),
        key: `raw/bench/dt=${date}/events.ndjson.gz`,
        date,
        now: new Date(`${date}T23:59:59.999Z`),
      },
      { staging: discard(), quarantine: discard() },
    );
    rows = result.counts.input;
  } else {
    const splitter = new LineSplitter();
    const onLine = (line: { bytes: Buffer }) => {
      JSON.parse(line.bytes.toString('utf8'));
      rows++;
    };
    await pipeline(createReadStream(file), createGunzip(), async (source) => {
      for await (const chunk of source) splitter.push(chunk as Buffer, onLine);
      splitter.end(onLine);
    });
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (rows !== Number(rowsText)) throw new Error(`expected ${rowsText} rows, processed ${rows}`);
  return { rows, seconds };
}

async function main() {
  const cold = await pass();
  // The high-water mark of the first pass: the one a fresh Lambda process has.
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  const warm = passesText === '2' ? await pass() : undefined;
  process.stdout.write(
    `${JSON.stringify({
      rows: cold.rows,
      seconds: cold.seconds,
      rowsPerSecond: Math.round(cold.rows / cold.seconds),
      peakRssBytes,
      ...(warm ? { warmRowsPerSecond: Math.round(warm.rows / warm.seconds) } : {}),
    })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
