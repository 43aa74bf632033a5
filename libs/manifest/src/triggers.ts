import { GraphqlTriggerSchema } from './graphql';
import { validateEventPattern } from '@slipway/events';
import * as z from 'zod';
import { InvalidScheduleNameError } from './errors';
import { scheduleExpressionProblem, timeZoneProblem } from './schedule-expression';

/**
 * What invokes a Lambda, declared in its manifest's `triggers`: one zod schema per kind, joined
 * in {@link TriggerSchema} on `type`. A new kind (issue 14: `event`, `schedule`, `graphql`) is a
 * new `<Kind>TriggerSchema` here and one more entry in {@link TRIGGER_SCHEMAS}; the stacks, the
 * route table and the OpenAPI generator only read the kinds they know.
 */

/** Methods a route may declare; `ANY` is API Gateway's catch-all and overlaps every other. */
export const HTTP_METHODS = [
  'GET',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'HEAD',
  'OPTIONS',
  'ANY',
] as const;
/** A route's method. */
export type HttpMethod = (typeof HTTP_METHODS)[number];

/**
 * Account-level defaults of API Gateway REST APIs per Region (steady rate 10,000 requests/s,
 * burst 5,000): a route may lower them, never raise them without a quota increase.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html
 */
export const MAX_RATE_LIMIT = 10_000;
export const MAX_BURST_LIMIT = 5_000;
/** API Gateway's payload limit (10 MB), the most a route can accept. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** Longest cache API Gateway keeps an authorizer's answer (3600 s). */
export const MAX_AUTHORIZER_TTL_SECONDS = 3600;

const LITERAL_SEGMENT = /^[A-Za-z0-9._-]+$/;
const PARAM_SEGMENT = /^\{([A-Za-z_][A-Za-z0-9_]*)(\+?)\}$/;

/**
 * What is wrong with a route path in API Gateway's syntax, or `undefined` when it is valid:
 * `/` or `/`-separated segments, each literal (`[A-Za-z0-9._-]+`) or a parameter `{name}`, with
 * an optional greedy `{name+}` as the last segment; no trailing slash, no parameter twice.
 *
 * @example httpPathProblem('/things/{id}') // undefined
 * @example httpPathProblem('/things/') // 'must not end with "/" ...'
 */
export function httpPathProblem(path: string): string | undefined {
  if (path === '/') return undefined;
  if (!path.startsWith('/')) return 'must start with "/", e.g. "/things/{id}"';
  if (path.endsWith('/')) return 'must not end with "/" (only the root path "/" does)';
  const segments = path.slice(1).split('/');
  const seen = new Set<string>();
  for (const [i, segment] of segments.entries()) {
    if (segment === '') return 'must not contain an empty segment ("//")';
    const param = PARAM_SEGMENT.exec(segment);
    if (param) {
      const [, name, greedy] = param;
      if (greedy && i !== segments.length - 1)
        return `has the greedy parameter "${segment}" before the end: only the last segment may be {name+}`;
      if (seen.has(name)) return `uses the parameter "{${name}}" twice: give each a distinct name`;
      seen.add(name);
    } else if (!LITERAL_SEGMENT.test(segment)) {
      return (
        `has the segment "${segment}", which is neither literal (letters, digits, . _ -) ` +
        'nor a parameter "{name}" (or a greedy "{name+}" at the end)'
      );
    }
  }
  return undefined;
}

const SchemaNameSchema = z
  .string()
  .regex(
    /^[A-Z][A-Za-z0-9]*$/,
    'must be the PascalCase name of a schema in EDGE_SCHEMAS (libs/events/src/edge/index.ts), e.g. "CreateUploadRequest"',
  );

const RoleSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/,
    'must be a role name as the identity provider writes it in the token, e.g. "member"',
  );

/** A route that needs a valid JWT carrying at least one of `roles`. */
export const JwtAuthSchema = z.strictObject({
  type: z.literal('jwt'),
  roles: z
    .array(RoleSchema)
    .min(1, 'must name at least one role: a JWT route admits the tokens carrying one of them')
    .refine(
      (roles) => new Set(roles).size === roles.length,
      'must not repeat a role: list each once',
    ),
});

