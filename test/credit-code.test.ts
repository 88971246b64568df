import { creditCodeCheckCharacter, creditCodeProblem } from '../domain/credit-code';
import { CreditCode, DivisionCode, RegisterEnterprise } from '../domain/enterprise';
import { division, divisionFullName } from '../domain/divisions';
import { covers, divisionPath } from '../domain/jurisdiction';

describe('unified social credit codes (GB 32100-2015)', () => {
  it.each([
    ['914403001922038216', 'Huawei Technologies'],
    ['91440300708461136T', 'Tencent (Shenzhen)'],
    ['91110000802100433B', 'a Beijing enterprise'],
  ])('accepts the real code %s (%s)', (code) => {
    expect(creditCodeProblem(code)).toBeNull();
  });

  it.each([
    ['91440300708461136X', 'check_character'],
    ['914403001922038217', 'check_character'],
    ['91440300708461136', 'length'],
    ['91440300708461136TT', 'length'],
    ['91440300708461I36T', 'characters'],
    ['9144030070846113 T', 'characters'],
    ['91440300708461136t', 'characters'],
    ['91AB0300708461136T', 'division'],
  ])('rejects %s: %s', (code, problem) => {
    expect(creditCodeProblem(code)).toBe(problem);
  });

  it('computes the check character that makes the weighted sum divisible by 31', () => {
    expect(creditCodeCheckCharacter('91440300708461136')).toBe('T');
    expect(creditCodeCheckCharacter('91440300192203821')).toBe('6');
  });

  it('names the rule in English and Chinese when a code is wrong', () => {
    const r = CreditCode.safeParse('91440300708461136X');
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]).toMatchObject({ params: { rule: 'gb32100_check_character', zh: '校验码错误' } });
  });
});

describe('administrative divisions (GB/T 2260)', () => {
  it('knows the seed regions from the maintained table', () => {
    expect(division('210000')?.name).toBe('辽宁省');
    expect(division('410100')?.name).toBe('郑州市');
    expect(division('440000')?.name).toBe('广东省');
    expect(division('350100')?.name).toBe('福州市');
    expect(division('652300')?.name).toBe('昌吉回族自治州');
    expect(divisionFullName('410102')).toBe('河南省 郑州市 中原区');
    expect(division('110101')?.parent).toBe('110000');
  });

  it('rejects codes that are malformed or do not exist', () => {
    expect(DivisionCode.safeParse('41010').error?.issues.map((i) => (i as { params?: { rule: string } }).params?.rule)).toEqual(['gbt2260_format']);
    expect(DivisionCode.safeParse('419999').error?.issues.map((i) => (i as { params?: { rule: string } }).params?.rule)).toEqual(['gbt2260_known']);
    expect(DivisionCode.safeParse('410102').success).toBe(true);
  });

  it('computes which jurisdictions cover a region', () => {
    expect(divisionPath('410102')).toEqual(['410102', '410100', '410000']);
    expect(divisionPath('410100')).toEqual(['410100', '410000']);
    expect(divisionPath('410000')).toEqual(['410000']);
    expect(covers('410100', '410102')).toBe(true);
    expect(covers('410000', '410102')).toBe(true);
    expect(covers('350100', '410102')).toBe(false);
    expect(covers('410102', '410100')).toBe(false);
  });
});

describe('enterprise registration rules', () => {
  it('rejects duplicate facility ids', () => {
    const f = { id: 'L1', name: '1号线', kind: 'production_line' as const, capacity: 10, unit: '万吨/年' };
    const r = RegisterEnterprise.safeParse({
      creditCode: '914403001922038216', name: '某公司', regionCode: '440300', industry: 'cement',
      contact: { name: '王', email: 'a@b.cn' }, facilities: [f, f],
    });
    expect(r.error?.issues.map((i) => (i as { params?: { rule: string } }).params?.rule)).toEqual(['facility_id_unique']);
  });
});
