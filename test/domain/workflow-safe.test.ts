import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';

/**
 * domain/ is imported by workflow code, which Temporal bundles and replays deterministically:
 * no clock, no randomness, no I/O, and the holiday package stays with the activity that reads it.
 */
const DOMAIN = join(__dirname, '../../domain');
const ACTIVITY_ONLY = ['holidays-source.ts']; // the one file allowed to import chinese-days

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const FORBIDDEN: [string, RegExp][] = [
  ['the clock', /Date\.now\(|new Date\(\s*\)/],
  ['randomness', /Math\.random\(/],
  ['timers', /\bset(Timeout|Interval|Immediate)\(/],
  ['Node built-ins', /from ['"](node:|fs|path|os|crypto|child_process|http|https|net)['"/]/],
  ['the process', /\bprocess\./],
  ['the holiday package', /chinese-days/],
];

describe('the domain layer is safe to run inside workflows', () => {
  const files = tsFiles(DOMAIN).filter((f) => !ACTIVITY_ONLY.some((name) => f.endsWith(name)));

  test.each(FORBIDDEN)('no domain file reads %s', (_what, pattern) => {
    const offenders = files.filter((f) => pattern.test(readFileSync(f, 'utf8'))).map((f) => relative(DOMAIN, f));
    expect(offenders).toEqual([]);
  });

  test('policies and deadlines bundle into workflow code, without chinese-days', async () => {
    const { code } = await bundleWorkflowCode({
      workflowsPath: require.resolve('./fixtures/domain-probe-workflow'),
      logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} },
    });
    expect(code).toContain('henan-2021.1');
    expect(code).not.toContain('chinese-days');
  }, 60_000);
});
