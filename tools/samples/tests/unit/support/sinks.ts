import { Writable } from 'node:stream';

/** A Writable that keeps what it receives; `bytes()` after it finished. */
export class MemorySink extends Writable {
  readonly chunks: Buffer[] = [];

  constructor() {
    super({
      write: (chunk: Buffer, _encoding, done) => {
        this.chunks.push(Buffer.from(chunk));
        done();
      },
    });
  }

  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }

  /** Parsed NDJSON lines. */
  lines<T = Record<string, unknown>>(): T[] {
    return this.bytes()
      .toString('utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as T);
  }
}

/** Fresh staging and quarantine sinks. */
export const sinks = () => ({ staging: new MemorySink(), quarantine: new MemorySink() });
