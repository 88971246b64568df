import { bundleWorkflowCode } from '@temporalio/worker';

/**
 * How the case workflows are bundled, in one place for the worker, the tests and the benchmarks.
 *
 * With the SDK's reused V8 context every workflow runs the bundle's module code again (its own
 * module cache): each new or replayed case pays for building the zod schemas and the region
 * policies (bench/replay.ts profiles it at about a fifth of a replay). The SDK's `preloadModules`
 * would share modules once per thread, but it deep-freezes them, and zod 4 schemas define their
 * methods lazily on first use, which a frozen schema refuses ("object is not extensible");
 * preloading zod alone measured no gain. So nothing is preloaded until the domain builds its
 * schemas lazily.
 */
export const WORKFLOWS_PATH = require.resolve('../workflows');

const silent = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };

/**
 * The bundle as the worker builds it (tests and benchmarks build it once and pass it in); the
 * benchmarks bundle their bare workflows the same way.
 */
export function bundleWorkflows(workflowsPath = WORKFLOWS_PATH): ReturnType<typeof bundleWorkflowCode> {
  return bundleWorkflowCode({ workflowsPath, logger: silent as never });
}