/** A route anyone may call; its own check (a webhook's signature) is its auth, said in `reason`. */
export const PublicAuthSchema = z.strictObject({
  type: z.literal('public'),
  reason: z
    .string({ error: 'is required: say why this route needs no token (e.g. "Stripe signs it")' })
    .trim()
    .min(1, 'must not be empty: say why this route needs no token (e.g. "Stripe signs it")')
    .max(256),
});

const AuthSchema = z.discriminatedUnion('type', [JwtAuthSchema, PublicAuthSchema], {
  error: 'must be {"type": "jwt", "roles": [...]} or {"type": "public", "reason": "..."}',
});

/** An HTTP route of the REST API served by this Lambda (API Gateway REST proxy, v1 event). */
export const HttpTriggerSchema = z
  .strictObject({
    type: z.literal('http'),
    method: z.enum(HTTP_METHODS, { error: `must be one of ${HTTP_METHODS.join(', ')}` }),
    path: z.string().superRefine((path, ctx) => {
      const problem = httpPathProblem(path);
      if (problem) ctx.addIssue({ code: 'custom', message: problem, input: path });
    }),
    auth: AuthSchema,
    /** Name of the request body's schema in EDGE_SCHEMAS; API Gateway validates the body with it. */
    request: SchemaNameSchema.optional(),
    /** Name of the response body's schema in EDGE_SCHEMAS (for OpenAPI). */
    response: SchemaNameSchema,
    throttle: z
      .strictObject({
        rateLimit: z
          .number({ error: `must be a number of requests per second from 1 to ${MAX_RATE_LIMIT}` })
          .min(1, `must be from 1 to ${MAX_RATE_LIMIT} requests per second (the account default)`)
          .max(
            MAX_RATE_LIMIT,
            `must be at most ${MAX_RATE_LIMIT} requests per second (the account default)`,
          ),
        burstLimit: z
          .number({ error: `must be a whole number of requests from 1 to ${MAX_BURST_LIMIT}` })
          .int(`must be a whole number of requests from 1 to ${MAX_BURST_LIMIT}`)
          .min(1, `must be from 1 to ${MAX_BURST_LIMIT} requests (the account default)`)
          .max(
            MAX_BURST_LIMIT,
            `must be at most ${MAX_BURST_LIMIT} requests (the account default)`,
          ),
      })
      .optional(),
    maxBodyBytes: z
      .number({ error: `must be a whole number of bytes from 1 to ${MAX_BODY_BYTES}` })
      .int(`must be a whole number of bytes from 1 to ${MAX_BODY_BYTES}`)
      .min(1, `must be from 1 to ${MAX_BODY_BYTES} bytes`)
      .max(MAX_BODY_BYTES, `must be at most ${MAX_BODY_BYTES} bytes (API Gateway's 10 MB limit)`)
      .optional(),
    /** The body is not JSON: API Gateway passes it base64-encoded and validates no schema. */
    binary: z.boolean().default(false),
  })
  .superRefine((route, ctx) => {
    if (route.request === undefined) return;
    if (route.binary)
      ctx.addIssue({
        code: 'custom',
        path: ['request'],
        message: 'a binary route has no JSON body to validate: drop "request" or "binary"',
        input: route.request,
      });
    else if (['GET', 'HEAD', 'OPTIONS'].includes(route.method))
      ctx.addIssue({
        code: 'custom',
        path: ['request'],
        message: `a ${route.method} request has no body: drop "request" or use POST, PUT or PATCH`,
        input: route.request,
      });
  });

/** The REST API's Lambda REQUEST authorizer: exactly one manifest of all declares it. */
export const AuthorizerTriggerSchema = z.strictObject({
  type: z.literal('authorizer'),
  /** The header API Gateway passes and keys the cached answer on. */
  identitySource: z
    .literal('Authorization', {
      error: 'must be "Authorization": the authorizer reads the bearer token from that header',
    })
    .default('Authorization'),
  cacheTtlSeconds: z
    .number({ error: `must be a whole number of seconds from 0 to ${MAX_AUTHORIZER_TTL_SECONDS}` })
    .int(`must be a whole number of seconds from 0 to ${MAX_AUTHORIZER_TTL_SECONDS}`)
    .min(0, `must be from 0 to ${MAX_AUTHORIZER_TTL_SECONDS} seconds`)
    .max(
      MAX_AUTHORIZER_TTL_SECONDS,
      `must be at most ${MAX_AUTHORIZER_TTL_SECONDS} seconds (API Gateway's authorizer cache limit)`,
    )
    .default(300),
});

