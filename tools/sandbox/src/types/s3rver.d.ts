// s3rver ships no type declarations; this is the part of its API the sandbox uses.
declare module 's3rver' {
  import { EventEmitter } from 'node:events';

  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory?: string;
    resetOnClose?: boolean;
    configureBuckets?: { name: string; configs: (string | Buffer)[] }[];
  }

  /** A Koa middleware, as far as the sandbox uses one. */
  type S3rverMiddleware = (
    ctx: { req: import('node:http').IncomingMessage; status: number; type: string; body: unknown },
    next: () => Promise<void>,
  ) => Promise<void>;

  /** s3rver is a Koa application; `middleware` is Koa's, composed when `run()` starts. */
  class S3rver extends EventEmitter {
    constructor(options: S3rverOptions);
    middleware: S3rverMiddleware[];
    run(): Promise<{ address: string; port: number }>;
    close(): Promise<void>;
  }

  export default S3rver;
}
