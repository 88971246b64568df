import pino, { type Logger } from 'pino';

/** Structured JSON logs; every line carries the component and, where known, workflow and request ids. */
export function createLogger(component: string, level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { component }, timestamp: pino.stdTimeFunctions.isoTime });
}

export type { Logger };
