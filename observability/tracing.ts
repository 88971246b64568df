import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Resource } from '@opentelemetry/resources';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import type { WorkerOptions } from '@temporalio/worker';

/**
 * OpenTelemetry traces across the API, the Temporal client, the workflows and their activities,
 * exported over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set. Unset, nothing here is loaded:
 * no SDK, no instrumentation, no Temporal interceptors.
 *
 * startTracing must run before express and pg are first required (their instrumentations patch
 * them as they load): api/main.ts and worker/main.ts import observability/start first.
 *
 * One request that opens a case is one trace: the API's HTTP span (and its express and pg spans),
 * StartWorkflow (the client interceptor puts the context in the workflow's headers), RunWorkflow
 * and the workflow's StartActivity spans (exported from the worker through a sink, since workflow
 * code cannot do I/O), RunActivity in the worker.
 */
interface Tracing {
  serviceName: string;
  resource: Resource;
  spanProcessor: SpanProcessor;
  shutdown(): Promise<void>;
}

let active: Tracing | undefined;

export interface TracingSettings {
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;
  OTEL_TRACES_SAMPLE_RATIO?: number | string;
  OTEL_SERVICE_NAME?: string;
}

/** The OTLP/HTTP traces URL of an endpoint (the specification's rule: the signal's path appended). */
export function tracesUrl(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, '')}/v1/traces`;
}

/**
 * Start tracing for this process when an endpoint is configured; whether it started. Called once,
 * first thing (a second call is a no-op).
 */
export function startTracing(serviceName: string, settings: TracingSettings = process.env): boolean {
  if (active) return true;
  const endpoint = settings.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (!endpoint) return false;
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node') as typeof import('@opentelemetry/sdk-trace-node');
  const { BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler } = require('@opentelemetry/sdk-trace-base') as typeof import('@opentelemetry/sdk-trace-base');
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const { Resource } = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const { ATTR_SERVICE_NAME } = require('@opentelemetry/semantic-conventions') as typeof import('@opentelemetry/semantic-conventions');
  const { registerInstrumentations } = require('@opentelemetry/instrumentation') as typeof import('@opentelemetry/instrumentation');
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const { ExpressInstrumentation } = require('@opentelemetry/instrumentation-express') as typeof import('@opentelemetry/instrumentation-express');
  const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const name = settings.OTEL_SERVICE_NAME?.trim() || serviceName;
  const resource = new Resource({ [ATTR_SERVICE_NAME]: name });
  const ratio = Number(settings.OTEL_TRACES_SAMPLE_RATIO ?? 1);
  const spanProcessor = new BatchSpanProcessor(new OTLPTraceExporter({ url: tracesUrl(endpoint) }), { scheduledDelayMillis: 1_000 });
  const provider = new NodeTracerProvider({
    resource,
    spanProcessors: [spanProcessor],
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(Number.isFinite(ratio) ? ratio : 1) }),
  });
  provider.register();
  const unregister = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      // Probes and scrapes every few seconds would drown the requests that matter.
      new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => /^\/(health|metrics)(\/|\?|$)/.test(req.url ?? '') }),
      new ExpressInstrumentation(),
      new PgInstrumentation({ requireParentSpan: true }),
    ],
  });
  active = {
    serviceName: name,
    resource,
    spanProcessor,
    async shutdown() {
      unregister();
      await provider.shutdown();
    },
  };
  return true;
}

/** Whether this process traces (startTracing found an endpoint). */
export function tracingEnabled(): boolean {
  return active !== undefined;
}

/** Send what is buffered and stop (at shutdown, so the last spans are not lost). */
export async function stopTracing(): Promise<void> {
  const t = active;
  active = undefined;
  await t?.shutdown();
}

/** The Temporal client's interceptors: StartWorkflow, signal, update and query spans carrying the context to the workflow. None when not tracing. */
export function workflowClientInterceptors(): WorkflowClientInterceptor[] {
  if (!active) return [];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { OpenTelemetryWorkflowClientInterceptor } = require('@temporalio/interceptors-opentelemetry/lib/client') as typeof import('@temporalio/interceptors-opentelemetry/lib/client');
  return [new OpenTelemetryWorkflowClientInterceptor()];
}

/** The workflow interceptor module that must be in the workflow bundle for workflow spans. */
export const WORKFLOW_TRACING_MODULE = require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors');

/**
 * What the worker adds when tracing: activity interceptors (RunActivity spans) and the sink the
 * workflow interceptors export their spans through. The bundle must contain WORKFLOW_TRACING_MODULE.
 */
export function workerTracing(): { activity: NonNullable<NonNullable<WorkerOptions['interceptors']>['activity']>; sinks: NonNullable<WorkerOptions['sinks']> } | undefined {
  if (!active) return undefined;
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { OpenTelemetryActivityInboundInterceptor, OpenTelemetryActivityOutboundInterceptor, makeWorkflowExporter } =
    require('@temporalio/interceptors-opentelemetry/lib/worker') as typeof import('@temporalio/interceptors-opentelemetry/lib/worker');
  /* eslint-enable @typescript-eslint/no-require-imports */
  return {
    activity: [(ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx), outbound: new OpenTelemetryActivityOutboundInterceptor(ctx) })],
    sinks: { exporter: makeWorkflowExporter(active.spanProcessor, active.resource) as never },
  };
}
