/**
 * Writes domain/policy/shipped.ts: every shipped policy as domain/policy/regions builds it (parsed,
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
  const file = path.join(__dirname, '..', 'domain', 'policy', 'shipped.ts');
  writeFileSync(
    file,
    [
      '// Written by `npx tsx scripts/shipped-policies.ts` from domain/policy/regions: do not edit.',
      '// The shipped policies as built, by version, for workflows (domain/policy/regions/derive.ts shippedPolicy).',
      '// A function, so a workflow makes the objects only when it first reads a policy.',
      `export function shippedPolicies(): Record<string, unknown> {`,
      `  return ${JSON.stringify(byVersion, null, 2).replace(/\n/g, '\n  ')};`,
      '}',
      '',
    ].join('\n'),
  );
  console.log(`${file}: ${POLICIES.map((p) => p.version).join(', ')}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
