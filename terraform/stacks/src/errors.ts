/** Base class of every error raised while composing the stacks. */
export class StacksError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StacksError';
  }
}

/** `environments.json` is missing or malformed. */
export class StacksConfigError extends StacksError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StacksConfigError';
  }
}

/** A Lambda's package (zip + sha256) is missing: it was not built. */
export class MissingPackageError extends StacksError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MissingPackageError';
  }
}

/** A Lambda's `.sha256` file does not hold a base64 SHA-256: the package is broken. */
export class InvalidPackageError extends StacksError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidPackageError';
  }
}

/** A manifest names a domain, bucket or other resource the stacks do not know. */
export class UnknownReferenceError extends StacksError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UnknownReferenceError';
  }
}

/** The stacks' provider lock file (`terraform/stacks/.terraform.lock.hcl`) is missing. */
export class MissingLockFileError extends StacksError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MissingLockFileError';
  }
}
