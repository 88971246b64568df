// `npm run token -- --role enforcement_official --department industry_it --jurisdiction 410100 [--sub id] [--name 名字] [--credit-code X] [--expires 8h]`
// Prints a bearer token signed with AUTH_JWT_SECRET (the development key when unset), for curl and local use.
import { parseArgs } from 'node:util';
import { jwtSecret, loadConfig } from '../config';
import { mintToken } from '../api/auth';
import { Principal } from '../domain/roles';

const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    department: { type: 'string' },
    jurisdiction: { type: 'string' },
    sub: { type: 'string' },
    name: { type: 'string' },
    'credit-code': { type: 'string' },
    expires: { type: 'string', default: '8h' },
  },
});

const config = loadConfig({ DATABASE_URL: 'postgres://unused', ...process.env });
const principal = Principal.safeParse({
  sub: values.sub ?? `${values.role}-${values.jurisdiction ?? 'all'}`,
  name: values.name ?? values.sub ?? values.role,
  role: values.role,
  department: values.department,
  jurisdiction: values.jurisdiction,
  creditCode: values['credit-code'],
});
if (!principal.success) {
  console.error(principal.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n'));
  process.exit(2);
}
mintToken(principal.data, { secret: jwtSecret(config), issuer: config.AUTH_JWT_ISSUER, audience: config.AUTH_JWT_AUDIENCE }, values.expires).then((t) => console.log(t));
