/** Base class of every error raised by the delivery tools. */
export class DeliveryError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DeliveryError';
  }
}

/** Command-line flags are missing or malformed. The CLI prints the usage and exits with code 2. */
export class UsageError extends DeliveryError {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** `--environments` (or `--environment`) names an environment that terraform/stacks/environments.json does not declare. */
export class UnknownEnvironmentError extends DeliveryError {
  readonly environment: string;

  constructor(environment: string, known: readonly string[], flag = '--environments') {
    super(
      `unknown environment "${environment}" in ${flag}; terraform/stacks/environments.json declares ${known.join(', ')}. Fix the flag or add the environment there.`,
    );
    this.name = 'UnknownEnvironmentError';
    this.environment = environment;
  }
}

/** A git revision given on the command line does not exist in the repository. */
export class UnknownRevisionError extends DeliveryError {
  readonly revision: string;

  constructor(flag: string, revision: string, options?: { cause?: unknown }) {
    super(
      `${flag} ${revision} is not a commit of this repository. Check the sha, or fetch full history first (actions/checkout with fetch-depth: 0, or git fetch --unshallow).`,
      options,
    );
    this.name = 'UnknownRevisionError';
    this.revision = revision;
  }
}

/** git or Nx failed while gathering the inputs; the message carries the command and its output. */
export class CommandFailedError extends DeliveryError {
  constructor(command: string, output: string, options?: { cause?: unknown }) {
    super(`${command} failed:\n${output.trim()}`, options);
    this.name = 'CommandFailedError';
  }
}

/** A file given as a Terraform plan cannot be read, or is not `terraform show -json` output. */
export class PlanFileError extends DeliveryError {
  readonly file: string;

  constructor(file: string, problem: string, options?: { cause?: unknown }) {
    super(`${file}: ${problem}`, options);
    this.name = 'PlanFileError';
    this.file = file;
  }
}

/**
 * A saved plan no longer matches what it would be applied to: another commit, another plan
 * file, or a state that moved since the plan was made. The message lists every difference.
 */
export class StalePlanError extends DeliveryError {
  readonly problems: readonly string[];

  constructor(stack: string, problems: readonly string[]) {
    super(
      `refusing to apply the saved plan of ${stack}:\n${problems.map((p) => `  - ${p}`).join('\n')}\nRe-run the plan (re-run the workflow from its plan job) and review the new plan before applying it.`,
    );
    this.name = 'StalePlanError';
    this.problems = problems;
  }
}

/**
 * The commit a deploy would apply is not main's newest code: not main's head (without a record
 * of the last applied commit), not on main, or older than what the environment last applied.
 * The message lists every reason.
 */
export class DeployRefusedError extends DeliveryError {
  readonly problems: readonly string[];

  constructor(environment: string, commit: string, problems: readonly string[]) {
    super(
      `refusing to apply ${commit} to ${environment}:\n${problems.map((p) => `  - ${p}`).join('\n')}\nDeploy main's head instead: Actions → Deploy → Run workflow on main, not a re-run of an old run or a run from another branch.`,
    );
    this.name = 'DeployRefusedError';
    this.problems = problems;
  }
}

/** A Lambda has a manifest but no complete package in dist/apps: it was not built. */
export class MissingPackageError extends DeliveryError {
  readonly lambda: string;

  constructor(lambda: string, file: string) {
    super(
      `${file} is missing: package the Lambda first (npx nx run ${lambda}:package, or npx nx run-many -t package for all of them).`,
    );
    this.name = 'MissingPackageError';
    this.lambda = lambda;
  }
}

/**
 * A package's `.sha256` file does not describe its zip: the zip changed after packaging, or the
 * file was edited. Publishing it would deploy bytes that the stacks' `source_code_hash` does not name.
 */
export class PackageIntegrityError extends DeliveryError {
  readonly lambda: string;

  constructor(lambda: string, problem: string, options?: { cause?: unknown }) {
    super(
      `${problem} Repackage the Lambda (npx nx run ${lambda}:package --skip-nx-cache) and publish again.`,
      options,
    );
    this.name = 'PackageIntegrityError';
    this.lambda = lambda;
  }
}

/** The artifact bucket does not exist, or the caller may not read or write its environment prefix. */
export class ArtifactBucketError extends DeliveryError {
  readonly bucket: string;

  constructor(bucket: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ArtifactBucketError';
    this.bucket = bucket;
  }
}

/**
 * An object already sits at a content-addressed key but is not the zip whose hash names the key.
 * Nothing writes such an object by mistake: someone replaced it. It is never overwritten.
 */
export class ArtifactConflictError extends DeliveryError {
  constructor(message: string) {
    super(message);
    this.name = 'ArtifactConflictError';
  }
}

/** The AWS SDK found no credentials: the command runs outside the deploy role. */
export class NoCredentialsError extends DeliveryError {
  constructor(environment: string, options?: { cause?: unknown }) {
    super(
      `no AWS credentials: run it with the ${environment} deploy role (in GitHub Actions, aws-actions/configure-aws-credentials with role-to-assume; locally, AWS_PROFILE), or --endpoint for a local S3.`,
      options,
    );
    this.name = 'NoCredentialsError';
  }
}

/**
 * A sealed plan cannot be written or opened: its file is not a sealed plan, its header or
 * ciphertext was changed, it names a file outside the output folder, or KMS refused the data key.
 * The message names the file and what to do.
 */
export class SealedPlanError extends DeliveryError {
  readonly file: string;

  constructor(file: string, problem: string, options?: { cause?: unknown }) {
    super(`${file}: ${problem}`, options);
    this.name = 'SealedPlanError';
    this.file = file;
  }
}

/**
 * A sealed plan's SHA-256 is not the one the record job of the same run wrote down when the
 * plan was made: the artifact was replaced after the plan job ended. It is never opened.
 */
export class PlanChecksumError extends DeliveryError {
  readonly file: string;

  constructor(file: string, actual: string, expected: string) {
    super(
      `${file} has SHA-256 ${actual}, not ${expected}, the one the record job of this run wrote down when the plan was made: the sealed plan was replaced after it was recorded, so it is not opened. Find out who uploaded it (the run's artifacts), then re-run the deploy from its plan job.`,
    );
    this.name = 'PlanChecksumError';
    this.file = file;
  }
}

/**
 * A Lambda the plan touched runs code other than the planned zip after the apply: something
 * other than this deploy changed its code, or the apply did not finish. Lists every function.
 */
export class DeployedCodeError extends DeliveryError {
  readonly problems: readonly string[];

  constructor(stack: string, problems: readonly string[], options?: { cause?: unknown }) {
    super(
      `the Lambdas of ${stack} do not run the planned code:\n${problems.map((p) => `  - ${p}`).join('\n')}\nFind out who changed the code (CloudTrail: UpdateFunctionCode on that function), then re-run the deploy so the function gets its planned zip again.`,
      options,
    );
    this.name = 'DeployedCodeError';
    this.problems = problems;
  }
}
