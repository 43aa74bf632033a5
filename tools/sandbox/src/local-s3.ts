import { mkdtemp } from 'node:fs/promises';
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
 * Starts s3rver on 127.0.0.1 on a free port with the given buckets. Data goes to `directory`
 * (default: a new temporary folder). Credentials are s3rver's fixed local ones.
 */
export async function startLocalS3(options: {
  buckets: string[];
  directory?: string;
  port?: number;
}): Promise<LocalS3> {
  const directory = options.directory ?? (await mkdtemp(join(tmpdir(), 'slipway-s3-')));
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port ?? 0,
    silent: true,
    directory,
    configureBuckets: options.buckets.map((name) => ({ name, configs: [] })),
  });
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
