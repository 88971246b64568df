/**
 * Writes domain/policy/shipped.json: every shipped policy as domain/policy/regions builds it (parsed,
 * validated, defaults filled), by version. Workflows read their policy from it instead of building
 * it at every workflow's start (domain/policy/regions/derive.ts shippedPolicy); every other process
 * builds the policies and refuses to start when the file differs. Run it after changing a policy:
 *   npx tsx scripts/shipped-policies.ts
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';

(globalThis as Record<string, unknown>).EXITFLOW_WRITING_SHIPPED_POLICIES = true;

async function main(): Promise<void> {
  const { POLICIES } = await import('../domain/policy');
  const byVersion = Object.fromEntries(POLICIES.map((p) => [p.version, p]));
  const file = path.join(__dirname, '..', 'domain', 'policy', 'shipped.json');
  writeFileSync(file, `${JSON.stringify(byVersion, null, 2)}\n`);
  console.log(`${file}: ${POLICIES.map((p) => p.version).join(', ')}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
