import { PermissionIntentError } from './errors';

/** One IAM policy statement, in the shape the `lambda-function` module's `policy_statements` takes. */
export interface IamStatement {
  sid: string;
  actions: string[];
  resources: string[];
  conditions?: { test: string; variable: string; values: string[] }[];
}

/**
 * The concrete resources an environment offers to permission intents: logical names
 * (as written in manifests) mapped to real names, plus where ARNs live.
 */
export interface ResourceCatalog {
  /** Environment name, used in messages. */
  environment: string;
  partition: string;
  region: string;
  accountId: string;
  /** Logical bucket name → S3 bucket name. */
  buckets: Readonly<Record<string, string>>;
  /** Logical bus name → EventBridge bus name. */
  buses: Readonly<Record<string, string>>;
  /** Logical table name → DynamoDB table name (`read table:<name>`, `write table:<name>`). */
  tables?: Readonly<Record<string, string>>;
  /** Logical email template name → SES template name (`send email:<name>`). */
  emailTemplates?: Readonly<Record<string, string>>;
  /**
   * The environment's sender, from its `email` settings: the From address every email carries
   * and the verified SES identity (that address, or its domain) it is sent as. Absent: the
   * environment sends no email, and `send email:` fails naming the settings to add.
   */
  email?: EmailSender;
  /** SSM parameter root for this environment, e.g. `/slipway/dev`. Intents are relative to it. */
  parameterRoot: string;
  /**
   * Secrets Manager name prefix of this environment, `<namePrefix>/<env>` (no leading `/`), e.g.
   * `slipway/dev`: `read secret:<name>` reads the secret named `<secretPrefix>/<name>`, the only
   * names the bootstrap's workload boundary lets the environment's Lambdas read.
   */
  secretPrefix: string;
}

/** An environment's email sender (see {@link ResourceCatalog.email}). */
export interface EmailSender {
  /** The From address, e.g. `no-reply@dev.slipway.example`. */
  fromAddress: string;
  /** The verified SES identity: the address itself or its domain, e.g. `dev.slipway.example`. */
  identity: string;
}

interface VerbRule {
  actions: string[];
  /** Builds the resource ARN(s) for the target, or throws with a fix. */
  resources: (target: string, catalog: ResourceCatalog, intent: string) => string[];
  conditions?: (catalog: ResourceCatalog) => IamStatement['conditions'];
  sid: string;
}

