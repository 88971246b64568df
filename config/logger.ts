import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';

/**
 * Headers that carry credentials: a logged bearer token is a usable token for its whole lifetime,
 * and log lines travel to places (aggregators, tickets) the API's secrets must not. The header stays
 * in the line (so "was a token sent?" can be answered), its value does not. `*.headers` covers the
 * request and response pino-http logs (`req`, `res`) and any error logged with the headers it carried.
 */
export const LOG_REDACTION: NonNullable<LoggerOptions['redact']> = {
  // x-report-secret: a reporter's key to their report's status and reply (api/routes/public-reports.ts).
  paths: ['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-report-secret'].flatMap((h) => [`headers["${h}"]`, `*.headers["${h}"]`]),
  censor: '[redacted]',
};

/** Structured JSON logs; every line carries the component and, where known, workflow and request ids. */
export function createLogger(component: string, level: string = process.env.LOG_LEVEL ?? 'info', destination?: DestinationStream): Logger {
  const options: LoggerOptions = { level, base: { component }, timestamp: pino.stdTimeFunctions.isoTime, redact: LOG_REDACTION };
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };
