import {
  context,
  defaultTextMapGetter,
  ROOT_CONTEXT,
  trace,
  type Context as OtelContext,
  type TextMapPropagator,
  type Tracer as OtelTracer,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { AWSXRayIdGenerator } from '@opentelemetry/id-generator-aws-xray';
import { AWSXRAY_TRACE_ID_HEADER, AWSXRayPropagator } from '@opentelemetry/propagator-aws-xray';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider, type SpanProcessor } from '@opentelemetry/sdk-trace';
import type { ServiceIdentity } from '../observability';

/** Options of the OpenTelemetry tracing setup; the defaults are what a Lambda gets. */
export interface OtelTracingOptions {
  /**
   * Where finished spans go. Default: one `BatchSpanProcessor` over the OTLP/HTTP protobuf
   * exporter, which posts to `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (or
   * `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces`, else `http://localhost:4318/v1/traces`: the
   * collector of the ADOT Lambda layer, or the sandbox's receiver). Tests pass a
   * `SimpleSpanProcessor` over an `InMemorySpanExporter`.
   */
  spanProcessors?: SpanProcessor[];
  /** The environment to read (default `process.env`). */
  env?: NodeJS.ProcessEnv;
}

/** The OpenTelemetry side of one function's observability. */
export interface OtelTracing {
  /** Whether spans are recorded at all (in Lambda, unless switched off). */
  readonly enabled: boolean;
  /** The function's service name (the manifest `name`): the `Service` annotation. */
  readonly service: string;
  /** The tracer the handler span and the SDK-call spans come from. */
  readonly tracer: OtelTracer;
  /** Reads and writes the `X-Amzn-Trace-Id` header (`Root=…;Parent=…;Sampled=…`). */
  readonly propagator: TextMapPropagator;
  /**
   * The parent of an invocation's handler span: the trace header Lambda puts in
   * `_X_AMZN_TRACE_ID` for the invocation (its function segment), read when called.
   */
  parentContext(): OtelContext;
  /**
   * Exports every ended span now. Lambda freezes the process as soon as the handler returns,
   * so each invocation flushes before it answers (what the ADOT layer's wrapper does too).
   */
  flush(): Promise<void>;
}

let contextManagerRegistered = false;

/**
 * The tracer provider of one function, built the way X-Ray expects its spans: X-Ray-shaped
 * trace ids (time-prefixed, so they stay searchable by the X-Ray console's time range), the
 * X-Ray propagator for the `X-Amzn-Trace-Id` header that API Gateway, Step Functions and
 * EventBridge pass on, the function's identity as the resource, and an async-local-storage
 * context so concurrent invocations keep their own active span.
 *
 * Tracing is on where Powertools Tracer would be on: in Lambda (`AWS_EXECUTION_ENV` set), unless
 * `POWERTOOLS_TRACE_ENABLED=false` or `OTEL_SDK_DISABLED=true`.
 *
 * @example
 * const tracing = createOtelTracing({ name: 'media-validate', domain: 'media' });
 * const span = tracing.tracer.startSpan('work', {}, tracing.parentContext());
 */
export function createOtelTracing(
  identity: ServiceIdentity,
  options: OtelTracingOptions = {},
): OtelTracing {
  const env = options.env ?? process.env;
  const enabled =
    Boolean(env.AWS_EXECUTION_ENV) &&
    env.POWERTOOLS_TRACE_ENABLED !== 'false' &&
    env.OTEL_SDK_DISABLED !== 'true';
  if (!contextManagerRegistered) {
    // The API's context is global by design: one manager per process, shared by every provider.
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    contextManagerRegistered = true;
  }
  const propagator = new AWSXRayPropagator();
  const provider = new TracerProvider({
    idGenerator: new AWSXRayIdGenerator(),
    resource: resourceFromAttributes({
      'service.name': identity.name,
      'cloud.provider': 'aws',
      'cloud.platform': 'aws_lambda',
      ...(env.AWS_REGION ? { 'cloud.region': env.AWS_REGION } : {}),
      ...(env.AWS_LAMBDA_FUNCTION_NAME ? { 'faas.name': env.AWS_LAMBDA_FUNCTION_NAME } : {}),
    }),
    spanProcessors: enabled
      ? (options.spanProcessors ?? [new BatchSpanProcessor({ exporter: new OTLPTraceExporter() })])
      : [],
  });
  return {
    enabled,
    service: identity.name,
    // Not the global provider: a second function's setup in one process (tests) stays apart.
    tracer: enabled ? provider.getTracer('@slipway/observability') : trace.getTracer('noop'),
    propagator,
    parentContext: () =>
      propagator.extract(
        ROOT_CONTEXT,
        { [AWSXRAY_TRACE_ID_HEADER]: env._X_AMZN_TRACE_ID },
        defaultTextMapGetter,
      ),
    flush: () => (enabled ? provider.forceFlush() : Promise.resolve()),
  };
}
