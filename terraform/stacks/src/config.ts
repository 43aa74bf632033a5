import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { StacksConfigError } from './errors';

/** Retention periods (days) CloudWatch Logs accepts for a log group. */
export const CLOUDWATCH_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
] as const;

/** An `https://` URL without credentials, query or fragment (issuers and JWKS are public). */
const httpsUrl = (what: string) =>
  z
    .string()
    .regex(
      /^https:\/\/[A-Za-z0-9.-]+(:\d+)?(\/[A-Za-z0-9._~%/-]*)?$/,
      `must be the ${what} as an https:// URL without query, fragment or credentials`,
    );

/**
 * A Cognito user pool as the API's identity provider. The authorizer accepts its ID tokens by
 * `aud` and its access tokens by `client_id` (libs/edge, `CognitoProvider`).
 */
const CognitoAuthSchema = z.strictObject({
  provider: z.literal('cognito'),
  /** `<region>_<id>`: the pool's region is the part before `_`. */
  userPoolId: z
    .string()
    .regex(
      /^[a-z]{2}(-gov)?-[a-z]+-\d_[A-Za-z0-9]+$/,
      'must be a Cognito user pool id such as eu-west-1_AbCdEf123',
    ),
  clientIds: z
    .array(z.string().regex(/^[\w+]{1,128}$/, 'must be a Cognito app client id'))
    .min(1, 'must list at least one app client id whose tokens the API accepts'),
  /** Overrides `<issuer>/.well-known/jwks.json`. */
  jwksUrl: httpsUrl('JWKS URL').optional(),
});

/**
 * A Supabase project's Auth as the API's identity provider: HS256 with the project's JWT secret
 * (`jwtSecretName`, a Secrets Manager secret the authorizer reads at cold start), or without it
 * RS256/ES256 from the project's JWKS (libs/edge, `SupabaseProvider`).
 */
const SupabaseAuthSchema = z.strictObject({
  provider: z.literal('supabase'),
  projectUrl: httpsUrl('project URL (https://<ref>.supabase.co)'),
  /** Accepted `aud` values; Supabase signs user tokens for `authenticated`. */
  audience: z.array(z.string().min(1)).min(1).optional(),
  /** Dotted path of the roles claim, e.g. `app_metadata.roles`. */
  rolesClaim: z
    .string()
    .regex(
      /^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)*$/,
      'must be a dotted claim path such as app_metadata.roles',
    ),
  /**
   * NAME of the Secrets Manager secret holding the project's JWT secret (never the secret):
   * `<namePrefix>/<env>/...`, the only secrets the workload boundary lets a Lambda read.
   */
  jwtSecretName: z
    .string()
    .regex(/^[A-Za-z0-9/_+=.@-]{1,512}$/, 'must be a Secrets Manager secret name')
    .optional(),
  /** Overrides `<projectUrl>/auth/v1/.well-known/jwks.json` (asymmetric keys only). */
  jwksUrl: httpsUrl('JWKS URL').optional(),
});

/** The environment's identity provider, whose tokens the API's authorizer verifies. */
const AuthSchema = z.discriminatedUnion('provider', [CognitoAuthSchema, SupabaseAuthSchema], {
  error: 'must have "provider": "cognito" or "supabase"',
});

/**
 * The environment's email sender: the From address of every email its Lambdas send, and the
 * verified SES identity it is sent as (the address itself, or its domain or a parent domain:
 * verifying a domain covers its addresses). `send email:<template>` grants `ses:SendEmail` on
 * that identity with `ses:FromAddress` pinned to the address. Verify the identity in SES (and
 * leave the SES sandbox) before the first real send.
 */
const EmailSchema = z
  .strictObject({
    fromAddress: z
      .string()
      .regex(
        /^[A-Za-z0-9._%+-]+@[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/,
        'must be the sender email address, e.g. no-reply@dev.example.com (lowercase domain)',
      ),
    /** Default: the address's domain. */
    identity: z
      .string()
      .regex(
        /^([A-Za-z0-9._%+-]+@)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/,
        'must be the verified SES identity: the address or its domain, e.g. dev.example.com',
      )
      .optional(),
  })
  .transform((email, ctx) => {
    const domain = email.fromAddress.split('@')[1];
    const identity = email.identity ?? domain;
    if (identity !== email.fromAddress && identity !== domain && !domain.endsWith(`.${identity}`))
      ctx.addIssue({
        code: 'custom',
        path: ['identity'],
        message: `must be the address ${email.fromAddress} or its domain ${domain} (or a parent domain of it): SES sends ${email.fromAddress} as that identity only`,
      });
    return { fromAddress: email.fromAddress, identity };
  });

/**
 * One endpoint the environment's alarms reach (the `alarm-topic` module's `subscriptions`):
 * an email address (its owner confirms the subscription), an `https://` webhook (a paging
 * service), or an SQS queue or Lambda function ARN (whose own policy must admit the topic).
 */
const AlarmSubscriptionSchema = z.discriminatedUnion(
  'protocol',
  [
    z.strictObject({
      protocol: z.literal('email'),
      endpoint: z
        .string()
        .regex(
          /^[A-Za-z0-9._%+-]+@[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/,
          'must be an email address such as oncall@dev.example.com (lowercase domain)',
        ),
    }),
    z.strictObject({ protocol: z.literal('https'), endpoint: httpsUrl('webhook') }),
    z.strictObject({
      protocol: z.literal('sqs'),
      endpoint: z
        .string()
        .regex(
          /^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,80}$/,
          'must be a standard SQS queue ARN (arn:aws:sqs:<region>:<account>:<queue>)',
        ),
    }),
    z.strictObject({
      protocol: z.literal('lambda'),
      endpoint: z
        .string()
        .regex(
          /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}$/,
          'must be a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>)',
        ),
    }),
  ],
  { error: 'must be "email", "https", "sqs" or "lambda" (sms and http are not accepted)' },
);

