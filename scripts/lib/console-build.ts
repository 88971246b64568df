/**
 * The console and portal (console/) are built by Vite into console/dist, which the API serves.
 * `npm start` and `npm test` build them when a source is newer than the build (or there is none).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const CONSOLE = path.join(ROOT, 'console');
const BUILT = path.join(CONSOLE, 'dist', 'index.html');
/** What the build is made of besides console/src: the domain tables it imports and the build's own settings. */
const SOURCES = [path.join(CONSOLE, 'src'), path.join(CONSOLE, 'index.html'), path.join(CONSOLE, 'vite.config.ts'), path.join(ROOT, 'domain', 'stages.ts'), path.join(ROOT, 'domain', 'model.ts'), path.join(ROOT, 'package-lock.json')];

function newestChange(p: string): number {
  if (!existsSync(p)) return 0;
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(s.mtimeMs, ...readdirSync(p).map((name) => newestChange(path.join(p, name))));
}

export function consoleBuildIsStale(): boolean {
  if (!existsSync(BUILT)) return true;
  const built = statSync(BUILT).mtimeMs;
  return SOURCES.some((s) => newestChange(s) > built);
}

/** Builds the console unless the build is current; throws when Vite fails. Answers whether it built. */
export function buildConsoleIfStale(log: (msg: string) => void = console.log): boolean {
  if (!consoleBuildIsStale()) return false;
  log('building the console (vite build console/)…');
  const started = Date.now();
  const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', path.join(CONSOLE, 'vite.config.ts'), '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
    // A production build whoever calls it (jest sets NODE_ENV=test, `npm start` development): Vite would
    // otherwise build React and Ant Design in their development mode, with their dev-only warnings.
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (r.status !== 0) throw new Error(`the console build failed (vite exit ${r.status ?? r.signal})`);
  log(`console built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

if (require.main === module) buildConsoleIfStale();
