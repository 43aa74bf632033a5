import * as z from 'zod';

/**
 * The body of every 4xx/5xx answer the edge's Lambdas give. `message` says what was wrong and
 * what to do, without echoing secrets or tokens; `allowed` lists the accepted values when the
 * refusal is about one (the presign's content types and sizes).
 */
export const ErrorResponseSchema = z
  .object({
    code: z
      .string()
      .regex(/^[A-Z][A-Z_]*$/)
      .describe('Machine-readable reason, for example TYPE_NOT_ALLOWED.'),
    message: z.string().min(1).describe('What was wrong and what to do.'),
    allowed: z
      .array(z.string())
      .optional()
      .describe('The accepted values, when the refusal is about one.'),
  })
  .describe('An error answer of the HTTP edge.');
/** The body of an edge error answer. */
export type ErrorResponse = z.infer<typeof ErrorResponseSchema>;
