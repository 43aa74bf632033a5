import { PassThrough, Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { EtlObjectError } from '../errors';

/** What {@link openDecoded} found out about an object before reading it. */
export interface DecodedBody {
  /** Whether the bytes start with the gzip magic number `1f 8b`. */
  gzip: boolean;
  /** The decompressed bytes, chunk by chunk. Read failures come out as {@link EtlObjectError}. */
  chunks: AsyncIterable<Buffer>;
  /** Stops reading and releases the source (call when giving up early). */
  destroy(): void;
}

/**
 * Opens a raw object's byte stream: looks at its first two bytes and, if they are the gzip magic
 * number (RFC 1952 §2.3.1), gunzips it as it streams. The key's extension is not looked at:
 * exports named `.json` that are gzip, and `.gz` files that are not, both exist.
 *
 * Errors while reading become {@link EtlObjectError}s: `TRUNCATED_GZIP` when the gzip stream
 * ends early, `CORRUPT_GZIP` when it does not inflate, `UNREADABLE` when the source fails.
 */
export async function openDecoded(
  body: Readable | AsyncIterable<Uint8Array>,
  key: string,
): Promise<DecodedBody> {
  const iterator = body[Symbol.asyncIterator]() as AsyncIterator<Uint8Array | string>;
  const destroySource = () => {
    if (body instanceof Readable) body.destroy();
    else void iterator.return?.();
  };
  const readNext = async (): Promise<Buffer | undefined> => {
    try {
      const next = await iterator.next();
      if (next.done) return undefined;
      return Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    } catch (error) {
      throw unreadable(key, error);
    }
  };

  let head: Buffer = Buffer.alloc(0);
  while (head.length < 2) {
    const chunk = await readNext();
    if (!chunk) break;
    head = head.length ? Buffer.concat([head, chunk]) : chunk;
  }
  const gzip = head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;

  async function* raw(): AsyncGenerator<Buffer> {
    if (head.length) yield head;
    for (let chunk = await readNext(); chunk; chunk = await readNext()) yield chunk;
  }

  if (!gzip) return { gzip, chunks: raw(), destroy: destroySource };

  const source = Readable.from(raw(), { objectMode: false });
  // 64 KiB chunks (zlib's default is 16 KiB) and 1 MiB of inflated bytes buffered: inflating runs
  // on libuv's thread pool, so it keeps going while the main thread checks the previous chunk's
  // rows, instead of waiting for each 16 KiB to be asked for (measured: GitHub issue 17).
  const gunzip = createGunzip({ chunkSize: 64 * 1024 });
  const out = new PassThrough({ highWaterMark: 1024 * 1024 });
  pipeline(source, gunzip, out, () => {
    // Errors reach the consumer through `out`; nothing else to do here.
  });
  async function* inflated(): AsyncGenerator<Buffer> {
    try {
      for await (const chunk of out) yield chunk as Buffer;
    } catch (error) {
      throw classify(key, error);
    }
  }
  return {
    gzip,
    chunks: inflated(),
    destroy: () => {
      out.destroy();
      destroySource();
    },
  };
}

function classify(key: string, error: unknown): EtlObjectError {
  if (error instanceof EtlObjectError) return error;
  const code = (error as { code?: string }).code;
  if (code === 'Z_BUF_ERROR') {
    return new EtlObjectError(
      'TRUNCATED_GZIP',
      key,
      'the gzip stream ends before its end marker, so the object was cut short (an interrupted upload or copy). Upload the complete file again.',
      { cause: error },
    );
  }
  if (typeof code === 'string' && code.startsWith('Z_')) {
    return new EtlObjectError(
      'CORRUPT_GZIP',
      key,
      `the object starts like gzip but does not decompress (${(error as Error).message}). Upload it again, compressed with gzip, or uncompressed.`,
      { cause: error },
    );
  }
  return unreadable(key, error);
}

function unreadable(key: string, error: unknown): EtlObjectError {
  if (error instanceof EtlObjectError) return error;
  return new EtlObjectError(
    'UNREADABLE',
    key,
    `reading the object failed (${error instanceof Error ? error.message : String(error)}). Check that it still exists and is readable, then rerun the day.`,
    { cause: error },
  );
}
