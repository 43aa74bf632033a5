/** Base class of every error raised by the governance engine. */
export class GovernanceError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GovernanceError';
  }
}

/**
 * An input (HCL folder, Terraform JSON, plan JSON, waiver or config file) could not be read or
 * does not have the expected shape. The message names the file (and line when known) and says
 * what to fix. The CLI exits with code 2.
 */
export class InvalidInputError extends GovernanceError {
  readonly file: string;
  readonly line?: number;

  constructor(
    file: string,
    line: number | undefined,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}${line ? `:${line}` : ''}: ${problem}`, options);
    this.name = 'InvalidInputError';
    this.file = file;
    this.line = line;
  }
}

/** A plan JSON whose `format_version` this engine does not understand. */
export class UnsupportedPlanFormatError extends InvalidInputError {
  constructor(file: string, formatVersion: unknown) {
    super(
      file,
      undefined,
      `unsupported plan format_version ${JSON.stringify(formatVersion)}; governance reads "terraform show -json" output with format_version 1.x. Regenerate the plan with Terraform >= 1.0 (terraform show -json <planfile> > plan.json).`,
    );
    this.name = 'UnsupportedPlanFormatError';
  }
}

/** One waiver entry (YAML or inline comment) is malformed. */
export class InvalidWaiverError extends InvalidInputError {
  constructor(file: string, line: number | undefined, problem: string) {
    super(file, line, `invalid waiver: ${problem}`);
    this.name = 'InvalidWaiverError';
  }
}

/** One or more waivers have passed their expiry date: the run fails until they are renewed or removed. */
export class ExpiredWaiverError extends GovernanceError {
  readonly waivers: { file: string; line?: number; ruleId: string; expires: string }[];

  constructor(waivers: { file: string; line?: number; ruleId: string; expires: string }[]) {
    super(
      waivers
        .map(
          (w) =>
            `${w.file}${w.line ? `:${w.line}` : ''}: waiver for ${w.ruleId} expired on ${w.expires}; fix the finding, or renew the waiver with a new expiry date and a current reason.`,
        )
        .join('\n'),
    );
    this.name = 'ExpiredWaiverError';
    this.waivers = waivers;
  }
}

/** The command line could not be understood. The message includes the usage. */
export class UsageError extends GovernanceError {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
