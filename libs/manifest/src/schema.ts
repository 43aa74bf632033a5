import * as z from 'zod';
import { ASYNC_TRIGGER_TYPES, AsyncInvocationSchema } from './async';
import { EMAIL_TEMPLATES } from './emails';
import { TriggerSchema } from './triggers';

/** Retention periods CloudWatch Logs accepts (days). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
] as const;

function intRange(min: number, max: number, unit: string) {
  const message = `must be a whole number from ${min} to ${max} (${unit})`;
  return z.number({ error: message }).int(message).min(min, message).max(max, message);
}

/**
 * Environment variable names that look like they carry a secret. Secrets belong in SSM
 * Parameter Store or Secrets Manager; the function gets the parameter's name (`*_PARAM`,
 * `*_ARN`, `*_NAME`, `*_ID`) and a `read param:<path>` permission instead.
 */
export const SECRET_LIKE_ENV_NAME = /(PASSWORD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL)/i;
const SECRET_REFERENCE_SUFFIX = /_(ARN|PARAM|PARAMETER|NAME|ID)$/i;

const EnvironmentNameSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must start with a letter and hold only letters, digits and _')
  .refine(
    (name) => !name.startsWith('AWS_'),
    'AWS_* names are reserved by Lambda: pick another name',
  )
  .refine(
    (name) => !SECRET_LIKE_ENV_NAME.test(name) || SECRET_REFERENCE_SUFFIX.test(name),
    'looks like a secret: keep secrets in SSM Parameter Store or Secrets Manager, pass the ' +
      'parameter name (e.g. DB_PASSWORD_PARAM) and add a "read param:<path>" permission',
  );

/**
 * A permission declared as intent: `<verb> <resource>`, for example `read media:uploads/*`,
 * `write media:derived/*`, `publish bus:platform`, `read param:/slipway/dev/api/*`.
 * See {@link compilePermissions} for what each compiles to.
 */
export const PermissionIntentSchema = z
  .string()
  .regex(
    /^[a-z]+ [a-z][a-z0-9-]*:\S*$/,
    'must read "<verb> <resource>", e.g. "read media:uploads/*" or "publish bus:platform"',
  );

/** A runtime dependency installed for the Lambda's platform into the zip (e.g. sharp). */
export const RuntimeDependencySchema = z.object({
  name: z
    .string()
    .regex(/^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/, 'must be an npm package name'),
  version: z
    .string()
    .regex(
      /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/,
      'must be an exact version (e.g. "0.34.5") so zips are reproducible',
    ),
});

/** `heap` of a manifest: the V8 heap limits its `NODE_OPTIONS` carries. */
export const HeapSchema = z.strictObject({
  /** `--max-old-space-size`: the old generation's limit in MB (what survives two scavenges). */
  maxOldSpaceMb: intRange(16, 8192, 'MB'),
  /** `--max-semi-space-size`: one semi-space of the young generation in MB (V8's default is 16). */
  maxSemiSpaceMb: intRange(1, 128, 'MB').optional(),
});
/** V8 heap limits of a function. */
export type Heap = z.output<typeof HeapSchema>;

/**
 * The Lambda manifest: everything a function needs from the cloud, declared once in
 * `apps/<name>/lambda.manifest.json`. Stacks, IAM policy, alarms and governance checks are
 * derived from it.
 */
