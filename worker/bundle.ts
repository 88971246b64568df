import { existsSync } from 'node:fs';
import { bundleWorkflowCode } from '@temporalio/worker';

/**
 * How the case workflows are bundled, in one place for the worker, the tests and the benchmarks.
 *
 * With the SDK's reused V8 context every workflow runs the bundle's module code again (its own
 * module cache). Inside a workflow the domain builds its zod schemas on first use (domain/lazy.ts)
 * and a case reads its pinned policy from domain/policy/shipped.ts, so this costs about 4 ms per
 * workflow (`npx tsx bench/module-init.ts`; 42 ms before). The SDK's `preloadModules` would share
 * modules once per thread, but it deep-freezes them, and zod 4 defines its schemas' methods on
 * first use, which a frozen schema refuses ("object is not extensible"); so nothing is preloaded.
 */
export const WORKFLOWS_PATH = require.resolve('../workflows');

/** Webpack's statistics and progress would fill the worker's log at every start: the bundler says nothing. */
const silent = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };

export interface BundleOptions {
  workflowsPath?: string;
  /** Workflow interceptor modules to bundle (e.g. tracing's, observability/tracing.ts WORKFLOW_TRACING_MODULE). */
  interceptorModules?: string[];
}

/**
 * The bundle as the worker builds it (tests and benchmarks build it once and pass it in); the
 * benchmarks bundle their bare workflows the same way.
 */
export function bundleWorkflows(opts: string | BundleOptions = {}): ReturnType<typeof bundleWorkflowCode> {
  const { workflowsPath = WORKFLOWS_PATH, interceptorModules = [] } = typeof opts === 'string' ? { workflowsPath: opts } : opts;
  return bundleWorkflowCode({ workflowsPath, workflowInterceptorModules: interceptorModules, logger: silent as never });
}

/**
 * `npm run build:workflows` writes two bundles: the plain one (WORKFLOW_BUNDLE_PATH) and, beside it,
 * the same with the tracing interceptors, which a worker uses when it traces.
 */
export function tracingBundlePath(bundlePath: string): string {
  return bundlePath.replace(/(\.js)?$/, '.tracing.js');
}

/** The prebuilt bundle a worker should load, or a readable error when it is missing. */
export function prebuiltBundlePath(bundlePath: string, tracing: boolean): string {
  const path = tracing ? tracingBundlePath(bundlePath) : bundlePath;
  if (!existsSync(path)) throw new Error(`WORKFLOW_BUNDLE_PATH: ${path} does not exist; run npm run build:workflows (or unset it to bundle at start)`);
  return path;
}
