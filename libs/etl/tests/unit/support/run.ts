import { Readable } from 'node:stream';
import { transformObject, type TransformOptions } from '../../../src';
import { sinks } from './sinks';

export const DATE = '2026-03-01';
export const NOW = new Date('2026-03-01T20:00:00.000Z');
export const key = (name: string) => `raw/lms/dt=${DATE}/${name}`;

/** Runs Transform over `content` and returns the result with both sinks. */
export async function transform(
  name: string,
  content: string | Buffer | Buffer[],
  options: TransformOptions = {},
) {
  const out = sinks();
  const chunks = Array.isArray(content) ? content : [Buffer.from(content)];
  const result = await transformObject(
    { body: Readable.from(chunks), key: key(name), date: DATE, now: NOW },
    out,
    options,
  );
  return {
    result,
    ...out,
    rejected: out.quarantine.lines<{
      line: number;
      code: string;
      error: string;
      raw: string;
      rawBase64?: string;
    }>(),
  };
}
