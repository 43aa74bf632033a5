import { MissingEnvironmentError } from './errors';

/**
 * Reads a required environment variable. Every Slipway Lambda reads its configuration through
 * this helper so a missing value fails at cold start with a message saying where it comes from.
 *
 * @param hint where the value is set, e.g. `'is set by the lambda-function module from the manifest'`.
 * @example
 * const bucket = requireEnv('MEDIA_BUCKET', 'is set by the media stack');
 */
export function requireEnv(name: string, hint = 'must be set (see the function manifest)'): string {
  const value = process.env[name];
  if (value === undefined || value.trim() === '') {
    throw new MissingEnvironmentError(name, `is missing: it ${hint.replace(/^it /, '')}`);
  }
  return value;
}

/**
 * Reads an optional positive integer environment variable, or returns `fallback`.
 *
 * @param env - where to read it; `process.env` unless a caller (a CLI, a test) passes its own.
 */
export function positiveIntEnv(
  name: string,
  fallback: number,
  env: Readonly<Record<string, string | undefined>> = process.env,
): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new MissingEnvironmentError(
      name,
      `is "${raw}": use a positive whole number (e.g. ${fallback})`,
    );
  }
  return value;
}
