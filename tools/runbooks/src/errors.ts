/** Base class of every error tools/runbooks raises. */
export class RunbooksError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RunbooksError';
  }
}

/** A plan file is missing, unreadable, or not `terraform show -json` output. */
export class PlanReadError extends RunbooksError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PlanReadError';
  }
}

/** The plans hold something a runbook cannot be written from (a stack name, an alarm's metric). */
export class UnreadableAlarmError extends RunbooksError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UnreadableAlarmError';
  }
}

/** The command line is wrong: the message says what to pass instead. */
export class UsageError extends RunbooksError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UsageError';
  }
}

/** `--check` found runbooks that differ from what the plans give. */
export class StaleRunbooksError extends RunbooksError {
  constructor(
    message: string,
    readonly files: string[],
  ) {
    super(message);
    this.name = 'StaleRunbooksError';
  }
}
