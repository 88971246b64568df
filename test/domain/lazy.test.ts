import { z } from 'zod';
import { LegalDateSchema } from '../../domain/calendar';
import { INPUT_SCHEMAS, RecordDismantling, RecordSealing, RequestExtension } from '../../domain/inputs';
import { BUILD_ON_FIRST_USE, once, standIn } from '../../domain/lazy';
import { POLICIES, policyById, policyFor, PolicySchema, type Policy } from '../../domain/policy';
import { shippedKey, shippedPolicy } from '../../domain/policy/regions/derive';
import { NATIONAL } from '../../domain/policy/regions/national';
import { ReportSubmission } from '../../domain/public-reports';
import { shippedPolicies } from '../../domain/policy/shipped';

const SHIPPED = shippedPolicies();

/**
 * Inside a workflow the domain's schemas and policies are stand-ins built on first use
 * (domain/lazy.ts, issue 16); the recorded histories (test/replay.test.ts) and the lifecycle tests
 * run them there. Here, outside a workflow, the same stand-ins are made directly: an official
 * sending an input gets the same answer from a stand-in as from the schema (field, rule, English
 * and Chinese), and a case reads the same policy through one.
 */

const actor = { id: 'u1', name: '张三', role: 'enterprise', creditCode: '91410100MA00000000' };
const answer = (r: z.ZodSafeParseResult<unknown>) =>
  r.success ? { success: true, data: r.data } : { success: false, issues: r.error.issues.map((i) => ({ path: i.path, code: i.code, message: i.message, params: (i as { params?: unknown }).params })) };

const INPUTS: [string, z.ZodType, unknown][] = [
  ['a valid extension request', RequestExtension, { actor, idempotencyKey: 'k1', months: 3, reason: '  设备改造中  ' }],
  ['an extension of 0 months', RequestExtension, { actor, idempotencyKey: 'k1', months: 0 }],
  ['a reason with a bidirectional override', RequestExtension, { actor, idempotencyKey: 'k1', months: 2, reason: 'a\u202eb' }],
  ['a dismantling on 2026-02-30', RecordDismantling, { actor, idempotencyKey: 'k2', dismantledOn: '2026-02-30' }],
  ['a dismantling on 1999-12-31', RecordDismantling, { actor, idempotencyKey: 'k2', dismantledOn: '1999-12-31' }],
  ['a sealing with a javascript: announcement', RecordSealing, { actor, idempotencyKey: 'k3', sealedOn: '2026-03-02', measures: ['cut_power'], announcementUrl: 'javascript:alert(1)' }],
  ['a report with markup', ReportSubmission, { region: '410122', address: '<b>x</b>', enterpriseName: '某钢厂', description: '有地条钢' }],
  ['a report with a capacity and no unit', ReportSubmission, { region: '410122', address: '中牟县', enterpriseName: '某钢厂', description: '有地条钢', capacity: 10 }],
];

describe('a schema built on first use (inside a workflow)', () => {
  test('outside a workflow every schema is built at import, the one object it always was', () => {
    expect(BUILD_ON_FIRST_USE).toBe(false);
    expect(INPUT_SCHEMAS.requestExtension).toBe(RequestExtension);
    expect(RequestExtension).toBeInstanceOf(z.ZodObject);
  });

  test.each(INPUTS)('%s: the stand-in answers as the schema does', (_what, schema, input) => {
    const lazy = standIn(() => schema);
    expect(answer(lazy.safeParse(input))).toEqual(answer(schema.safeParse(input)));
  });

  test('the answers name the field and the rule in English and Chinese, through the stand-in too', () => {
    const lazy = standIn(() => RecordDismantling);
    const r = lazy.safeParse({ actor, idempotencyKey: 'k2', dismantledOn: '2026-02-30' });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]).toMatchObject({ path: ['dismantledOn'], message: 'is not a calendar date', params: { rule: 'date_exists', zh: '日期不存在' } });
  });

  test('composed into another schema, read field by field (as a replayed input is) and detached, it works as the schema', () => {
    const date = standIn(() => LegalDateSchema);
    const composed = z.object({ on: date.optional() });
    expect(answer(composed.safeParse({ on: '2026-02-30' }))).toEqual(answer(z.object({ on: LegalDateSchema.optional() }).safeParse({ on: '2026-02-30' })));
    const lazy = standIn(() => RequestExtension);
    expect(Object.keys(lazy.shape)).toEqual(Object.keys(RequestExtension.shape));
    expect(lazy.shape.months.safeParse(25).success).toBe(false);
    const { safeParse } = lazy;
    expect(safeParse({ actor, idempotencyKey: 'k', months: 1 }).success).toBe(true);
    expect(lazy).toBeInstanceOf(z.ZodObject);
  });

  test('it is built once, on first use, not when made', () => {
    let builds = 0;
    const lazy = standIn(() => {
      builds++;
      return z.string().min(2);
    });
    expect(builds).toBe(0);
    expect(lazy.safeParse('a').success).toBe(false);
    expect(lazy.safeParse('ab').success).toBe(true);
    expect(builds).toBe(1);
    const next = once(() => ++builds);
    expect([next(), next()]).toEqual([2, 2]);
  });
});

