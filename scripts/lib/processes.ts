import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createInterface } from 'node:readline';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Run a command to completion; rejects with its output tail on a non-zero exit. */
export async function run(
  cmd: string,
  args: string[],
  opts: SpawnOptions & { echo?: boolean } = {},
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (opts.echo) process.stderr.write(d);
    });
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (opts.echo) process.stderr.write(d);
    });
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code === 0) resolve({ stdout, stderr });
      else
        reject(
          new Error(
            `${cmd} ${args.join(' ')} failed (${signal ?? `exit ${code}`}):\n${tail(stderr || stdout, 2000)}`,
          ),
        );
    });
  });
}

export function tail(s: string, max = 4000): string {
  return s.length > max ? `…${s.slice(-max)}` : s;
}

/** Copy a child's stdout/stderr to ours, each line prefixed (e.g. "[worker] "). */
export function prefixOutput(child: ChildProcess, prefix: string): void {
  for (const [stream, out] of [
    [child.stdout, process.stdout],
    [child.stderr, process.stderr],
  ] as const) {
    if (!stream) continue;
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => out.write(`${prefix} ${line}\n`));
  }
}

/** Resolves when the child has exited (immediately if it already has). */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Children spawned in their own process group (so wrappers like tsx cannot orphan the real process). */
const groupLeaders = new WeakSet<ChildProcess>();

function groupAlive(child: ChildProcess): boolean {
  if (!child.pid) return false;
  try {
    process.kill(-child.pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signal(child: ChildProcess, sig: NodeJS.Signals): void {
  try {
    if (groupLeaders.has(child) && child.pid) process.kill(-child.pid, sig);
    else child.kill(sig);
  } catch {
    // already gone
  }
}

const running = (child: ChildProcess) =>
  (child.exitCode === null && child.signalCode === null) || (groupLeaders.has(child) && groupAlive(child));

/** SIGTERM (to its whole process group when it has one), wait up to graceMs, then SIGKILL. */
export async function terminate(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (!running(child)) return;
  signal(child, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (running(child) && Date.now() < deadline) await sleep(100);
  if (running(child)) {
    signal(child, 'SIGKILL');
    await exited(child);
    while (groupLeaders.has(child) && groupAlive(child)) await sleep(50);
  }
}

/** Spawn a long-running child in its own process group (terminate() and killGroup() reach all of it). */
export function spawnInGroup(cmd: string, args: string[], opts: SpawnOptions = {}): ChildProcess {
  const child = spawn(cmd, args, { ...opts, detached: true });
  groupLeaders.add(child);
  return child;
}

/** Spawn a long-running child in its own process group, with prefixed output lines. */
export function spawnPrefixed(cmd: string, args: string[], prefix: string, opts: SpawnOptions = {}): ChildProcess {
  const child = spawnInGroup(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
  prefixOutput(child, prefix);
  return child;
}

/** kill -9 a child's whole process group at once (no grace), and wait until it has gone. */
export async function killGroup(child: ChildProcess): Promise<void> {
  signal(child, 'SIGKILL');
  await exited(child);
  while (groupLeaders.has(child) && groupAlive(child)) await sleep(50);
}

/** Run `fn` once on SIGINT/SIGTERM (a second signal forces exit). */
export function onShutdownSignal(fn: (signal: NodeJS.Signals) => void | Promise<void>): void {
  let called = false;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      if (called) {
        process.stderr.write(`\n${sig} again: exiting now\n`);
        process.exit(130);
      }
      called = true;
      void fn(sig);
    });
  }
}
