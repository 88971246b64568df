import { Client, Connection, type ConnectionLike, type ConnectionOptions } from '@temporalio/client';
import { workflowClientInterceptors } from '../observability/tracing';
import { dataConverterOf } from './payload-codec';

/**
 * Every Temporal client exitflow makes (the API, the worker's activities, the benchmarks and
 * scripts) comes from here, so each one encrypts and decrypts payloads with the configured codec
 * (PAYLOAD_CODEC_KEYS) and, when tracing, carries the trace into the workflows it starts.
 */
export interface TemporalClientSettings {
  TEMPORAL_NAMESPACE?: string;
  PAYLOAD_CODEC_KEYS?: string;
}

/** A client on an open (or lazy) connection. */
export function temporalClient(connection: ConnectionLike, settings: TemporalClientSettings = {}): Client {
  const dataConverter = dataConverterOf(settings);
  const interceptors = workflowClientInterceptors();
  return new Client({
    connection,
    namespace: settings.TEMPORAL_NAMESPACE ?? 'default',
    ...(dataConverter ? { dataConverter } : {}),
    ...(interceptors.length ? { interceptors: { workflow: interceptors } } : {}),
  });
}

/** Connect and make the client; `lazy` connects on first use (the API starts while Temporal is still coming up). */
export async function connectTemporalClient(
  settings: TemporalClientSettings & { TEMPORAL_ADDRESS: string },
  opts: { lazy?: boolean; connection?: Omit<ConnectionOptions, 'address'> } = {},
): Promise<{ client: Client; connection: Connection }> {
  const connectionOptions = { ...opts.connection, address: settings.TEMPORAL_ADDRESS };
  const connection = opts.lazy ? Connection.lazy(connectionOptions) : await Connection.connect(connectionOptions);
  return { client: temporalClient(connection, settings), connection };
}
