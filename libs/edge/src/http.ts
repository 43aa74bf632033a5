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