describe('a policy built on first use (inside a workflow)', () => {
  test('reads, serialises and spreads as the policy', () => {
    const lazy = standIn(() => NATIONAL);
    expect(JSON.stringify(lazy)).toBe(JSON.stringify(NATIONAL));
    expect({ ...lazy }).toEqual({ ...NATIONAL });
    expect(Object.keys(lazy)).toEqual(Object.keys(NATIONAL));
    expect(lazy.dimensions.energy.extension).toBe(NATIONAL.dimensions.energy.extension);
    expect('campaign' in lazy).toBe(true);
    expect(() => {
      'use strict';
      (lazy as { id: string }).id = 'changed';
    }).toThrow(TypeError);
    expect(NATIONAL.id).toBe('national');
  });

  test('is found by id and version or by division through its key', () => {
    expect(POLICIES.map((p) => shippedKey(p))).toEqual(POLICIES.map((p) => ({ id: p.id, version: p.version, region: p.region })));
    expect(policyById('henan', 'henan-2021.1')?.nameZh).toContain('河南省');
    expect(policyById('henan', 'henan-2099.1')).toBeUndefined();
    expect(policyFor('410122').id).toBe('henan');
    expect(policyFor('350102').id).toBe('fuzhou');
    expect(policyFor('652301').id).toBe('changji');
    expect(policyFor('110101').id).toBe('national');
  });

  test('what the workflows read (domain/policy/shipped.ts) is every shipped policy exactly as built', () => {
    expect(Object.keys(SHIPPED)).toEqual(POLICIES.map((p) => p.version));
    for (const p of POLICIES) {
      expect(SHIPPED[p.version]).toStrictEqual(JSON.parse(JSON.stringify(p)));
      expect(JSON.stringify(SHIPPED[p.version])).toBe(JSON.stringify(p));
    }
  });

  test('a shipped policy that is not what shipped.json holds fails at import, with the command that writes it', () => {
    const henan = policyById('henan', 'henan-2021.1')!;
    expect(() => shippedPolicy({ id: 'henan', version: 'henan-2021.1', region: '41' }, () => ({ ...henan, nameZh: '河南省（改）' }))).toThrow(
      'domain/policy/shipped.ts does not hold policy henan-2021.1 as domain/policy/regions builds it (the workflows read it from there): run npx tsx scripts/shipped-policies.ts',
    );
    expect(shippedPolicy({ id: 'henan', version: 'henan-2021.1', region: '41' }, () => henan)).toBe(henan);
  });

  test('a policy whose data says another id, version or region than it is shipped under fails when built', () => {
    expect(() => shippedPolicy({ id: 'henan', version: 'henan-2099.1', region: '41' }, () => policyById('henan', 'henan-2021.1') as Policy)).toThrow(
      /policy henan-2099\.1: built as henan henan-2021\.1/,
    );
    expect(PolicySchema.safeParse(standIn(() => NATIONAL)).success).toBe(true);
  });
});
