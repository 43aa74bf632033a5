import type * as z from 'zod';
import { CreateUploadRequestSchema, CreateUploadResponseSchema } from './create-upload';
import { ErrorResponseSchema } from './error-response';
import { StripeEventSchema, StripeWebhookResponseSchema } from './stripe-webhook';

/**
 * Contracts of the HTTP edge: the REST proxy event, the authorizer's event and policy (and its
 * AppSync event and answer, for the GraphQL API in environments AppSync cannot verify tokens
 * of), one file per route's request and response, and the domain events the edge announces.
 */
export * from './api-gateway';
export * from './authorizer';
export * from './appsync-authorizer';
export * from './create-upload';
export * from './error-response';
export * from './payment-succeeded';
export * from './stripe-webhook';

/**
 * Every request and response body a route may name, by the name manifests use
 * (`"request": "CreateUploadRequest"`). The OpenAPI generator (libs/manifest) turns each into a
 * component schema; a name missing here fails the manifest build. Only HTTP bodies belong
 * here: events on the bus (`PaymentSucceededDetailSchema`) are not route schemas.
 *
 * @example
 * EDGE_SCHEMAS['CreateUploadRequest'].parse(JSON.parse(body));
 */
export const EDGE_SCHEMAS = {
  CreateUploadRequest: CreateUploadRequestSchema,
  CreateUploadResponse: CreateUploadResponseSchema,
  StripeEvent: StripeEventSchema,
  StripeWebhookResponse: StripeWebhookResponseSchema,
  ErrorResponse: ErrorResponseSchema,
} as const satisfies Readonly<Record<string, z.ZodType>>;

/** A schema name a manifest may use for a route's request or response. */
export type EdgeSchemaName = keyof typeof EDGE_SCHEMAS;
