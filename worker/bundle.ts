import { bundleWorkflowCode, type BundleOptions } from '@temporalio/worker';

/**
 * How the case workflows are bundled, in one place for the worker, the tests and the benchmarks.
 *
 * With the SDK's reused V8 context every workflow runs the bundle's module code again (its own
 * module cache): each new or replayed case pays for building the zod schemas and the region
 * policies (bench/replay.ts profiles it at about a fifth of a replay). The SDK can preload shared
 * modules once per thread, but it deep-freezes them, and zod 4 schemas define their methods lazily
 * on first use, which a frozen schema refuses ("object is not extensible"); preloading zod alone
 * measured no gain. So nothing is shared for now; the list is kept here, in one place, for when
 * the domain's schemas are built lazily.
 */
export const WORKFLOWS_PATH = require.resolve('../workflows');

export const SHARED_WORKFLOW_MODULES: readonly string[] = [];

const silent = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };

export function workflowBundleOptions(): BundleOptions {
  return { workflowsPath: WORKFLOWS_PATH, preloadModules: [...SHARED_WORKFLOW_MODULES], logger: silent as never };
}

/** The bundle as the worker builds it (tests and benchmarks build it once and pass it in). */
export function bundleWorkflows(): ReturnType<typeof bundleWorkflowCode> {
  return bundleWorkflowCode(workflowBundleOptions());
}
