/** Small helpers shared by the benchmarks: bounded concurrency, percentiles, a progress line, machine load. */
import os from 'node:os';
import { creditCodeCheckCharacter } from '../domain/credit-code';

export async function pool<T>(count: number, concurrency: number, fn: (i: number) => Promise<T>, progress?: (done: number) => void): Promise<T[]> {
  const out = new Array<T>(count);
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next++;
        out[i] = await fn(i);
        progress?.(++done);
      }
    }),
  );
  return out;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function latencies(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99) };
}

/** A one-line progress bar on stderr for long steps. */
export function progressBar(label: string, total: number): (done: number) => void {
  let last = 0;
  return (done) => {
    const now = Date.now();
    if (done !== total && now - last < 200) return;
    last = now;
    const width = 30;
    const filled = Math.round((done / total) * width);
    process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}${done === total ? '\n' : ''}`);
  };
}

/** The 1-minute load average now, to print beside a figure measured now. */
export function load1(): string {
  return os.loadavg()[0]!.toFixed(2);
}

/**
 * A valid unified social credit code (统一社会信用代码) for bench enterprise `i`; `prefix` (one letter
 * of the code's alphabet) keeps the steps' enterprises apart in one database.
 */
export function creditCode(i: number, prefix = 'B'): string {
  const org = `${prefix}${String(i).padStart(8, '0')}`.replace(/[IOSVZ]/g, 'X');
  const first17 = `91410100${org}`;
  return first17 + creditCodeCheckCharacter(first17);
}

export function machine() {
  return { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? 'unknown', memGiB: Math.round(os.totalmem() / 2 ** 30), load: os.loadavg().map((l) => l.toFixed(2)).join(' ') };
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}
