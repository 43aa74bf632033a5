import type { ApiGatewayProxyResult, ErrorResponse } from '@slipway/events';

// Small helpers over the REST proxy event (v1) that every route needs.

/**
 * The exact bytes of the request body: API Gateway base64-encodes bodies of binary media types
 * (`isBase64Encoded`), and signatures (Stripe's) are over the bytes, not a re-encoded string.
 */
export function rawBodyOf(event: { body: string | null; isBase64Encoded: boolean }): Buffer {
  if (event.body === null) return Buffer.alloc(0);
  return event.isBase64Encoded
    ? Buffer.from(event.body, 'base64')
    : Buffer.from(event.body, 'utf8');
}

/** A header's value by name, compared without case as HTTP names are. */
export function headerOf(
  headers: Readonly<Record<string, string | undefined>> | null | undefined,
  name: string,
): string | undefined {
  const wanted = name.toLowerCase();
  return Object.entries(headers ?? {}).find(([key]) => key.toLowerCase() === wanted)?.[1];
}

/** A JSON proxy result. */
export function jsonResult(statusCode: number, body: unknown): ApiGatewayProxyResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  };
}

/** A JSON error result with an `ErrorResponse` body. */
export function errorResult(statusCode: number, error: ErrorResponse): ApiGatewayProxyResult {
  return jsonResult(statusCode, error);
}

/** The answer to a body over the route's limit: the same 413 the API's gateway responses give. */
export const PAYLOAD_TOO_LARGE: ErrorResponse = {
  code: 'PAYLOAD_TOO_LARGE',
  message: 'The body is larger than this route accepts.',
};

/**
 * The `maxBodyBytes` of a function's (first) http trigger, from the manifest bundled with it.
 *
 * @example maxBodyBytesOf(manifest); // 4096 for edge-uploads
 */
export function maxBodyBytesOf(manifest: {
  triggers?: readonly { type: string; maxBodyBytes?: number }[];
}): number | undefined {
  return manifest.triggers?.find((t) => t.type === 'http')?.maxBodyBytes;
}

/**
 * 413 when the body is over the route's `maxBodyBytes`, else `undefined`. API Gateway REST only
 * enforces its own 10 MB payload limit, never a per-route one, so the function checks its limit
 * itself before it parses anything (the local gateway refuses the same body before invoking).
 *
 * @example
 * bodyLimitResult({ body: 'x'.repeat(5000), isBase64Encoded: false }, 4096)?.statusCode; // 413
 */
export function bodyLimitResult(
  event: { body: string | null; isBase64Encoded: boolean },
  maxBodyBytes: number | undefined,
): ApiGatewayProxyResult | undefined {
  if (maxBodyBytes === undefined || rawBodyOf(event).length <= maxBodyBytes) return undefined;
  return errorResult(413, PAYLOAD_TOO_LARGE);
}