const OBJECT_PATH = /^[A-Za-z0-9!_.*'()\-/?=]+$/;

function bucketName(logical: string, catalog: ResourceCatalog, intent: string): string {
  const name = catalog.buckets[logical];
  if (!name) {
    const known = Object.keys(catalog.buckets);
    throw new PermissionIntentError(
      `"${intent}": no bucket "${logical}" is declared for environment ${catalog.environment} ` +
        `(declared: ${known.length ? known.join(', ') : 'none'}). Declare it in a domain under ` +
        'terraform/stacks/src/domains/ or fix the name.',
    );
  }
  return name;
}

function objectPath(target: string, intent: string): string {
  if (!OBJECT_PATH.test(target)) {
    throw new PermissionIntentError(
      `"${intent}": "${target}" is not a key prefix pattern. Write a prefix such as "uploads/*" ` +
        '(letters, digits, / - _ . and * ? wildcards).',
    );
  }
  return target;
}

const objectArn = (target: string, catalog: ResourceCatalog, intent: string, logical: string) => [
  `arn:${catalog.partition}:s3:::${bucketName(logical, catalog, intent)}/${objectPath(target, intent)}`,
];

/** What each verb means for each kind of resource. Buckets are addressed by their logical name. */
const BUCKET_VERBS: Record<string, Omit<VerbRule, 'resources'> & { list?: boolean }> = {
  read: { actions: ['s3:GetObject', 's3:GetObjectVersion'], sid: 'S3Read' },
  write: { actions: ['s3:PutObject'], sid: 'S3Write' },
  delete: { actions: ['s3:DeleteObject', 's3:DeleteObjectVersion'], sid: 'S3Delete' },
  list: { actions: ['s3:ListBucket'], sid: 'S3List', list: true },
};

function tableArns(target: string, catalog: ResourceCatalog, intent: string): string[] {
  const name = catalog.tables?.[target];
  if (!name) {
    const known = Object.keys(catalog.tables ?? {});
    throw new PermissionIntentError(
      `"${intent}": no table "${target}" is declared for environment ${catalog.environment} ` +
        `(declared: ${known.length ? known.join(', ') : 'none'}). Declare it in a domain's tables ` +
        'under terraform/stacks/src/domains/ or fix the name.',
    );
  }
  const arn = `arn:${catalog.partition}:dynamodb:${catalog.region}:${catalog.accountId}:table/${name}`;
  // Query and GetItem on a global secondary index authorize against the index's own ARN.
  // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html
  return [arn, `${arn}/index/*`];
}

const KIND_VERBS: Record<string, Record<string, VerbRule>> = {
  table: {
    // Item-level actions only: no Scan (a full read is a design change, not an intent), no
    // table management (that is Terraform's).
    read: {
      actions: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query'],
      sid: 'DynamoDbRead',
      resources: tableArns,
    },
    write: {
      actions: [
        'dynamodb:BatchWriteItem',
        'dynamodb:ConditionCheckItem',
        'dynamodb:DeleteItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
      ],
      sid: 'DynamoDbWrite',
      // Writes address the table itself; indexes are read-only.
      resources: (target, catalog, intent) => tableArns(target, catalog, intent).slice(0, 1),
    },
  },
  bus: {
    publish: {
      actions: ['events:PutEvents'],
      sid: 'EventsPublish',
      resources: (target, catalog, intent) => {
        const name = catalog.buses[target];
        if (!name) {
          const known = Object.keys(catalog.buses);
          throw new PermissionIntentError(
            `"${intent}": no event bus "${target}" is declared for environment ${catalog.environment} ` +
              `(declared: ${known.length ? known.join(', ') : 'none'}).`,
          );
        }
        return [
          `arn:${catalog.partition}:events:${catalog.region}:${catalog.accountId}:event-bus/${name}`,
        ];
      },
    },
  },
  email: {
    // SES v2 SendEmail with a stored template authorizes on the sending identity and on the
    // template; ses:FromAddress pins the From header to the environment's sender, so the
    // function cannot send as anyone else of the identity's domain.
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsimpleemailservicev2.html
    // https://docs.aws.amazon.com/ses/latest/dg/control-user-access.html
    send: {
      actions: ['ses:SendEmail'],
      sid: 'SesSendEmail',
      resources: (target, catalog, intent) => {
        const template = catalog.emailTemplates?.[target];
        if (!template) {
          const known = Object.keys(catalog.emailTemplates ?? {});
          throw new PermissionIntentError(
            `"${intent}": no email template "${target}" is declared (declared: ${known.length ? known.join(', ') : 'none'}). ` +
              'Declare it in EMAIL_TEMPLATES (libs/manifest/src/emails.ts) or fix the name.',
          );
        }
        if (!catalog.email)
          throw new PermissionIntentError(
            `"${intent}": environment ${catalog.environment} has no email settings: add ` +
              `"email": { "fromAddress": "...", "identity": "..." } to environments.${catalog.environment} ` +
              'in terraform/stacks/environments.json (the sender address and its verified SES identity).',
          );
        const ses = `arn:${catalog.partition}:ses:${catalog.region}:${catalog.accountId}`;
        return [`${ses}:identity/${catalog.email.identity}`, `${ses}:template/${template}`];
      },
      conditions: (catalog) => [
        { test: 'StringEquals', variable: 'ses:FromAddress', values: [catalog.email!.fromAddress] },
      ],
    },
  },
  param: {
    read: {
      actions: ['ssm:GetParameter', 'ssm:GetParameters'],
      sid: 'SsmRead',
      resources: (target, catalog, intent) => {
        if (!/^[A-Za-z0-9_.\-/*]+$/.test(target) || target.startsWith('/')) {
          throw new PermissionIntentError(
            `"${intent}": parameter paths are relative to ${catalog.parameterRoot}/, e.g. "param:media/api-key".`,
          );
        }
        return [
          `arn:${catalog.partition}:ssm:${catalog.region}:${catalog.accountId}:parameter${catalog.parameterRoot}/${target}`,
        ];
      },
    },
  },
  secret: {
    read: {
      actions: ['secretsmanager:GetSecretValue'],
      sid: 'SecretsRead',
      resources: (target, catalog, intent) => {
        // Lowercase words only: the name becomes the <NAME>_SECRET_NAME variable (lambdaEnvironment).
        if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(target)) {
          throw new PermissionIntentError(
            `"${intent}": "${target}" is not a secret name. Write lowercase words joined by dashes, ` +
              `e.g. "read secret:stripe-webhook" (the secret ${catalog.secretPrefix}/stripe-webhook).`,
          );
        }
        // Secrets Manager appends "-" and six random characters to every secret's ARN; "??????"
        // matches exactly those, so "stripe-webhook" never also matches "stripe-webhook-old".
        // https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_iam-policies.html
        return [
          `arn:${catalog.partition}:secretsmanager:${catalog.region}:${catalog.accountId}:secret:${catalog.secretPrefix}/${target}-??????`,
        ];
      },
    },
  },
};

/** The kinds of resource an intent can name besides buckets (`bus`, `secret`, …). */
export const NON_BUCKET_KINDS: readonly string[] = Object.keys(KIND_VERBS);

/** Every intent form this compiler understands, for messages and docs. */
export const SUPPORTED_INTENTS = [
  ...Object.keys(BUCKET_VERBS).map((verb) => `${verb} <bucket>:<key-prefix>`),
  ...Object.entries(KIND_VERBS).flatMap(([kind, verbs]) =>
    Object.keys(verbs).map((verb) => `${verb} ${kind}:<name>`),
  ),
];

/**
 * Compiles permission intents to least-privilege IAM statements scoped to concrete ARNs.
 * Statements with the same actions are merged; output order is stable.
 *
 * @example
 * compilePermissions(['read media:uploads/*', 'publish bus:platform'], catalog);
 * // [{ sid: 'S3Read', actions: ['s3:GetObject', 's3:GetObjectVersion'],
 * //    resources: ['arn:aws:s3:::slipway-dev-media-123456789012/uploads/*'] }, ...]
 * @throws {PermissionIntentError} for an unknown verb, kind or resource.
 */
export function compilePermissions(
  intents: readonly string[],
  catalog: ResourceCatalog,
): IamStatement[] {
  const bySid = new Map<string, IamStatement>();
  for (const intent of intents) {
    const match = /^([a-z]+) ([a-z][a-z0-9-]*):(\S*)$/.exec(intent);
    if (!match) {
      throw new PermissionIntentError(
        `"${intent}" is not a permission intent. Write "<verb> <resource>"; supported: ${SUPPORTED_INTENTS.join(', ')}.`,
      );
    }
    const [, verb, kind, target] = match;
    const statements = KIND_VERBS[kind]
      ? compileKind(verb, kind, target, catalog, intent)
      : compileBucket(verb, kind, target, catalog, intent);
    for (const statement of statements) {
      const existing = bySid.get(statement.sid);
      if (existing) {
        existing.resources = [...new Set([...existing.resources, ...statement.resources])];
        if (statement.conditions && existing.conditions) {
          existing.conditions[0].values = [
            ...new Set([...existing.conditions[0].values, ...statement.conditions[0].values]),
          ];
        }
      } else {
        bySid.set(statement.sid, statement);
      }
    }
  }
  return [...bySid.values()]
    .map((s) => ({ ...s, resources: [...s.resources].sort() }))
    .sort((a, b) => a.sid.localeCompare(b.sid));
}

function compileKind(
  verb: string,
  kind: string,
  target: string,
  catalog: ResourceCatalog,
  intent: string,
): IamStatement[] {
  const rule = KIND_VERBS[kind][verb];
  if (!rule) {
    throw new PermissionIntentError(
      `"${intent}": "${verb}" is not a verb for ${kind}: use ${Object.keys(KIND_VERBS[kind])
        .map((v) => `"${v} ${kind}:<name>"`)
        .join(' or ')}.`,
    );
  }
  if (!target) {
    throw new PermissionIntentError(
      `"${intent}": name the ${kind} after the colon, e.g. "${verb} ${kind}:platform".`,
    );
  }
  const resources = rule.resources(target, catalog, intent);
  return [
    {
      sid: rule.sid,
      actions: [...rule.actions],
      resources,
      ...(rule.conditions ? { conditions: rule.conditions(catalog) } : {}),
    },
  ];
}

function compileBucket(
  verb: string,
  logical: string,
  target: string,
  catalog: ResourceCatalog,
  intent: string,
): IamStatement[] {
  const rule = BUCKET_VERBS[verb];
  if (!rule) {
    throw new PermissionIntentError(
      `"${intent}": unknown verb "${verb}". Supported intents: ${SUPPORTED_INTENTS.join(', ')}.`,
    );
  }
  if (!target) {
    throw new PermissionIntentError(
      `"${intent}": give a key prefix after the colon, e.g. "${verb} ${logical}:uploads/*".`,
    );
  }
  if (rule.list) {
    const name = bucketName(logical, catalog, intent);
    // One statement per bucket: the prefix condition must not leak onto another bucket.
    return [
      {
        sid: `${rule.sid}${pascal(logical)}`,
        actions: [...rule.actions],
        resources: [`arn:${catalog.partition}:s3:::${name}`],
        conditions: [
          { test: 'StringLike', variable: 's3:prefix', values: [objectPath(target, intent)] },
        ],
      },
    ];
  }
  return [
    {
      sid: rule.sid,
      actions: [...rule.actions],
      resources: objectArn(target, catalog, intent, logical),
    },
  ];
}

function pascal(name: string): string {
  return name.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
}
