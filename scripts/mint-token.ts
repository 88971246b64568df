// `npm run token -- --role enforcement_official --department industry_it --jurisdiction 410100 [--sub id] [--name 名字] [--credit-code X] [--expires 8h]`
// Prints a bearer token signed with AUTH_JWT_SECRET (the development key when unset), for curl and local use.
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { jwtSecret, loadConfig } from '../config';
import { mintToken } from '../api/auth';
import { Principal } from '../domain/roles';

const OPTIONS = {
  role: { type: 'string' },
  department: { type: 'string' },
  jurisdiction: { type: 'string' },
  sub: { type: 'string' },
  name: { type: 'string' },
  'credit-code': { type: 'string' },
  expires: { type: 'string', default: '8h' },
} as const;

export type TokenArgs = Partial<Record<Exclude<keyof typeof OPTIONS, 'expires'>, string>>;

/**
 * The subject of an identity minted without `--sub`: stable (the same flags give the same subject, so
 * its idempotency keys and audit entries stay its own) and different for every other identity (two
 * officials of one jurisdiction, or two enterprises, must never share Idempotency-Keys or audit lines).
 */
export function defaultSubject(a: TokenArgs): string {
  const identity = JSON.stringify([a.role, a.department, a.jurisdiction, a['credit-code'], a.name]);
  return `${a.role}-${createHash('sha256').update(identity).digest('hex').slice(0, 12)}`;
}

/** The principal the flags describe, checked against the same schema the API reads tokens with. */
export function principalFromArgs(a: TokenArgs) {
  return Principal.safeParse({
    sub: a.sub ?? defaultSubject(a),
    name: a.name ?? a.sub ?? a.role,
    role: a.role,
    department: a.department,
    jurisdiction: a.jurisdiction,
    creditCode: a['credit-code'],
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: OPTIONS });
  const config = loadConfig({ DATABASE_URL: 'postgres://unused', ...process.env });
  const principal = principalFromArgs(values);
  if (!principal.success) {
    console.error(principal.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n'));
    process.exit(2);
  }
  console.log(await mintToken(principal.data, { secret: jwtSecret(config), issuer: config.AUTH_JWT_ISSUER, audience: config.AUTH_JWT_AUDIENCE }, values.expires));
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
