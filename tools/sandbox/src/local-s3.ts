import crypto from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

/** The S3 notification record s3rver emits, reduced to what the sandbox reads. */
export interface S3NotificationRecord {
  eventName: string;
  eventTime: string;
  s3: {
    bucket: { name: string };
    object: { key: string; size?: number; eTag?: string; versionId?: string; sequencer?: string };
  };
}

/** A running embedded S3-compatible server. */
export interface LocalS3 {
  /** e.g. http://127.0.0.1:41234 */
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  /** Folder holding the buckets' data. */
  directory: string;
  /** Subscribes to object notifications (PUT, POST, COPY, DELETE). */
  onEvent(listener: (record: S3NotificationRecord) => void): void;
  close(): Promise<void>;
}

/**
 * s3rver 3.7 encrypts ListObjectsV2 continuation tokens with single DES (`des`, i.e. DES-CBC),
 * which OpenSSL 3 (Node ≥ 17) only has in its legacy provider: every listing of more than 1000
 * keys answered 500 `InternalError` (ERR_OSSL_EVP_UNSUPPORTED) on its first page, so a day of
 * 10,000 raw objects could not be listed locally although the code pages as S3 wants (issue 17).
 * Triple DES with three equal keys is single DES (EDE: encrypt, decrypt and encrypt again with
 * the same key), and `des-ede3-cbc` is in OpenSSL 3's default provider: the tokens are the same
 * bytes s3rver means to write. Only the `des` algorithm is rerouted; every other call is untouched.
 */
function patchDesForS3rver(): void {
  type Factory = typeof crypto.createCipheriv;
  const patched = Symbol.for('slipway.sandbox.s3rver-des');
  const target = crypto as unknown as Record<string | symbol, unknown>;
  if (target[patched]) return;
  target[patched] = true;
  for (const name of ['createCipheriv', 'createDecipheriv'] as const) {
    const original = crypto[name] as unknown as Factory;
    target[name] = ((algorithm: string, key: Buffer, iv: Buffer, options?: never) =>
      algorithm === 'des'
        ? original('des-ede3-cbc', Buffer.concat([key, key, key]), iv, options)
        : original(algorithm, key, iv, options)) as Factory;
  }
}

/**
 * Starts s3rver on 127.0.0.1 on a free port with the given buckets. Data goes to `directory`
 * (default: a new temporary folder). Credentials are s3rver's fixed local ones.
 */
export async function startLocalS3(options: {
  buckets: string[];
  directory?: string;
  port?: number;
}): Promise<LocalS3> {
  const directory = options.directory ?? (await mkdtemp(join(tmpdir(), 'slipway-s3-')));
  patchDesForS3rver();
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port ?? 0,
    silent: true,
    directory,
    configureBuckets: options.buckets.map((name) => ({ name, configs: [] })),
  });
  // Before every other middleware of s3rver (its logger, auth and router): Koa composes
  // `app.middleware` when `run()` creates the HTTP server.
  server.middleware.unshift(decodeCopySource);
  const { port } = (await server.run()) as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    region: 'eu-west-1',
    directory,
    onEvent(listener) {
      server.on('event', (event: { Records: S3NotificationRecord[] }) =>
        event.Records.forEach(listener),
      );
    },
    close: () => server.close() as Promise<void>,
  };
}

/**
 * What s3rver must be given in `x-amz-copy-source` so that it reads the key S3 would read, or
 * `undefined` when the value's percent-encoding is broken (S3 answers 400 `InvalidArgument`).
 *
 * S3 URL-decodes the whole header (`bucket/key[?versionId=…]`, each key segment encoded:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html). s3rver 3.7 decodes it
 * with `decodeURI`, which leaves the escapes of `; / ? : @ & = + $ , #` as they are, so a key
 * holding `+`, `#`, `?` or `=` was not found, and takes everything after the bucket as the key,
 * query included. The rewrite decodes the key fully, drops the `?versionId=` query (s3rver keeps
 * one version per key, which is the one a copy reads), and re-encodes with `encodeURI`: it escapes
 * only what `decodeURI` decodes back (`%`, spaces, non-ASCII), so s3rver ends up with the exact key.
 *
 * @example
 * s3rverCopySource('data/raw/dt%3D2026-03-01/a%2Bb%23c%3Fd.gz'); // 'data/raw/dt=2026-03-01/a+b#c?d.gz'
 */
export function s3rverCopySource(header: string): string | undefined {
  const query = header.indexOf('?');
  const path = query === -1 ? header : header.slice(0, query);
  try {
    return encodeURI(decodeURIComponent(path));
  } catch {
    return undefined;
  }
}

/** The Koa middleware that puts {@link s3rverCopySource} in front of s3rver. */
async function decodeCopySource(
  ctx: { req: IncomingMessage; status: number; type: string; body: unknown },
  next: () => Promise<void>,
): Promise<void> {
  const header = ctx.req.headers['x-amz-copy-source'];
  if (typeof header !== 'string') return next();
  const rewritten = s3rverCopySource(header);
  if (rewritten === undefined) {
    // S3's answer to a copy source that does not URL-decode (e.g. `bucket/%%%%`).
    ctx.status = 400;
    ctx.type = 'application/xml';
    ctx.body =
      '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InvalidArgument</Code>' +
      '<Message>Invalid copy source encoding</Message>' +
      '<ArgumentName>x-amz-copy-source</ArgumentName></Error>';
    return;
  }
  // s3rver 3.7 does not verify SigV4 signatures (the SDK signs this header): safe to rewrite.
  ctx.req.headers['x-amz-copy-source'] = rewritten;
  return next();
}
