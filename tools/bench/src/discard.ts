import { Writable } from 'node:stream';

/**
 * A sink that accepts and drops everything, asynchronously like a real upload: what the ETL
 * bench's workers give `transformObject` for its staging and quarantine outputs.
 */
export const discard = (): Writable =>
  new Writable({
    write(_chunk, _encoding, done) {
      setImmediate(done);
    },
  });
