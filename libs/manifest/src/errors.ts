/** Base class of every error raised by `@slipway/manifest`. */
export class ManifestError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ManifestError';
  }
}

/** One field of a manifest that failed validation. */
export interface ManifestProblem {
  /** Dotted path of the field, e.g. `memory` or `permissions.2`. */
  field: string;
  /** The value found there (undefined when missing). */
  value: unknown;
  /** What is allowed, and how to fix it. */
  message: string;
}

/**
 * A Lambda manifest is missing, is not JSON, or breaks the schema. The message names the file,
 * each failing field with the value found, and the allowed range or values.
 */
export class InvalidManifestError extends ManifestError {
  readonly file: string;
  readonly problems: ManifestProblem[];

  constructor(file: string, problems: ManifestProblem[], options?: { cause?: unknown }) {
    super(
      `${file}: invalid Lambda manifest\n` +
        problems.map((p) => `  - ${p.field}${describeValue(p.value)}: ${p.message}`).join('\n'),
      options,
    );
    this.name = 'InvalidManifestError';
    this.file = file;
    this.problems = problems;
  }
}

/** A field of one manifest that clashes with the routes of the others. */
export interface RouteProblem extends ManifestProblem {
  /** The manifest holding the field (`apps/<name>/lambda.manifest.json`). */
  file: string;
}

/**
 * The manifests are each valid but their HTTP routes clash across manifests (a duplicate route,
 * an unknown body schema, a JWT route with no authorizer, two authorizers). The message names
 * each manifest, its field, the value and the fix.
 */
export class InvalidRoutesError extends ManifestError {
  readonly problems: RouteProblem[];

  constructor(problems: RouteProblem[], options?: { cause?: unknown }) {
    super(
      'the HTTP routes of the Lambda manifests do not form one API\n' +
        problems
          .map((p) => `  - ${p.file}: ${p.field}${describeValue(p.value)}: ${p.message}`)
          .join('\n'),
      options,
    );
    this.name = 'InvalidRoutesError';
    this.problems = problems;
  }
}

/**
 * The manifests' `graphql` triggers do not fit the GraphQL APIs: an unknown API, a type or field
 * the SDL lacks (the message lists the fields it has), or one field resolved by two Lambdas.
 */
export class InvalidGraphqlTriggersError extends ManifestError {
  readonly problems: RouteProblem[];

  constructor(problems: RouteProblem[], options?: { cause?: unknown }) {
    super(
      'the graphql triggers of the Lambda manifests do not fit their GraphQL APIs\n' +
        problems
          .map((p) => `  - ${p.file}: ${p.field}${describeValue(p.value)}: ${p.message}`)
          .join('\n'),
      options,
    );
    this.name = 'InvalidGraphqlTriggersError';
    this.problems = problems;
  }
}

/**
 * The OpenAPI document or the REST API body cannot be built from the route table: a body
 * schema zod cannot express as JSON Schema, or a Lambda with no invoke ARN supplied.
 */
export class OpenApiError extends ManifestError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OpenApiError';
  }
}

/**
 * A permission intent could not be compiled: unknown verb, unknown resource kind, or a
 * resource that no domain declares for the environment.
 */
export class PermissionIntentError extends ManifestError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermissionIntentError';
  }
}

/** A schedule's name in AWS (`<prefix>-<env>-<lambda>-<schedule>`) would exceed Scheduler's limit. */
export class InvalidScheduleNameError extends ManifestError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidScheduleNameError';
  }
}

/** An email template file (see `EMAIL_TEMPLATES`) is missing or is not `{ subject, text, html }`. */
export class InvalidEmailTemplateError extends ManifestError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidEmailTemplateError';
  }
}

/** A value is not the base64 SHA-256 of a zip. */
export class InvalidSha256Error extends ManifestError {
  constructor(value: string) {
    super(
      `${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)} is not a base64 SHA-256 ` +
        '(44 characters ending in "="), which is what <name>.zip.sha256 holds: repackage the Lambda ' +
        '(npx nx run <name>:package).',
    );
    this.name = 'InvalidSha256Error';
  }
}

function describeValue(value: unknown): string {
  if (value === undefined) return ' (missing)';
  const text = JSON.stringify(value);
  return ` = ${text.length > 80 ? `${text.slice(0, 77)}...` : text}`;
}
