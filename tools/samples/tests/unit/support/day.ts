import { transformObject, EtlObjectError } from '@slipway/etl';
import type { TransformOutput } from '@slipway/events';
import type { GeneratedDay } from '../../../src';
import { sinks } from './sinks';

/** Runs Transform over every object of a generated day, as the Map state would. */
export async function transformDay(day: GeneratedDay) {
  const outputs: TransformOutput[] = [];
  const staging: Buffer[] = [];
  const quarantine: Record<string, { line: number; code: string }[]> = {};
  for (const object of day.objects) {
    const out = sinks();
    try {
      const result = await transformObject(
        { body: object.open(), key: object.key, date: day.date, now: day.now },
        out,
      );
      outputs.push({ key: object.key, counts: result.counts });
      staging.push(out.staging.bytes());
      quarantine[object.key] = out.quarantine.lines();
    } catch (error) {
      if (!(error instanceof EtlObjectError)) throw error;
      outputs.push({
        key: object.key,
        counts: { input: 0, valid: 0, rejected: 0, duplicates: 0 },
        objectError: { code: error.code, message: error.message },
      });
    }
  }
  return { outputs, staging, quarantine };
}
