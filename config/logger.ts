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

export type LogFormat = 'pretty' | 'json';

/**
 * LOG_FORMAT when set; otherwise pretty for a person at a terminal in development, JSON wherever a
 * collector reads the lines (production, pipes, files).
 */
export function logFormat(env: NodeJS.ProcessEnv = process.env, isTTY: boolean = process.stdout.isTTY === true): LogFormat {
  if (env.LOG_FORMAT === 'pretty' || env.LOG_FORMAT === 'json') return env.LOG_FORMAT;
  return isTTY && env.NODE_ENV !== 'production' ? 'pretty' : 'json';
}

/**
 * Every line carries the component and, where known, workflow and request ids; JSON, or readable
 * (pino-pretty) at a terminal. Redaction happens before either, so pretty lines hide the same values.
 */
export function createLogger(component: string, level: string = process.env.LOG_LEVEL ?? 'info', destination?: DestinationStream, format: LogFormat = destination ? 'json' : logFormat()): Logger {
  const options: LoggerOptions = { level, base: { component }, timestamp: pino.stdTimeFunctions.isoTime, redact: LOG_REDACTION };
  const readable = format === 'pretty' ? prettyStream(destination) : undefined;
  if (readable) return pino(options, readable);
  return destination ? pino(options, destination) : pino(options);
}

/**
 * pino-pretty is a development dependency: the production image (npm ci --omit=dev) has none, and a
 * LOG_FORMAT=pretty there falls back to JSON rather than stopping the service.
 */
function prettyStream(destination?: DestinationStream): DestinationStream | undefined {
  let pretty: typeof import('pino-pretty');
  try {
    pretty = require('pino-pretty'); // eslint-disable-line @typescript-eslint/no-require-imports
  } catch {
    return undefined;
  }
  return pretty({ colorize: destination ? false : undefined, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', destination: destination ?? 1, sync: true });
}

export type { Logger };
