import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ConfigSchema, CONFIG_KEYS } from '../config';
import { searchAttributeCliArgs } from '../workflows/search-attributes';
import { WORKER_NODE_OPTIONS } from '../worker/worker';

const root = path.join(__dirname, '..');
const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true });

/** `${VAR:-default}` / `${VAR:?message}` as compose would resolve them with an empty environment plus `given`. */
function interpolate(value: string, given: Record<string, string> = {}): string {
  return value.replace(/\$\{(\w+)(?::-([^}]*)|:\?[^}]*)?\}/g, (_m, name: string, dflt?: string) => given[name] ?? dflt ?? '');
}

function envOf(service: string, given: Record<string, string> = {}): Record<string, string> {
  const env = compose.services[service].environment as Record<string, string>;
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, interpolate(String(v), given)]));
}

describe('docker-compose.yml stays consistent with the code', () => {
  it('describes the production-shaped stack', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ['api', 'exitflow-db', 'migrate', 'smtp', 'temporal', 'temporal-db', 'temporal-setup', 'temporal-ui', 'worker'].sort(),
    );
    expect(compose.services.temporal.image).toMatch(/^temporalio\/auto-setup:/);
    expect(compose.services.temporal.environment.DB).toBe('postgres12');
    expect(compose.services['temporal-ui'].image).toMatch(/^temporalio\/ui:/);
  });

  it('gives the api, worker and migrate job the same environment, all of it known to the config schema', () => {
    const api = envOf('api');
    expect(envOf('worker')).toEqual(api);
    expect(envOf('migrate')).toEqual(api);
    const unknown = Object.keys(api).filter((k) => !(CONFIG_KEYS as string[]).includes(k));
    expect(unknown).toEqual([]);
    const parsed = ConfigSchema.safeParse(envOf('api', { AUTH_JWT_SECRET: 'x'.repeat(40) }));
    expect(parsed.error?.issues ?? []).toEqual([]);
  });

  it('points every address at a service that exists, on the port it serves', () => {
    const env = envOf('api');
    const [temporalHost, temporalPort] = env.TEMPORAL_ADDRESS!.split(':');
    expect(compose.services[temporalHost!].ports).toContain(`${temporalPort}:7233`);
    const db = new URL(env.DATABASE_URL!);
    expect(compose.services[db.hostname].image).toMatch(/^postgres:/);
    expect(compose.services[db.hostname].environment.POSTGRES_DB).toBe(db.pathname.slice(1));
    const smtp = new URL(env.SMTP_URL!);
    expect(compose.services[smtp.hostname].ports).toContain(`${smtp.port}:${smtp.port}`);
    expect(compose.services.api.ports).toContain(`${env.API_PORT}:${env.API_PORT}`);
    expect(env.TEMPORAL_UI_URL).toBe(`http://localhost:${compose.services['temporal-ui'].ports[0].split(':')[0]}`);
  });

  it('requires the token key instead of shipping a default one', () => {
    expect(String(compose.services.api.environment.AUTH_JWT_SECRET)).toMatch(/^\$\{AUTH_JWT_SECRET:\?/);
  });

  it('registers the same search attributes as the dev server', () => {
    const command = String(compose.services['temporal-setup'].command.join(' '));
    const registered = [...command.matchAll(/(Exitflow\w+=\w+)/g)].map((m) => m[1]).sort();
    const expected = searchAttributeCliArgs().filter((a) => a !== '--search-attribute').sort();
    expect(registered).toEqual(expected);
  });

  it('runs the worker with the heap limit it is sized for', () => {
    expect(compose.services.worker.command).toContain(WORKER_NODE_OPTIONS);
  });

  it('builds the api and worker from the Dockerfile, running compiled entry points that exist in the source', () => {
    const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/npx tsc -p tsconfig\.build\.json/);
    for (const s of ['api', 'worker', 'migrate']) {
      expect(compose.services[s].build).toBe('.');
      const entry = (compose.services[s].command as string[]).find((a) => a.endsWith('.js'))!;
      const source = entry.replace(/^dist\//, '').replace(/\.js$/, '.ts');
      expect(() => readFileSync(path.join(root, source))).not.toThrow();
    }
  });
});
