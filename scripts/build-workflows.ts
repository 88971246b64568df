import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { bundleWorkflows, tracingBundlePath } from '../worker/bundle';
import { WORKFLOW_TRACING_MODULE } from '../observability/tracing';

/**
 * `npm run build:workflows [path]`: the workflow bundle built ahead for production (default
 * dist/workflow-bundle.js), so a worker given WORKFLOW_BUNDLE_PATH starts without webpack; beside it,
 * the same with the tracing interceptors (dist/workflow-bundle.tracing.js), which a worker loads
 * when OTEL_EXPORTER_OTLP_ENDPOINT is set. Rebuild with every change to workflows/ (the Dockerfile's
 * build stage runs it).
 */
export async function buildWorkflowBundles(path: string): Promise<string[]> {
  mkdirSync(dirname(path), { recursive: true });
  const [plain, traced] = await Promise.all([bundleWorkflows(), bundleWorkflows({ interceptorModules: [WORKFLOW_TRACING_MODULE] })]);
  const tracedPath = tracingBundlePath(path);
  writeFileSync(path, plain.code);
  writeFileSync(tracedPath, traced.code);
  return [path, tracedPath];
}

if (require.main === module) {
  const path = resolve(process.argv[2] ?? 'dist/workflow-bundle.js');
  buildWorkflowBundles(path).then(
    (paths) => console.log(`workflow bundles written: ${paths.join(', ')}`),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