/**
 * EventBridge's retry bounds for a target: events are kept from 60 s to 24 h and retried up to
 * 185 times. https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_RetryPolicy.html
 */
export const MIN_EVENT_AGE_SECONDS = 60;
export const MAX_EVENT_AGE_SECONDS = 86_400;
export const MAX_RETRY_ATTEMPTS = 185;

/**
 * A target's retry policy, the same for an EventBridge rule's target and a Scheduler schedule's:
 * how long an undelivered event is kept and how often delivery is retried, before it goes to the
 * dead-letter queue. Defaults: 1 h and 3 retries.
 */
export const RetryPolicySchema = z
  .strictObject({
    maximumEventAgeSeconds: z
      .number({
        error: `must be a whole number of seconds from ${MIN_EVENT_AGE_SECONDS} to ${MAX_EVENT_AGE_SECONDS}`,
      })
      .int(
        `must be a whole number of seconds from ${MIN_EVENT_AGE_SECONDS} to ${MAX_EVENT_AGE_SECONDS}`,
      )
      .min(
        MIN_EVENT_AGE_SECONDS,
        `must be at least ${MIN_EVENT_AGE_SECONDS} seconds (EventBridge's minimum)`,
      )
      .max(
        MAX_EVENT_AGE_SECONDS,
        `must be at most ${MAX_EVENT_AGE_SECONDS} seconds (24 h, EventBridge's maximum)`,
      )
      .default(3600),
    maximumAttempts: z
      .number({ error: `must be a whole number of retries from 0 to ${MAX_RETRY_ATTEMPTS}` })
      .int(`must be a whole number of retries from 0 to ${MAX_RETRY_ATTEMPTS}`)
      .min(0, `must be from 0 to ${MAX_RETRY_ATTEMPTS} retries`)
      .max(
        MAX_RETRY_ATTEMPTS,
        `must be at most ${MAX_RETRY_ATTEMPTS} retries (EventBridge's maximum)`,
      )
      .default(3),
  })
  .default({ maximumEventAgeSeconds: 3600, maximumAttempts: 3 });

/**
 * The events of a bus this Lambda handles: an EventBridge rule on `bus` (a logical bus name, as
 * in `publish bus:<name>`) with `pattern`, validated against EventBridge's pattern grammar at
 * build time, and the target's retry policy. The rule always has a dead-letter queue: an event
 * EventBridge could not deliver after `retry` lands there, never nowhere.
 */
export const EventTriggerSchema = z.strictObject({
  type: z.literal('event'),
  bus: z
    .string()
    .regex(
      /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/,
      'must be the logical name of a declared bus, e.g. "platform" (the bus of "publish bus:platform")',
    ),
  pattern: z
    .record(z.string(), z.unknown(), {
      error:
        'must be an EventBridge event pattern object, e.g. {"detail-type": ["SessionConfirmed"]}',
    })
    .superRefine((pattern, ctx) => {
      for (const issue of validateEventPattern(pattern))
        ctx.addIssue({
          code: 'custom',
          message: `${issue.path === '(root)' ? '' : `${issue.path}: `}${issue.message}`,
          input: pattern,
        });
    }),
  retry: RetryPolicySchema,
});

/** Longest window Scheduler may shift an invocation by (24 h). */
export const MAX_FLEXIBLE_WINDOW_MINUTES = 1440;
/** Largest static input Scheduler passes to a target (8 KB of JSON). */
export const MAX_SCHEDULE_INPUT_CHARS = 8192;

/**
 * An EventBridge Scheduler schedule invoking this Lambda: `expression` (`cron(...)` of six fields
 * or `rate(...)`, see {@link scheduleExpressionProblem}) in the IANA `timezone` (required: a cron
 * without one would run in UTC and drift by an hour at each daylight saving change), `input` the
 * static JSON event the function receives (default `{}`), `flexibleWindowMinutes` to let
 * Scheduler spread the run within a window (absent: off, the run starts at the time), and the
 * delivery `retry` policy, after which the event lands in the schedule's dead-letter queue.
 * `name` (kebab-case, unique per manifest) makes the schedule `<prefix>-<env>-<lambda>-<name>`
 * ({@link scheduleResourceName}), which the sandbox fires by name.
 */
