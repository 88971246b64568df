import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import ts from 'typescript';
import { CONSOLE_DIST } from '../api/console';

/**
 * The production image (Dockerfile) builds the web console and portal and serves them: no Docker
 * engine runs here, so the Dockerfile and .dockerignore are read as Docker reads them, and the
 * API's console module is run from the place the image puts it, beside the console build the
 * image copies, to show / and /console answer there.
 */
const root = path.join(__dirname, '..');
const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
const dockerignore = readFileSync(path.join(root, '.dockerignore'), 'utf8');

interface Stage {
  name: string;
  from: string;
  workdir: string;
  instructions: { op: string; args: string }[];
}

/** The Dockerfile's stages, each with its instructions (continuation lines joined, comments dropped). */
function stages(text: string): Stage[] {
  const lines = text.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const out: Stage[] = [];
  for (const line of lines) {
    const [, op = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    if (op.toUpperCase() === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?/i.exec(args)!;
      const parent = out.find((s) => s.name === m[1]);
      out.push({ name: m[2] ?? `#${out.length}`, from: m[1]!, workdir: parent?.workdir ?? '/', instructions: [] });
      continue;
    }
    const stage = out[out.length - 1]!;
    if (op.toUpperCase() === 'WORKDIR') stage.workdir = path.posix.resolve(stage.workdir, args);
    stage.instructions.push({ op: op.toUpperCase(), args });
  }
  return out;
}

/** Whether .dockerignore keeps `file` (a path relative to the context) out of the build context. */
function ignored(file: string): boolean {
  let out = false;
  for (const raw of dockerignore.split('\n').map((l) => l.trim())) {
    if (!raw || raw.startsWith('#')) continue;
    const negate = raw.startsWith('!');
    const pattern = path.posix.normalize(raw.replace(/^!/, '').replace(/^\//, ''));
    const re = new RegExp(
      '^' + pattern.split('**/').map((part) => part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')).join('(?:.*/)?') + '(?:/.*)?$',
    );
    if (re.test(file)) out = !negate;
  }
  return out;
}

const all = stages(dockerfile);
const runtime = all[all.length - 1]!;
/** The stage that runs the console's Vite build. */
const consoleStage = all.find((s) => s.instructions.some((i) => i.op === 'RUN' && /\bvite build\b.*--config console\/vite\.config\.ts/.test(i.args)));

describe('the Docker image carries the web console and portal', () => {
  it('has a stage that builds the console with Vite from its sources and the domain tables it imports', () => {
    expect(consoleStage).toBeDefined();
    // Vite, React and Ant Design are development dependencies: the stage installs them all (npm ci without --omit=dev).
    const lineage = (s: Stage): Stage[] => [s, ...all.filter((p) => p.name === s.from).flatMap(lineage)];
    const installs = lineage(consoleStage!).flatMap((s) => s.instructions).filter((i) => i.op === 'RUN' && /\bnpm ci\b/.test(i.args));
    expect(installs.length).toBeGreaterThan(0);
    expect(installs.every((i) => !/--omit=dev|--production/.test(i.args))).toBe(true);
    const copied = consoleStage!.instructions.filter((i) => i.op === 'COPY').map((i) => i.args.split(/\s+/)[0]);
    // console/tsconfig.json names what the build compiles besides console/src.
    const consoleTs = JSON.parse(readFileSync(path.join(root, 'console', 'tsconfig.json'), 'utf8')) as { include: string[] };
    const outside = consoleTs.include.filter((p) => p.startsWith('../')).map((p) => path.posix.join('console', p));
    for (const needed of ['console', ...outside.map((p) => p.split('/')[0]!)]) expect(copied).toContain(needed);
  });

  it('sends the build everything it needs (.dockerignore leaves the console sources and the domain tables in)', () => {
    for (const file of ['package.json', 'package-lock.json', 'console/index.html', 'console/vite.config.ts', 'console/tsconfig.json', 'console/src/main.tsx', 'console/src/App.tsx', 'domain/model.ts', 'domain/stages.ts']) {
      expect([file, ignored(file)]).toEqual([file, false]);
    }
    // …but not a local build, dependencies or data.
    for (const file of ['console/dist/index.html', 'node_modules/react/index.js', 'console/node_modules/x', 'data/pglite/x', '.env']) expect([file, ignored(file)]).toEqual([file, true]);
  });

  it('copies the console build into the runtime image where the compiled API looks for it', () => {
    expect(runtime.from).toMatch(/^node:/);
    const copy = runtime.instructions.find((i) => i.op === 'COPY' && i.args.startsWith(`--from=${consoleStage!.name} `));
    expect(copy).toBeDefined();
    const [, source, dest] = copy!.args.split(/\s+/);
    expect(path.posix.resolve(consoleStage!.workdir, source!)).toBe(path.posix.join(consoleStage!.workdir, 'console/dist'));
    // tsc (tsconfig.build.json, rootDir .) puts api/console.ts at dist/api/console.js; CONSOLE_DIST is relative to it.
    const compiledApi = path.posix.join(runtime.workdir, 'dist', 'api');
    const expected = path.posix.resolve(compiledApi, path.relative(path.join(root, 'api'), CONSOLE_DIST).split(path.sep).join('/'));
    expect(path.posix.resolve(runtime.workdir, dest!)).toBe(expected);
    // The runtime's own dependencies stay production-only.
    expect(runtime.instructions.some((i) => i.op === 'RUN' && /npm ci --omit=dev/.test(i.args))).toBe(true);
  });

  it('answers the portal and the console from that place: the compiled console module beside the copied build', async () => {
    // The image's /app laid out in a temporary folder (no dot-folder on the way: Express serves no dotfiles), its node_modules the repository's.
    const app = mkdtempSync(path.join(tmpdir(), 'exitflow-image-'));
    symlinkSync(path.join(root, 'node_modules'), path.join(app, 'node_modules'), 'dir');
    try {
      const copy = runtime.instructions.find((i) => i.op === 'COPY' && i.args.startsWith(`--from=${consoleStage!.name} `))!;
      const dest = path.posix.resolve(runtime.workdir, copy.args.split(/\s+/)[2]!);
      const built = path.join(app, path.posix.relative(runtime.workdir, dest));
      mkdirSync(path.join(built, 'assets'), { recursive: true });
      writeFileSync(path.join(built, 'index.html'), '<!doctype html><div id="root"></div><script type="module" src="/assets/index-T3st.js"></script>');
      writeFileSync(path.join(built, 'assets', 'index-T3st.js'), 'console.log("exitflow console")');
      // api/console.ts compiled as tsc compiles it for the image, at dist/api/console.js.
      const compiled = path.join(app, 'dist', 'api', 'console.js');
      mkdirSync(path.dirname(compiled), { recursive: true });
      const source = readFileSync(path.join(root, 'api', 'console.ts'), 'utf8');
      writeFileSync(compiled, ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText);
      cpSync(path.join(root, 'package.json'), path.join(app, 'package.json'));
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(compiled) as typeof import('../api/console');
      expect(mod.CONSOLE_DIST).toBe(built);
      const server = express().use(mod.consolePages());
      for (const page of ['/', '/console', '/console/cases/case-1', '/report']) {
        const res = await request(server).get(page);
        expect([page, res.status, res.text]).toEqual([page, 200, expect.stringContaining('<div id="root">')]);
      }
      const asset = await request(server).get('/assets/index-T3st.js');
      expect(asset.status).toBe(200);
      expect(asset.headers['cache-control']).toContain('immutable');
    } finally {
      rmSync(app, { recursive: true, force: true });
    }
  });
});