/** Who the environment's alarms reach: the subscriptions of its alarm topic. */
const AlarmsSchema = z.strictObject(
  {
    subscriptions: z
      .array(AlarmSubscriptionSchema)
      .min(1, 'must list at least one subscription: an alarm that reaches nobody is not an alarm')
      .refine(
        (subs) => new Set(subs.map((s) => `${s.protocol}:${s.endpoint}`)).size === subs.length,
        'must not list the same protocol and endpoint twice',
      ),
  },
  {
    error:
      'must be { "subscriptions": [{ "protocol": "email", "endpoint": "oncall@..." }] }: who the environment\'s alarms page',
  },
);

const EnvironmentSchema = z.strictObject({
  accountId: z.string().regex(/^\d{12}$/, 'must be the 12-digit AWS account id'),
  region: z
    .string()
    .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'must be an AWS region such as eu-west-1'),
  partition: z.enum(['aws', 'aws-cn', 'aws-us-gov']).default('aws'),
  /** Governance profile the environment is checked against. */
  profile: z.enum(['baseline', 'strict']),
  /**
   * Floor for every log group's retention in this environment: a manifest asking for less gets
   * this. The strict profile (prod) requires 365 days.
   */
  minLogRetentionDays: z
    .number()
    .refine((d) => (CLOUDWATCH_RETENTION_DAYS as readonly number[]).includes(d), {
      message: `must be a retention CloudWatch Logs accepts: ${CLOUDWATCH_RETENTION_DAYS.join(', ')} (days)`,
    })
    .optional(),
  /**
   * Send S3 server access logs of the environment's buckets to the account's access-log bucket
   * (`<namePrefix>-accesslogs-<accountId>`, created by terraform/bootstrap). The strict profile
   * requires it.
   */
  s3AccessLogs: z.boolean().default(false),
  /**
   * KMS key (ARN, not alias: CloudWatch Logs takes no alias) that encrypts the REST API's access
   * and execution logs. Without it they use CloudWatch Logs' service-managed encryption.
   */
  logKmsKeyArn: z
    .string()
    .regex(
      /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/,
      'must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>); CloudWatch Logs accepts no alias',
    )
    .optional(),
  /** Identity provider of the API's JWT authorizer; required once a manifest declares a JWT route. */
  auth: AuthSchema.optional(),
  /** Email sender; required once a manifest sends email (`send email:<template>`). */
  email: EmailSchema.optional(),
  /** Who every alarm of the environment reaches (its alarm topic's subscriptions). */
  alarms: AlarmsSchema,
});

/** `terraform/stacks/environments.json`: where each environment lives and who owns it. */
export const StacksConfigSchema = z
  .strictObject({
    $comment: z.string().optional(),
    project: z.string().regex(/^[a-z][a-z0-9-]{1,30}$/),
    namePrefix: z
      .string()
      .regex(/^[a-z][a-z0-9-]{1,14}$/, 'must be 2-15 lowercase letters, digits or dashes'),
    owner: z.string().min(1),
    costCenter: z.string().min(1),
    environments: z.record(
      z
        .string()
        .regex(/^[a-z][a-z0-9]{1,9}$/, 'environment names are 2-10 lowercase letters/digits'),
      EnvironmentSchema,
    ),
  })
  .superRefine((config, ctx) => {
    for (const [name, env] of Object.entries(config.environments)) {
      // The workload boundary (terraform/bootstrap) admits secrets under <prefix>/<env>/ only.
      const secret = env.auth?.provider === 'supabase' ? env.auth.jwtSecretName : undefined;
      const root = `${config.namePrefix}/${name}/`;
      if (secret !== undefined && !secret.startsWith(root))
        ctx.addIssue({
          code: 'custom',
          path: ['environments', name, 'auth', 'jwtSecretName'],
          message: `must start with "${root}": the workload boundary lets ${name} Lambdas read only those secrets (e.g. "${root}supabase-jwt-secret")`,
        });
      if (env.auth?.provider === 'supabase' && secret !== undefined && env.auth.jwksUrl)
        ctx.addIssue({
          code: 'custom',
          path: ['environments', name, 'auth', 'jwksUrl'],
          message:
            'is for asymmetric keys, and jwtSecretName makes the authorizer accept HS256 only: remove one of the two',
        });
    }
  });

/** Validated stacks configuration. */
export type StacksConfig = z.output<typeof StacksConfigSchema>;
/** One environment of {@link StacksConfig}. */
export type EnvironmentConfig = z.output<typeof EnvironmentSchema> & { name: string };
/** An environment's email sender (`email` of {@link EnvironmentConfig}), identity defaulted. */
export type EmailConfig = z.output<typeof EmailSchema>;
/** An environment's alarm subscriptions (`alarms` of {@link EnvironmentConfig}). */
export type AlarmsConfig = z.output<typeof AlarmsSchema>;
/** An environment's identity provider (`auth` of {@link EnvironmentConfig}). */
export type AuthConfig = z.output<typeof AuthSchema>;

/** Reads and validates the environments file; errors name the file and the field. */
export function loadStacksConfig(file: string): StacksConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new StacksConfigError(`${file}: cannot be read as JSON (${(error as Error).message})`, {
      cause: error,
    });
  }
  const result = StacksConfigSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map(
      (i) => `  - ${i.path.join('.') || '(root)'}: ${i.message}`,
    );
    throw new StacksConfigError(`${file}: invalid stacks configuration\n${lines.join('\n')}`, {
      cause: result.error,
    });
  }
  return result.data;
}