export const ScheduleTriggerSchema = z.strictObject({
  type: z.literal('schedule'),
  name: z
    .string({ error: 'is required: name the schedule in kebab-case, e.g. "hourly"' })
    .regex(
      /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/,
      'must be kebab-case (lowercase letters, digits, dashes), e.g. "hourly"',
    ),
  expression: z
    .string({ error: 'is required: a Scheduler expression such as "cron(0 * * * ? *)"' })
    .superRefine((expression, ctx) => {
      const problem = scheduleExpressionProblem(expression);
      if (problem) ctx.addIssue({ code: 'custom', message: problem, input: expression });
    }),
  timezone: z
    .string({
      error:
        'is required: the IANA time zone the schedule runs in, such as "Europe/Paris" or "UTC"',
    })
    .superRefine((timeZone, ctx) => {
      const problem = timeZoneProblem(timeZone);
      if (problem) ctx.addIssue({ code: 'custom', message: problem, input: timeZone });
    }),
  flexibleWindowMinutes: z
    .number({
      error: `must be a whole number of minutes from 1 to ${MAX_FLEXIBLE_WINDOW_MINUTES}, or absent (off)`,
    })
    .int(`must be a whole number of minutes from 1 to ${MAX_FLEXIBLE_WINDOW_MINUTES}`)
    .min(1, 'must be at least 1 minute: remove the field to run exactly on time')
    .max(
      MAX_FLEXIBLE_WINDOW_MINUTES,
      `must be at most ${MAX_FLEXIBLE_WINDOW_MINUTES} minutes (24 h, Scheduler's maximum)`,
    )
    .optional(),
  input: z
    .record(z.string(), z.unknown(), {
      error: 'must be a JSON object: the event the function receives, e.g. {"window": "next-hour"}',
    })
    .refine(
      (input) => JSON.stringify(input).length <= MAX_SCHEDULE_INPUT_CHARS,
      `must be at most ${MAX_SCHEDULE_INPUT_CHARS} characters of JSON (Scheduler's target input limit): pass a pointer, not the data`,
    )
    .default({}),
  retry: RetryPolicySchema,
});

/**
 * The name of a manifest's schedule in an environment: `<prefix>-<env>-<lambda>-<schedule>`, the
 * name the stacks give it in AWS and the sandbox fires it by.
 *
 * @throws {InvalidScheduleNameError} over Scheduler's 64 characters, naming the parts to shorten.
 * @example scheduleResourceName('slipway', 'dev', 'jobs-session-reminders', 'hourly')
 * // 'slipway-dev-jobs-session-reminders-hourly'
 */
export function scheduleResourceName(
  prefix: string,
  environment: string,
  lambda: string,
  schedule: string,
): string {
  const name = `${prefix}-${environment}-${lambda}-${schedule}`;
  if (name.length > MAX_SCHEDULE_NAME_LENGTH)
    throw new InvalidScheduleNameError(
      `the schedule "${schedule}" of ${lambda} would be named ${name} (${name.length} characters), ` +
        `over Scheduler's ${MAX_SCHEDULE_NAME_LENGTH}: shorten the schedule's name or the Lambda's`,
    );
  return name;
}

/** Scheduler's limit on a schedule name. */
export const MAX_SCHEDULE_NAME_LENGTH = 64;

/** Every trigger kind by its `type`; add a kind here (and its schema above). */
export const TRIGGER_SCHEMAS = [
  HttpTriggerSchema,
  AuthorizerTriggerSchema,
  EventTriggerSchema,
  ScheduleTriggerSchema,
  GraphqlTriggerSchema,
] as const;

/** One trigger of a manifest, discriminated on `type`. */
export const TriggerSchema = z.discriminatedUnion('type', TRIGGER_SCHEMAS, {
  error: (issue) =>
    issue.code === 'invalid_union'
      ? `"type" must be one of ${TRIGGER_SCHEMAS.map((s) => `"${s.shape.type.value}"`).join(', ')}`
      : undefined,
});

/** A validated trigger. */
export type Trigger = z.output<typeof TriggerSchema>;
/** A validated `http` trigger. */
export type HttpTrigger = z.output<typeof HttpTriggerSchema>;
/** A validated `authorizer` trigger. */
export type AuthorizerTrigger = z.output<typeof AuthorizerTriggerSchema>;
/** A validated `event` trigger. */
export type EventTrigger = z.output<typeof EventTriggerSchema>;
/** A validated `schedule` trigger. */
export type ScheduleTrigger = z.output<typeof ScheduleTriggerSchema>;
