import {
  context,
  defaultTextMapSetter,
  SpanKind,
  SpanStatusCode,
  type Attributes,
} from '@opentelemetry/api';
import { CaptureClientError } from '../errors';
import type { OtelTracing } from './tracing';

/** The parts of an AWS SDK v3 client the tracing middleware touches (no @smithy/types import). */
interface SdkClientLike {
  middlewareStack: {
    add(
      middleware: (next: Handler, context: HandlerContext) => Handler,
      options: { step: 'build'; name: string; override?: boolean },
    ): void;
  };
  config?: { serviceId?: string };
}
type Handler = (args: { request?: unknown }) => Promise<{ output?: unknown; response?: unknown }>;
interface HandlerContext {
  clientName?: string;
  commandName?: string;
}

/** Name of the middleware in the client's stack (a second capture replaces, never doubles, it). */
export const OTEL_SDK_MIDDLEWARE = 'slipwayOpenTelemetry';

/**
 * Adds one CLIENT span per AWS SDK v3 command to `client`, the OpenTelemetry twin of Powertools'
 * `captureAWSv3Client`: the span is named like the X-Ray SDK's subsegment (the service id, e.g.
 * `S3`) and carries the AWS SDK semantic-convention attributes X-Ray reads to draw the remote node
 * (`rpc.system=aws-api`, `rpc.service`, `rpc.method`, `aws.request_id`,
 * `http.response.status_code`: 4xx is an error, 429 a throttle, 5xx a fault). The request gets the
 * `X-Amzn-Trace-Id` header of the span, so Step Functions, EventBridge or Lambda continue the trace.
 * It sits in the `build` step: after serialisation, before signing, around every retry.
 *
 * OpenTelemetry's own `instrumentation-aws-sdk` patches `require()` of node_modules, which an
 * esbuild bundle never calls, hence a middleware.
 *
 * @example
 * const s3 = captureClientOtel(tracing, new S3Client({}));
 */
export function captureClientOtel<T>(tracing: OtelTracing, client: T): T {
  if (!tracing.enabled) return client;
  const sdk = client as unknown as SdkClientLike;
  if (typeof sdk?.middlewareStack?.add !== 'function') throw new CaptureClientError(client);
  const service = sdk.config?.serviceId ?? 'AWS';
  sdk.middlewareStack.add(
    (next, handlerContext) => async (args) => {
      const operation = (handlerContext.commandName ?? 'Unknown').replace(/Command$/, '');
      return tracing.tracer.startActiveSpan(
        service,
        {
          kind: SpanKind.CLIENT,
          attributes: { 'rpc.system': 'aws-api', 'rpc.service': service, 'rpc.method': operation },
        },
        async (span) => {
          const headers = (args.request as { headers?: Record<string, string> } | undefined)
            ?.headers;
          if (headers) tracing.propagator.inject(context.active(), headers, defaultTextMapSetter);
          try {
            const result = await next(args);
            span.setAttributes(
              responseAttributes(
                (result.output as { $metadata?: Metadata } | undefined)?.$metadata,
                (result.response as { statusCode?: number } | undefined)?.statusCode,
              ),
            );
            return result;
          } catch (error) {
            const failure = error as Error & { $metadata?: Metadata };
            span.setAttributes(
              responseAttributes(failure.$metadata, failure.$metadata?.httpStatusCode),
            );
            span.recordException(failure);
            span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
            throw error;
          } finally {
            span.end();
          }
        },
      );
    },
    { step: 'build', name: OTEL_SDK_MIDDLEWARE, override: true },
  );
  return client;
}

interface Metadata {
  httpStatusCode?: number;
  requestId?: string;
}

function responseAttributes(
  metadata: Metadata | undefined,
  status: number | undefined,
): Attributes {
  return {
    ...(status !== undefined ? { 'http.response.status_code': status } : {}),
    ...(metadata?.requestId ? { 'aws.request_id': metadata.requestId } : {}),
  };
}
