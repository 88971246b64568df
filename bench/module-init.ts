/**
 * What the workflow bundle's module code costs each workflow (issue 16).
 *
 * With the SDK's reused V8 context (worker default) every workflow gets its own webpack module cache,
 * so each new or replayed workflow runs the module code of workflows/index.ts and everything it
 * imports again (zod, the domain's schemas, the region policies, the tables). This script sets up a
 * V8 context the way @temporalio/worker's ReusableVMWorkflowCreator does (the same module-cache
 * proxy: modules loaded before any workflow are shared, the rest belong to one workflow), evaluates
 * the bundle once, then imports the workflows module `--runs` times, each time with a fresh module
 * cache as a new workflow would, and times it. With `--top N` it also runs the bundle instrumented
 * (a timer around each module function) and prints the N modules with the most self time (a
 * module's own top-level code, without the modules it requires) and the packages' totals.
 *
 * With `--case`, each run also does what a Henan energy case's first workflow task needs of the
 * domain besides its module code: reads its pinned policy (henan-2021.1, on the national base) and
 * validates one input (an extension request), so that building those on first use is counted too.
 *
 * Usage: npx tsx bench/module-init.ts [--runs 200] [--warmups 20] [--top 25] [--case] [--bundle workflow-bundle.js] [--json]
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import vm from 'node:vm';
import { injectGlobals } from '@temporalio/worker/lib/workflow/vm-shared';
import { bundleWorkflows } from '../worker/bundle';
import { percentile } from './lib';

const RUN_MODULE = '__webpack_modules__[moduleId].call(module.exports, module, module.exports, __webpack_require__);';

export interface ModuleCost {
  module: string;
  /** ms per workflow, the module's own top-level code. */
  selfMs: number;
  /** ms per workflow, with the modules it required first. */
  totalMs: number;
}

export interface ModuleInitResult {
  runs: number;
  /** ms per workflow to run the bundle's module code (importWorkflows with a fresh module cache). */
  median: number;
  p95: number;
  mean: number;
  /** Modules run per workflow (not shared). */
  modules: number;
  /** With --case: the figures include reading a Henan policy and validating one input. */
  caseUse?: boolean;
  /** With --top: the costliest modules (instrumented run, so a little slower than the figures above). */
  top?: ModuleCost[];
  /** With --top: self time summed by package (node_modules/<pkg>) or by the project's folder. */
  byPackage?: { name: string; selfMs: number }[];
}

interface Hooks {
  enter?: (id: string) => void;
  exit?: (id: string) => void;
}

/** A context like the SDK's reusable one, with the bundle evaluated; `load()` imports the workflows as a new workflow would. */
/** What a Henan energy case's first workflow task asks of the domain (--case), given the workflow's module cache. */
function caseUse(cache: Map<string | symbol, unknown>): void {
  const exportsOf = (id: string) => {
    // Module ids are paths relative to the bundler's root: match the end (a bundle built from another checkout).
    const key = [...cache.keys()].find((k) => typeof k === 'string' && (k === id || k.endsWith(id.slice(1))));
    const m = (key === undefined ? undefined : cache.get(key)) as { exports: Record<string, unknown> } | undefined;
    if (!m) throw new Error(`the bundle did not load ${id}`);
    return m.exports;
  };
  const policyById = exportsOf('./domain/policy/index.ts').policyById as (id: string, version: string) => { nameZh: string; dimensions: unknown } | undefined;
  const policy = policyById('henan', 'henan-2021.1');
  if (!policy?.nameZh || !policy.dimensions) throw new Error('henan-2021.1 not found');
  const schemas = exportsOf('./domain/inputs.ts').INPUT_SCHEMAS as Record<string, { safeParse(v: unknown): { success: boolean } }>;
  const actor = { id: 'u1', name: '企业', role: 'enterprise', creditCode: '91410100MA00000000' };
  if (!schemas.requestExtension!.safeParse({ actor, idempotencyKey: 'k', months: 3 }).success) throw new Error('the extension request did not validate');
}

function workflowContext(code: string, instrument: boolean, use = false) {
  const context = vm.createContext({}, { microtaskMode: 'afterEvaluate' });
  let moduleCache: Map<string | symbol, unknown> | undefined;
  const shared = new Map<string | symbol, unknown>();
  const cache = new Proxy(
    {},
    {
      get: (_, p) => shared.get(p) ?? moduleCache?.get(p),
      set: (_, p, v) => {
        (moduleCache ?? shared).set(p, v);
        return true;
      },
    },
  );
  Object.defineProperty(context, '__webpack_module_cache__', { value: cache, writable: false, enumerable: false, configurable: false });
  injectGlobals(context);
  const hooks: Hooks = {};
  let source = code;
  if (instrument) {
    if (!code.includes(RUN_MODULE)) throw new Error('the bundle does not have the expected webpack require function');
    source = code.replace(RUN_MODULE, `globalThis.__mi.enter(moduleId); try { ${RUN_MODULE} } finally { globalThis.__mi.exit(moduleId); }`);
    Object.defineProperty(context, '__mi', { value: { enter: (id: string) => hooks.enter?.(id), exit: (id: string) => hooks.exit?.(id) } });
  }
  new vm.Script(source, { filename: 'workflow-bundle.js' }).runInContext(context);
  // Module code that reads the clock or the activator at import would need this; the project's does not.
  const activator = { now: 0, moduleCache: undefined as unknown };
  const importWorkflows = vm.runInContext('() => __TEMPORAL__.importWorkflows()', context) as () => Record<string, unknown>;
  return {
    hooks,
    load(): number {
      moduleCache = new Map();
      activator.moduleCache = moduleCache;
      (context as { __TEMPORAL_ACTIVATOR__?: unknown }).__TEMPORAL_ACTIVATOR__ = activator;
      const t = performance.now();
      const mod = importWorkflows();
      if (use) caseUse(moduleCache);
      const ms = performance.now() - t;
      if (typeof mod.caseWorkflow !== 'function') throw new Error('the bundle does not export caseWorkflow');
      const n = moduleCache.size;
      moduleCache = undefined;
      delete (context as { __TEMPORAL_ACTIVATOR__?: unknown }).__TEMPORAL_ACTIVATOR__;
      lastModules = n;
      return ms;
    },
  };
}
let lastModules = 0;