export const LambdaManifestSchema = z
  .strictObject({
    $schema: z.string().optional(),
    name: z
      .string()
      .regex(
        /^[a-z][a-z0-9-]{1,46}[a-z0-9]$/,
        'must be 3-48 lowercase letters, digits or dashes (the deployed name adds "<prefix>-<env>-")',
      ),
    domain: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,19}$/, 'must be a lowercase domain name such as "media"'),
    description: z.string().min(1).max(256),
    runtime: z.enum(['nodejs22.x']).default('nodejs22.x'),
    architecture: z.enum(['arm64', 'x86_64']).default('arm64'),
    memory: intRange(128, 10240, 'MB'),
    /**
     * Bounds of V8's heap, for a function whose memory must stay flat whatever its input (GitHub
     * issue 17): Lambda gets `NODE_OPTIONS=--max-old-space-size=<maxOldSpaceMb>` (and
     * `--max-semi-space-size=<maxSemiSpaceMb>` when set), the sandbox and the bench the same.
     * Without it V8 lets the old generation grow lazily towards the whole memory before a full
     * GC, so peak RSS follows how long the function runs rather than what it keeps.
     */
    heap: HeapSchema.optional(),
    /** Size of /tmp in MB: raise it for functions that spill to disk (default 512). */
    ephemeralStorageMb: intRange(512, 10240, 'MB').default(512),
    timeout: intRange(1, 900, 'seconds'),
    reservedConcurrency: intRange(0, 1000, 'concurrent executions').optional(),
    environment: z.record(EnvironmentNameSchema, z.string().max(4096)).default({}),
    permissions: z.array(PermissionIntentSchema).default([]),
    logRetentionDays: z
      .number()
      .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
        message: `must be one of the values CloudWatch Logs accepts: ${LOG_RETENTION_DAYS.join(', ')}`,
      })
      .default(30),
    alarms: z
      .strictObject({
        errors: z.number().int().min(1).default(1),
        throttles: z.number().int().min(1).default(1),
        durationP99Ms: z.number().int().min(1).optional(),
        /**
         * Alarms on the ratio of two of the function's own Powertools metrics (namespace
         * `Slipway/<domain>`, dimension `service` = the function's name), e.g. rejected rows over
         * input rows: fires when `numerator / denominator` is above `threshold` over the period.
         */
        ratios: z
          .array(
            z.strictObject({
              name: z
                .string()
                .regex(
                  /^[a-z][a-z0-9-]{1,30}$/,
                  'must be a short lowercase name such as "rejected-rows"',
                ),
              numerator: z
                .string()
                .regex(
                  /^[A-Za-z][A-Za-z0-9]{0,254}$/,
                  'must be a metric name such as RowsRejected',
                ),
              denominator: z
                .string()
                .regex(/^[A-Za-z][A-Za-z0-9]{0,254}$/, 'must be a metric name such as RowsInput'),
              threshold: z.number().gt(0).lt(1),
              periodSeconds: z.number().int().min(60).max(86400).multipleOf(60).default(3600),
            }),
          )
          .default([]),
      })
      .default({ errors: 1, throttles: 1, ratios: [] }),
    runtimeDependencies: z.array(RuntimeDependencySchema).default([]),
    /** What invokes the function: HTTP routes, or the API's JWT authorizer (see triggers.ts). */
    triggers: z.array(TriggerSchema).default([]),
    /**
     * Lambda's retries and event age for asynchronous invocations (`event` and `schedule`
     * triggers); failures always go to the function's own dead-letter queue (see async.ts).
     */
    async: AsyncInvocationSchema.optional(),
  })
  .superRefine((m, ctx) => {
    // An authorizer answers API Gateway's authorization call only; a route on the same function
    // would run with the authorizer's permissions and blur which code decides access.
    if (m.triggers.some((t) => t.type === 'authorizer') && m.triggers.length > 1) {
      m.triggers.forEach((t, i) => {
        if (t.type !== 'authorizer' || m.triggers.findIndex((x) => x.type === 'authorizer') !== i)
          ctx.addIssue({
            code: 'custom',
            path: ['triggers', i],
            message:
              'an authorizer manifest declares the authorizer trigger only: move this trigger to ' +
              'another Lambda',
            input: t,
          });
      });
    }
    if (m.async && !m.triggers.some((t) => ASYNC_TRIGGER_TYPES.includes(t.type)))
      ctx.addIssue({
        code: 'custom',
        path: ['async'],
        message:
          'applies to asynchronous invocations only, and no "event" or "schedule" trigger invokes this function: remove it or add such a trigger',
        input: m.async,
      });
    // A schedule's name makes its AWS name and the sandbox's `--fire` name: one per manifest.
    const schedules = m.triggers.flatMap((t, i) => (t.type === 'schedule' ? [{ t, i }] : []));
    for (const { t, i } of schedules)
      if (schedules.find((s) => s.t.name === t.name)!.i !== i)
        ctx.addIssue({
          code: 'custom',
          path: ['triggers', i, 'name'],
          message: `repeats the schedule name "${t.name}" of triggers.${schedules.find((s) => s.t.name === t.name)!.i}: give each schedule its own name`,
          input: t.name,
        });
    m.permissions.forEach((intent, i) => {
      const template = /^send email:(.*)$/.exec(intent)?.[1];
      if (template !== undefined && !EMAIL_TEMPLATES.some((e) => e.name === template))
        ctx.addIssue({
          code: 'custom',
          path: ['permissions', i],
          message: `names no declared email template "${template}" (declared: ${EMAIL_TEMPLATES.map((e) => e.name).join(', ')}): declare it in EMAIL_TEMPLATES (libs/manifest/src/emails.ts) or fix the name`,
          input: intent,
        });
    });
    if (m.heap) {
      // The young generation is three semi-spaces (two plus V8's new large-object space).
      const heapMb = m.heap.maxOldSpaceMb + 3 * (m.heap.maxSemiSpaceMb ?? 16);
      const room = Math.floor(m.memory * 0.75);
      if (heapMb > room)
        ctx.addIssue({
          code: 'custom',
          path: ['heap'],
          message: `asks V8 for ${heapMb} MB (old space ${m.heap.maxOldSpaceMb} + 3 × semi-space ${m.heap.maxSemiSpaceMb ?? 16}), more than 75 % of memory (${room} of ${m.memory} MB): buffers, zlib and the runtime live outside the heap. Lower the heap or raise memory`,
          input: m.heap,
        });
      if (m.environment.NODE_OPTIONS !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['environment', 'NODE_OPTIONS'],
          message:
            'would replace the NODE_OPTIONS that heap sets: remove it and keep the heap limits in heap',
          input: m.environment.NODE_OPTIONS,
        });
    }
    if (m.alarms.durationP99Ms !== undefined && m.alarms.durationP99Ms > m.timeout * 1000) {
      ctx.addIssue({
        code: 'custom',
        path: ['alarms', 'durationP99Ms'],
        message: `must not exceed the timeout (${m.timeout * 1000} ms)`,
        input: m.alarms.durationP99Ms,
      });
    }
  });

/** A validated Lambda manifest (defaults applied). */
export type LambdaManifest = z.output<typeof LambdaManifestSchema>;
/** A Lambda manifest as written in the file. */
export type LambdaManifestInput = z.input<typeof LambdaManifestSchema>;
