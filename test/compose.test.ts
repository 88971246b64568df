import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { CONFIG_KEYS, loadConfig } from '../config';
import { NUM_HISTORY_SHARDS, TEMPORAL_SERVER_VERSION, TEMPORAL_UI_VERSION } from '../scripts/lib/temporal-cluster';
import { WORKER_HEAP_MIB, WORKER_NODE_OPTIONS } from '../worker/worker';

const root = path.join(__dirname, '..');
const composeText = readFileSync(path.join(root, 'docker-compose.yml'), 'utf8');
const compose = parse(composeText, { merge: true });
const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
const services = compose.services as Record<string, Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
/** The secrets the stack needs, as the operator would set them. */
const SECRETS = {
  AUTH_JWT_SECRET: 'x'.repeat(40),
  METRICS_TOKEN: 'm'.repeat(24),
  EXITFLOW_DB_PASSWORD: 'p',
  PAYLOAD_CODEC_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`,
  REPORTER_IDENTITY_KEY: Buffer.alloc(32, 2).toString('base64'),
};
/** A variable that holds a secret by its name. */
/** (TEMPORAL_CODEC_PASS_ACCESS_TOKEN is a switch: whether the UI forwards the signed-in operator's token.) */
const SECRET_NAME = /PASSWORD|PWD|SECRET|(?<!_PASS_ACCESS)_TOKEN$|PRIVATE_KEY|_KEYS?$/;

/** `512M`, `1.5g`, `1536m` → MiB. */
function mebibytes(size: string | number): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]?)i?b?$/i.exec(String(size).trim());
  if (!m) throw new Error(`not a size: ${size}`);
  const unit = m[2]!.toLowerCase();
  return Number(m[1]) * (unit === 'g' ? 1024 : unit === 'k' ? 1 / 1024 : unit === 'm' ? 1 : 1 / 1024 / 1024);
}

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
      ['api', 'exitflow-db', 'migrate', 'smtp', 'temporal', 'temporal-db', 'temporal-schema', 'temporal-setup', 'temporal-ui', 'worker'].sort(),
    );
    expect(compose.services.temporal.image).toMatch(/^temporalio\/server:/);
    expect(compose.services.temporal.environment.DB).toBe('postgres12');
    expect(compose.services['temporal-ui'].image).toMatch(/^temporalio\/ui:/);
  });

  it('gives the api, worker and migrate job the same environment, which the production configuration accepts', () => {
    const api = envOf('api');
    expect(envOf('worker')).toEqual(api);
    expect(envOf('migrate')).toEqual(api);
    const unknown = Object.keys(api).filter((k) => !(CONFIG_KEYS as string[]).includes(k));
    expect(unknown).toEqual([]);
    // As the API and worker load it at start (production refuses, e.g., clear-text payloads without codec keys).
    const config = loadConfig(envOf('api', SECRETS));
    expect(config.NODE_ENV).toBe('production');
    expect(config.PAYLOAD_CODEC_KEYS).toBe(SECRETS.PAYLOAD_CODEC_KEYS);
  });

  it('points every address at a service that exists, on the port it serves', () => {
    const env = envOf('api');
    const [temporalHost, temporalPort] = env.TEMPORAL_ADDRESS!.split(':');
    expect(compose.services[temporalHost!].expose).toContain(temporalPort);
    const db = new URL(env.DATABASE_URL!);
    expect(compose.services[db.hostname].image).toMatch(/^postgres:/);
    expect(compose.services[db.hostname].environment.POSTGRES_DB).toBe(db.pathname.slice(1));
    const smtp = new URL(env.SMTP_URL!);
    expect(compose.services[smtp.hostname].expose).toContain(smtp.port);
    expect(compose.services.api.ports).toContain(`${env.API_PORT}:${env.API_PORT}`);
    expect(env.TEMPORAL_UI_URL).toBe(`http://localhost:${compose.services['temporal-ui'].ports[0].split(':')[0]}`);
  });

  it('requires the token key instead of shipping a default one', () => {
    expect(String(compose.services.api.environment.AUTH_JWT_SECRET)).toMatch(/^\$\{AUTH_JWT_SECRET:\?/);
  });

  it('sets up the namespace and search attributes with the code the local cluster runs, not a copied list', () => {
    const setup = services['temporal-setup']!;
    expect(setup.command).toEqual(['node', 'dist/scripts/temporal-setup.js']);
    expect(readFileSync(path.join(root, 'scripts/temporal-setup.ts'), 'utf8')).toMatch(/prepareNamespace\(/);
    expect(readFileSync(path.join(root, 'scripts/lib/temporal-cluster.ts'), 'utf8')).toMatch(/await prepareNamespace\(address, namespace\)/);
    expect(setup.environment.TEMPORAL_ADDRESS).toBe(envOf('api').TEMPORAL_ADDRESS);
    expect(setup.environment.TEMPORAL_NAMESPACE).toBe(envOf('api').TEMPORAL_NAMESPACE);
    expect(setup.depends_on.temporal.condition).toBe('service_healthy');
  });

  it('runs the Temporal server and UI versions the cluster tier builds and tests, with the same configuration file', () => {
    const version = (image: string) => image.split(':')[1];
    expect(version(services.temporal!.image)).toBe(TEMPORAL_SERVER_VERSION);
    expect(version(services['temporal-schema']!.image)).toBe(TEMPORAL_SERVER_VERSION);
    expect(version(services['temporal-ui']!.image)).toBe(TEMPORAL_UI_VERSION);
    // config/temporal mounted, and the server pointed at its template and dynamic config there.
    const env = services.temporal!.environment as Record<string, string>;
    const mount = (services.temporal!.volumes as string[]).find((v) => v.startsWith('./config/temporal:'))!;
    const dir = mount.split(':')[1]!;
    expect(env.TEMPORAL_SERVER_CONFIG_FILE_PATH).toBe(`${dir}/server.yaml`);
    expect(env.DYNAMIC_CONFIG_FILE_PATH).toBe(`${dir}/dynamicconfig.yaml`);
    // Every variable given to the server is one the template reads (none is silently ignored).
    const template = readFileSync(path.join(root, 'config/temporal/server.yaml'), 'utf8');
    const read = new Set([...template.matchAll(/env "(\w+)"/g)].map((m) => m[1]!));
    expect(Object.keys(env).filter((k) => k !== 'TEMPORAL_SERVER_CONFIG_FILE_PATH' && !read.has(k))).toEqual([]);
    expect(template.split('\n')[0]).toBe('# enable-template');
    expect(env.NUM_HISTORY_SHARDS).toBe(String(NUM_HISTORY_SHARDS));
    // The databases the schema job sets up are the ones the server uses.
    const script = (services['temporal-schema']!.command as string[]).join(' ');
    for (const db of [env.DBNAME, env.VISIBILITY_DBNAME]) expect(script).toMatch(new RegExp(`--db ${db} setup-schema`));
  });

  it('runs the worker with the heap limit it is sized for', () => {
    expect(compose.services.worker.command).toContain(WORKER_NODE_OPTIONS);
  });

  it('builds the api and worker from the Dockerfile, running compiled entry points that exist in the source', () => {
    expect(dockerfile).toMatch(/npx tsc -p tsconfig\.build\.json/);
    for (const s of ['api', 'worker', 'migrate', 'temporal-setup']) {
      expect(compose.services[s].build).toBe('.');
      const entry = (compose.services[s].command as string[]).find((a) => a.endsWith('.js'))!;
      const source = entry.replace(/^dist\//, '').replace(/\.js$/, '.ts');
      expect(() => readFileSync(path.join(root, source))).not.toThrow();
    }
  });
});

describe('docker-compose.yml is safe to expose', () => {
  it('publishes neither the Temporal frontend nor the mailbox: only the API and the signed-in UI reach the host', () => {
    const published = Object.entries(services).flatMap(([name, s]) => ((s.ports ?? []) as (string | { target: number })[]).map((p) => ({ name, target: typeof p === 'string' ? Number(p.split(':').pop()) : p.target })));
    expect(published).toEqual([
      { name: 'temporal-ui', target: 8080 },
      { name: 'api', target: Number(envOf('api').API_PORT) },
    ]);
    expect(services.temporal!.ports).toBeUndefined();
    expect(services.smtp!.ports).toBeUndefined();
  });

  it('runs Temporal UI read-only, behind OIDC sign-in configured from the environment', () => {
    const ui = services['temporal-ui']!.environment as Record<string, string>;
    expect(ui.TEMPORAL_DISABLE_WRITE_ACTIONS).toBe('true');
    expect(ui.TEMPORAL_AUTH_ENABLED).toBe('true');
    expect(ui.TEMPORAL_AUTH_TYPE).toBe('oidc');
    for (const name of ['TEMPORAL_AUTH_PROVIDER_URL', 'TEMPORAL_AUTH_CLIENT_ID', 'TEMPORAL_AUTH_CLIENT_SECRET', 'TEMPORAL_AUTH_CALLBACK_URL']) {
      expect(ui[name]).toMatch(new RegExp(`^\\$\\{${name}:\\?`));
    }
    // Payloads are encrypted: the UI reads them through the API's codec endpoint with the operator's own token.
    expect(ui.TEMPORAL_CODEC_ENDPOINT).toMatch(/\/codec$/);
    expect(ui.TEMPORAL_CODEC_PASS_ACCESS_TOKEN).toBe('true');
  });

  it('has no default password or secret: each is required from the environment', () => {
    // Anywhere in the file, a secret's variable never falls back to a value.
    const fallbacks = [...composeText.matchAll(/\$\{(\w+):?-/g)].map((m) => m[1]!).filter((name) => SECRET_NAME.test(name));
    expect(fallbacks).toEqual([]);
    // Every setting named like a secret takes it from a required variable, never a literal.
    const literal: string[] = [];
    for (const [name, s] of Object.entries(services)) {
      for (const [key, value] of Object.entries((s.environment ?? {}) as Record<string, unknown>)) {
        if (SECRET_NAME.test(key) && !/^\$\{\w+:\?[^}]+\}$/.test(String(value))) literal.push(`${name}.${key}`);
      }
    }
    expect(literal).toEqual([]);
    // A password inside a URL, too.
    const db = envOf('api', SECRETS).DATABASE_URL!;
    expect(new URL(db).password).toBe(SECRETS.EXITFLOW_DB_PASSWORD);
    expect(String(services.api!.environment.DATABASE_URL)).toMatch(/:\$\{EXITFLOW_DB_PASSWORD:\?[^}]+\}@/);
  });

  it('checks the health of every service; only one-shot jobs, which others wait to complete, turn it off', () => {
    const awaited = new Set(
      Object.values(services).flatMap((s) => Object.entries((s.depends_on ?? {}) as Record<string, { condition?: string }>).filter(([, d]) => d.condition === 'service_completed_successfully').map(([name]) => name)),
    );
    for (const [name, s] of Object.entries(services)) {
      expect([name, s.healthcheck !== undefined]).toEqual([name, true]);
      if (s.healthcheck.disable) expect([name, awaited.has(name), s.restart]).toEqual([name, true, 'no']);
      else expect([name, (s.healthcheck.test as string[]).length > 0]).toEqual([name, true]);
    }
    // The worker's check asks the port it serves /health on.
    const workerPort = envOf('worker').WORKER_METRICS_PORT!;
    expect(services.worker!.healthcheck.test.join(' ')).toContain(`localhost:${workerPort}/health`);
    expect(services.api!.healthcheck.test.join(' ')).toContain(`localhost:${envOf('api').API_PORT}/health`);
  });

  it('sets up Temporal\'s schemas with a job of admin-tools (not the deprecated auto-setup), at the server\'s version', () => {
    expect(Object.values(services).map((s) => String(s.image ?? ''))).not.toContainEqual(expect.stringMatching(/auto-setup/));
    const job = services['temporal-schema']!;
    expect(job.image).toMatch(/^temporalio\/admin-tools:/);
    const script = (job.command as string[]).join(' ');
    for (const [db, dir] of [['temporal', 'temporal'], ['temporal_visibility', 'visibility']]) {
      expect(script).toMatch(new RegExp(`--db ${db} setup-schema -v 0\\.0`));
      expect(script).toMatch(new RegExp(`--db ${db} update-schema -d /etc/temporal/schema/postgresql/v12/${dir}/versioned`));
    }
    expect(services.temporal!.depends_on['temporal-schema'].condition).toBe('service_completed_successfully');
    const version = (image: string) => image.split(':')[1];
    expect(version(job.image)).toBe(version(services.temporal!.image));
  });

  it('gives the worker more memory than its heap, and every long-running service time to stop', () => {
    const limit = mebibytes(services.worker!.deploy.resources.limits.memory);
    // The SDK core, workflow isolates and buffers live outside the V8 heap (RSS ~1.05 GiB with a 640 MiB heap, bench/scale.ts).
    expect(limit).toBeGreaterThanOrEqual(WORKER_HEAP_MIB + 512);
    expect(services.worker!.mem_limit === undefined || mebibytes(services.worker!.mem_limit) >= limit).toBe(true);
    for (const name of ['worker', 'api', 'temporal', 'temporal-db', 'exitflow-db']) expect([name, typeof services[name]!.stop_grace_period]).toEqual([name, 'string']);
  });
});

describe('Dockerfile', () => {
  it('builds on a current Node LTS and checks its own health', () => {
    const majors = [...dockerfile.matchAll(/^FROM node:(\d+)/gm)].map((m) => Number(m[1]));
    expect(majors.length).toBeGreaterThan(0);
    for (const major of majors) expect(major).toBeGreaterThanOrEqual(22);
    expect(dockerfile).toMatch(/^HEALTHCHECK /m);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(readFileSync(path.join(root, '.dockerignore'), 'utf8')).toMatch(/^(\*\*\/)?node_modules$/m);
  });
});