function packageOf(id: string): string {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(id);
  if (m) return m[1]!;
  const p = /^\.\/([^/]+)(\/|$)/.exec(id);
  return p ? `${p[1]}/` : id;
}

export async function measureModuleInit(opts: { code: string; runs: number; warmups: number; top?: number; caseUse?: boolean }): Promise<ModuleInitResult> {
  const plain = workflowContext(opts.code, false, opts.caseUse);
  for (let i = 0; i < opts.warmups; i++) plain.load();
  const ms: number[] = [];
  for (let i = 0; i < opts.runs; i++) ms.push(plain.load());
  const sorted = [...ms].sort((a, b) => a - b);
  const result: ModuleInitResult = {
    runs: opts.runs,
    median: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    mean: ms.reduce((a, b) => a + b, 0) / ms.length,
    modules: lastModules,
    ...(opts.caseUse ? { caseUse: true } : {}),
  };
  if (opts.top) {
    const inst = workflowContext(opts.code, true, opts.caseUse);
    const self = new Map<string, number>();
    const total = new Map<string, number>();
    const stack: { id: string; start: number; child: number }[] = [];
    let counting = false;
    inst.hooks.enter = (id) => {
      if (counting) stack.push({ id, start: performance.now(), child: 0 });
    };
    inst.hooks.exit = (id) => {
      if (!counting) return;
      const f = stack.pop();
      if (!f || f.id !== id) throw new Error(`unbalanced module timing at ${id}`);
      const t = performance.now() - f.start;
      total.set(id, (total.get(id) ?? 0) + t);
      self.set(id, (self.get(id) ?? 0) + t - f.child);
      if (stack.length) stack.at(-1)!.child += t;
    };
    for (let i = 0; i < opts.warmups; i++) inst.load();
    counting = true;
    for (let i = 0; i < opts.runs; i++) inst.load();
    counting = false;
    const per = (v: number) => Math.round((v / opts.runs) * 1000) / 1000;
    result.top = [...self.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, opts.top)
      .map(([module, s]) => ({ module, selfMs: per(s), totalMs: per(total.get(module) ?? 0) }));
    const byPkg = new Map<string, number>();
    for (const [id, s] of self) byPkg.set(packageOf(id), (byPkg.get(packageOf(id)) ?? 0) + s);
    result.byPackage = [...byPkg.entries()].sort((a, b) => b[1] - a[1]).map(([name, s]) => ({ name, selfMs: per(s) }));
  }
  return result;
}

if (require.main === module) {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '200' },
      warmups: { type: 'string', default: '20' },
      top: { type: 'string' },
      bundle: { type: 'string' },
      json: { type: 'boolean', default: false },
      case: { type: 'boolean', default: false },
    },
  });
  (values.bundle ? Promise.resolve({ code: readFileSync(values.bundle, 'utf8') }) : bundleWorkflows())
    .then((bundle) => measureModuleInit({ code: bundle.code, runs: Number(values.runs), warmups: Number(values.warmups), top: values.top ? Number(values.top) : undefined, caseUse: values.case }))
    .then((r) => {
      if (values.json) {
        console.log(JSON.stringify(r));
        return;
      }
      const f = (n: number) => n.toFixed(2);
      console.log(`module init per workflow${r.caseUse ? ', with a Henan case\'s policy and one input' : ''} (${r.modules} modules, ${r.runs} runs): median ${f(r.median)} ms, p95 ${f(r.p95)} ms, mean ${f(r.mean)} ms`);
      if (r.byPackage) {
        console.log('\nself time by package / folder, ms per workflow (instrumented):');
        for (const p of r.byPackage.filter((x) => x.selfMs >= 0.01)) console.log(`  ${f(p.selfMs).padStart(7)}  ${p.name}`);
      }
      if (r.top) {
        console.log('\ncostliest modules, ms per workflow: self / with what they require');
        for (const m of r.top) console.log(`  ${f(m.selfMs).padStart(7)} / ${f(m.totalMs).padStart(7)}  ${m.module}`);
      }
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
