import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';

/**
 * Writes `chunk` and, when the stream's buffer is full, waits for `drain` (or fails if the
 * stream errors or closes first). This is how every sink write here respects backpressure.
 */
export async function writeWithBackpressure(sink: Writable, chunk: Uint8Array | string) {
  if (sink.destroyed || sink.writableEnded) {
    throw new Error('The sink was closed before all rows were written.');
  }
  if (sink.write(chunk)) return;
  const abort = new AbortController();
  try {
    await Promise.race([
      once(sink, 'drain', { signal: abort.signal }),
      once(sink, 'close', { signal: abort.signal }).then(() => {
        if (!sink.writableNeedDrain) return;
        throw new Error('The sink closed while rows were still being written.');
      }),
    ]);
  } finally {
    abort.abort();
  }
}

/** Ends `sink` and resolves when everything written has been flushed (rejects on error). */
export async function endSink(sink: Writable): Promise<void> {
  sink.end();
  await finished(sink, { readable: false });
}
