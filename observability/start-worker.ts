import { startTracing } from './tracing';

/**
 * Imported first by worker/main.ts, before express, pg and the Temporal SDK load (their
 * instrumentations patch them as they are required): traces when OTEL_EXPORTER_OTLP_ENDPOINT is set.
 */
startTracing('exitflow-worker');
