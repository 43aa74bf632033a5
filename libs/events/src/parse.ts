import type * as z from 'zod';
import { EventParseError } from './errors';

/**
 * Parses `input` with `schema`, turning a zod failure into an {@link EventParseError} that
 * names the source (for example `"EventBridge S3 Object Created event"`) and each failing path.
 *
 * @example
 * const event = parseEvent(S3ObjectCreatedEventSchema, raw, 'S3 Object Created event');
 */
export function parseEvent<S extends z.ZodType>(
  schema: S,
  input: unknown,
  source: string,
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map(
    (issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`,
  );
  throw new EventParseError(source, issues, { cause: result.error });
}
