import { z } from 'zod';
import type { Db } from '../../db/pool';
import { Principal } from '../../domain/roles';
import { mintToken, type TokenSettings } from '../auth';
import { ApiProblem } from '../problem';
import { PROBLEM_CONTENT_TYPE } from '../problem';
import { endpoint, Problem, type AnyEndpoint } from '../routing';

/**
 * Development sign-in (开发环境登录) for the console: pick a demo identity, get its token. Only when
 * tokens are signed with the published development key, where anyone can mint any token already
 * (scripts/mint-token.ts); never in production, never with a key of one's own.
 */
export interface DevLoginDeps {
  db: Db;
  tokens: TokenSettings;
  /** NODE_ENV; unset (tests that build the configuration by hand) counts as development. */
  environment?: string;
  /** Whether `tokens.secret` is the development key (config usesDevelopmentKey). */
  developmentKey: boolean;
}

const official = (sub: string, name: string, role: Principal['role'], jurisdiction: string, department?: Principal['department']): Principal => ({ sub, name, role, jurisdiction, ...(department ? { department } : {}) });

/** The officials of the seed regions (scripts/demo.ts) and an operator. */
export const DEMO_OFFICIALS: Principal[] = [
  official('demo-industry_it-410100', '郑州市工业和信息化局 演示执法人员', 'enforcement_official', '410100', 'industry_it'),
  official('demo-ecology_environment-410100', '郑州市生态环境局 演示执法人员', 'enforcement_official', '410100', 'ecology_environment'),
  official('demo-approving_government-410100', '郑州市人民政府', 'approving_government', '410100'),
  official('demo-office-410100', '郑州市淘汰落后产能工作领导小组办公室', 'coordination_office', '410100'),
  official('demo-office-410000', '河南省淘汰落后产能工作领导小组办公室', 'coordination_office', '410000'),
  official('demo-industry_it-210300', '鞍山市工业和信息化局 演示执法人员', 'enforcement_official', '210300', 'industry_it'),
  official('demo-market_regulation-350100', '福州市市场监督管理局 演示执法人员', 'enforcement_official', '350100', 'market_regulation'),
  official('demo-approving_government-350100', '福州市人民政府', 'approving_government', '350100'),
  official('demo-industry_it-652300', '昌吉州工业和信息化局 演示执法人员', 'enforcement_official', '652300', 'industry_it'),
  official('demo-industry_it-440200', '韶关市工业和信息化局 演示执法人员', 'enforcement_official', '440200', 'industry_it'),
  { sub: 'demo-operator', name: '运维值班', role: 'operator' },
];

const ZHENGZHOU_GOVERNMENT = DEMO_OFFICIALS[2]!;
const Identities = z
  .object({ items: z.array(Principal) })
  .meta({ id: 'DevIdentities', description: 'Demo identities to sign in as: officials of the seed regions, an operator, and the latest registered enterprises', example: { items: [ZHENGZHOU_GOVERNMENT, { sub: 'demo-ent-91410100MA4000X7QR', name: '郑州中原钢铁有限公司（演示）', role: 'enterprise', creditCode: '91410100MA4000X7QR' }] } });
const DevToken = z.object({ token: z.string(), expiresIn: z.string() }).meta({ id: 'DevToken', example: { token: 'eyJhbGciOiJIUzI1NiJ9.eyJuYW1lIjoi6YOR5bee5biC5Lq65rCR5pS/5bqcIn0.c2lnbmF0dXJl', expiresIn: '8h' } });
const DevTokenRequest = Principal.meta({ id: 'DevTokenRequest', description: 'The identity to sign in as (any, in development: the key is public)', example: ZHENGZHOU_GOVERNMENT });

const refused = () => new ApiProblem(403, 'dev_login_disabled', 'Development sign-in is disabled', '开发环境登录未启用', 'only where tokens are signed with the development key, outside production');

export function devLoginEndpoints(deps: DevLoginDeps): AnyEndpoint[] {
  const enabled = deps.developmentKey && deps.environment !== 'production';
  // Before the body is read: a production deployment says "disabled", not what is wrong with the body.
  const authorise = async () => {
    if (!enabled) throw refused();
  };
  const disabled = { description: 'Not a development deployment (dev_login_disabled)', schema: Problem, contentType: PROBLEM_CONTENT_TYPE };
  return [
    endpoint({
      method: 'get',
      path: '/api/v1/dev/identities',
      operationId: 'listDevIdentities',
      summary: 'Development only: the demo identities to sign in as',
      tags: ['development'],
      auth: false,
      query: z.object({ enterprise: z.string().max(100).optional().meta({ description: 'Only enterprises whose name contains this' }) }).strict(),
      responses: { 200: { description: 'Demo identities', schema: Identities }, 403: disabled },
      authorise,
      async handler({ query }) {
        const { rows } = await deps.db.query(`SELECT credit_code, name FROM enterprises WHERE $1::text IS NULL OR strpos(name, $1) > 0 ORDER BY registered_at DESC LIMIT 30`, [query.enterprise ?? null]);
        const enterprises: Principal[] = rows.map((r) => ({ sub: `demo-ent-${r.credit_code as string}`, name: r.name as string, role: 'enterprise', creditCode: r.credit_code as string }));
        return { status: 200, body: { items: [...DEMO_OFFICIALS, ...enterprises] } };
      },
    }),
    endpoint({
      method: 'post',
      path: '/api/v1/dev/tokens',
      operationId: 'mintDevToken',
      summary: 'Development only: a bearer token for an identity, signed with the development key',
      description: 'Refused (403 dev_login_disabled) in production and wherever tokens are signed with a key of its own.',
      tags: ['development'],
      auth: false,
      body: DevTokenRequest,
      responses: { 200: { description: 'A token valid for 8 hours', schema: DevToken }, 403: disabled },
      authorise,
      async handler({ body }) {
        return { status: 200, body: { token: await mintToken(body, deps.tokens, '8h'), expiresIn: '8h' } };
      },
    }),
  ];
}
