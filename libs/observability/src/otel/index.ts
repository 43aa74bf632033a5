/**
 * `@slipway/observability` with OpenTelemetry tracing in place of Powertools Tracer: the same
 * export names handlers import (`createObservability`, `instrumentHandler`), so a bundle built
 * with `@slipway/observability` resolved to this file (the bench's `otel` build, see
 * docs/observability.md) needs no handler edit. A prototype: no Lambda is bundled with it yet.
 */
export { createObservability, type Observability } from './observability';
export { instrumentHandler, XRAY_ANNOTATIONS_ATTRIBUTE, type HandlerTools } from './handler';
export { captureClientOtel, OTEL_SDK_MIDDLEWARE } from './aws-sdk';
export { createOtelTracing, type OtelTracing, type OtelTracingOptions } from './tracing';
export { CaptureClientError, ObservabilityError } from '../errors';
export type { ServiceIdentity } from '../observability';
export type { InstrumentOptions } from '../handler';
