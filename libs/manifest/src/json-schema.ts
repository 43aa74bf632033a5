import * as z from 'zod';
import { LambdaManifestSchema } from './schema';

/** Where the JSON Schema of the manifest is committed (for editor completion and validation). */
export const MANIFEST_JSON_SCHEMA_FILE = 'libs/manifest/lambda.manifest.schema.json';

/**
 * JSON Schema of `lambda.manifest.json`, generated from the zod schema so the two cannot
 * drift. Cross-field rules (duration alarm vs timeout, secret-like variable names) are only
 * enforced by the zod schema at build time.
 */
export function manifestJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(LambdaManifestSchema, { io: 'input', unrepresentable: 'any' }),
    title: 'Slipway Lambda manifest',
    description:
      'What a Lambda needs from the cloud. Stacks, IAM policy and alarms are derived from it.',
  };
}
