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

/** `--environments` names an environment that terraform/stacks/environments.json does not declare. */
export class UnknownEnvironmentError extends DeliveryError {
  readonly environment: string;

  constructor(environment: string, known: readonly string[]) {
    super(
      `unknown environment "${environment}" in --environments; terraform/stacks/environments.json declares ${known.join(', ')}. Fix the flag or add the environment there.`,
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
