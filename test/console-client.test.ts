import { spawnSync } from 'node:child_process';
import path from 'node:path';

/**
 * The console's typed client (console/src/api/schema.d.ts) is generated from the API's own OpenAPI
 * document and committed: a change to an endpoint's schema that was not regenerated fails here,
 * not in an official's browser. (openapi-typescript ships ES modules only, so the check runs under tsx.)
 */
it('the committed console client matches the API’s OpenAPI document (npm run console:client)', () => {
  const root = path.resolve(__dirname, '..');
  const r = spawnSync(path.join(root, 'node_modules', '.bin', 'tsx'), ['scripts/console-client.ts', '--check'], { cwd: root, encoding: 'utf8' });
  expect(`${r.stdout}${r.stderr}`.trim()).toBe('console client is current');
  expect(r.status).toBe(0);
});
