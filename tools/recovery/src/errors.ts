/** Base class of every error raised by the recovery tools. The CLI prints its message and exits 1. */
export class RecoveryError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RecoveryError';
  }
}

/** Command-line flags (or the options of `redrive`/`rerun`) are missing or malformed. The CLI prints the usage and exits 2. */
export class UsageError extends RecoveryError {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The dead-letter queue named by `--queue` does not exist where the backend looked. */
export class QueueNotFoundError extends RecoveryError {
  readonly queue: string;

  constructor(queue: string, where: string, options?: { cause?: unknown }) {
    super(
      `no queue ${queue} in ${where}. A function's dead-letter queue is <function name>-dlq (e.g. slipway-dev-jobs-welcome-email-dlq): check the name and --region.`,
      options,
    );
    this.name = 'QueueNotFoundError';
    this.queue = queue;
  }
}

/** The execution named by `--execution` does not exist where the backend looked. */
export class ExecutionNotFoundError extends RecoveryError {
  readonly executionArn: string;

  constructor(executionArn: string, where: string, options?: { cause?: unknown }) {
    super(
      `no execution ${executionArn} in ${where}: copy the ARN from the Step Functions console or the alarm, and check --region.`,
      options,
    );
    this.name = 'ExecutionNotFoundError';
    this.executionArn = executionArn;
  }
}

/** The execution is running or succeeded: re-running it would do its work twice. */
export class ExecutionNotRerunnableError extends RecoveryError {
  readonly executionArn: string;
  readonly status: string;

  constructor(executionArn: string, status: string) {
    super(
      `${executionArn} is ${status}: only a FAILED, TIMED_OUT or ABORTED execution is re-run. Pass --force to start a new execution with its input anyway.`,
    );
    this.name = 'ExecutionNotRerunnableError';
    this.executionArn = executionArn;
    this.status = status;
  }
}

/** Step Functions did not return the execution's input (`inputDetails.included` is false). */
export class ExecutionInputUnavailableError extends RecoveryError {
  constructor(executionArn: string) {
    super(
      `Step Functions did not return the input of ${executionArn} (inputDetails.included is false): re-run it by hand from the input you keep elsewhere.`,
    );
    this.name = 'ExecutionInputUnavailableError';
  }
}

/** StartExecution refused the new execution (e.g. its name is taken, the state machine is gone). */
export class StartExecutionError extends RecoveryError {
  constructor(
    stateMachineArn: string,
    name: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`StartExecution of ${name} on ${stateMachineArn} failed: ${reason}`, options);
    this.name = 'StartExecutionError';
  }
}

/** A redrive finished but kept some messages (each row says why). The CLI exits 1 after the table. */
export class MessagesKeptError extends RecoveryError {
  readonly kept: number;

  constructor(kept: number, total: number, queue: string) {
    super(
      `${kept} of ${total} messages kept in ${queue}: fix what each row names, then run the redrive again.`,
    );
    this.name = 'MessagesKeptError';
    this.kept = kept;
  }
}

/** `slipway stack` found no source map where it looked; the message lists the places and the fix. */
export class SourceMapNotFoundError extends RecoveryError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SourceMapNotFoundError';
  }
}

/** The file or object given as a source map is not one (not JSON, or no version 3 mappings). */
export class InvalidSourceMapError extends RecoveryError {
  constructor(from: string, why: string) {
    super(
      `${from} is not a source map: ${why}. Give the <lambda>.js.map that package writes beside the zip.`,
    );
    this.name = 'InvalidSourceMapError';
  }
}

/** A frame of the trace is outside the map: the map is not from the build that printed it. */
export class SourceMapMismatchError extends RecoveryError {
  readonly frame: string;

  constructor(lambda: string, frame: string, from: string) {
    super(
      `${frame} is outside the source map ${from} (no mapping there): the map is not from the build that printed this trace. ` +
        `Use the deployed code's map (--environment <env>, found by the function's CodeSha256) or the map of that build ` +
        `(--map, or package the deployed commit: npx nx run ${lambda}:package).`,
    );
    this.name = 'SourceMapMismatchError';
    this.frame = frame;
  }
}

/** The input of `slipway stack` holds no `handler.js:<line>:<column>` frame to decode. */
export class NoStackFramesError extends RecoveryError {
  constructor(lambda: string) {
    super(
      `no handler.js:<line>:<column> frame in the input: pipe the stack trace, the CloudWatch log line or the Powertools JSON log of ${lambda} into the command (e.g. pbpaste | npm run slipway -- stack --function ${lambda}).`,
    );
    this.name = 'NoStackFramesError';
  }
}

/** The environment has no deployed function of that name, or it reports no code hash. */
export class FunctionNotDeployedError extends RecoveryError {
  constructor(functionName: string, where: string, why: string, options?: { cause?: unknown }) {
    super(
      `cannot find the code of ${functionName} in ${where}: ${why}. Check --function (the Lambda's name in apps/) and --environment, or pass --map.`,
      options,
    );
    this.name = 'FunctionNotDeployedError';
  }
}
