// The embedded default database (PGlite over the wire protocol) runs in a child process here, as
// under `npm start`: PGlite loads parts of itself with dynamic import(), which Jest's module
// sandbox does not allow in-process.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import request from 'supertest';
import { migrate } from '../../db/migrate';
import { PGLITE_POOL_MAX } from '../../scripts/lib/pglite-server';
import { bearer, enterpriseBody, officials, openCaseBody } from '../support/fixtures';
import { eventually, startStack } from '../support/stack';

const root = path.join(__dirname, '..', '..');

async function servePglite(dataDir: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(path.join(root, 'node_modules/.bin/tsx'), [path.join(root, 'scripts/pglite.ts')], {
    env: { ...process.env, PGLITE_DATA_DIR: dataDir, PGLITE_PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    lines.on('line', (l) => l.startsWith('DATABASE_URL=') && resolve(l.slice('DATABASE_URL='.length)));
    child.once('exit', (code) => reject(new Error(`pglite exited with ${code}`)));
  });
  return { url, child };
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

describe('the embedded PGlite default', () => {
  it('keeps concurrent queries and transactions of two processes apart', async () => {
    const dir2 = mkdtempSync(path.join(tmpdir(), 'exitflow-pglite-concurrent-'));
    const server = await servePglite(dir2);
    // Two pools stand for the API and the worker: separate connections, interleaving freely.
    const pools = [new pg.Pool({ connectionString: server.url, max: PGLITE_POOL_MAX }), new pg.Pool({ connectionString: server.url, max: PGLITE_POOL_MAX })];
    try {
      await pools[0]!.query('CREATE TABLE t (who text PRIMARY KEY, n int NOT NULL)');
      const work = Array.from({ length: 120 }, async (_, i) => {
        const db = pools[i % 2]!;
        if (i % 3 === 0) {
          // A transaction that must land whole: two rows, or none when it rolls back.
          const c = await db.connect();
          try {
            await c.query('BEGIN');
            await c.query('INSERT INTO t VALUES ($1, $2)', [`tx${i}a`, i]);
            await c.query('INSERT INTO t VALUES ($1, $2)', [`tx${i}b`, i]);
            await c.query(i % 2 ? 'ROLLBACK' : 'COMMIT');
          } finally {
            c.release();
          }
          return;
        }
        // Parameterised queries of different shapes: each must come back with its own parameters.
        const r = i % 2 ? await db.query('SELECT $1::int * 2 AS v', [i]) : await db.query('SELECT $1::text || $2::text AS v', ['设备', String(i)]);
        expect(r.rows[0].v).toBe(i % 2 ? i * 2 : `设备${i}`);
      });
      await Promise.all(work);
      const { rows } = await pools[1]!.query('SELECT who FROM t ORDER BY who');
      const committed = Array.from({ length: 120 }, (_, i) => i).filter((i) => i % 3 === 0 && i % 2 === 0).flatMap((i) => [`tx${i}a`, `tx${i}b`]).sort();
      expect(rows.map((r) => r.who)).toEqual(committed);
      // A failed statement does not stop the server for everyone else.
      await expect(pools[0]!.query('SELECT * FROM no_such_table')).rejects.toThrow(/does not exist/);
      expect((await pools[1]!.query('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
      await stop(server.child);
      rmSync(dir2, { recursive: true, force: true });
    }
  }, 60_000);

  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'exitflow-pglite-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('takes the same migrations, serves the case slice, and keeps its data across a restart', async () => {
    const first = await servePglite(dir);
    let creditCode: string;
    try {
      await migrate(first.url);
      await migrate(first.url); // a second start applies nothing new and does not fail
      const stack = await startStack({ databaseUrl: first.url, poolMax: PGLITE_POOL_MAX });
      try {
        const auth = await bearer(officials.zhengzhouIndustry);
        const enterprise = enterpriseBody();
        creditCode = enterprise.creditCode;
        expect((await request(stack.app).post('/api/v1/enterprises').set('Authorization', auth).send(enterprise)).status).toBe(201);
        const opened = await request(stack.app).post('/api/v1/cases').set('Authorization', auth).send(openCaseBody(creditCode));
        expect(opened.status).toBe(201);
        await stack.sink.waitFor((m) => m.to.includes(enterprise.contact.email));
        await eventually(async () => {
          const { rows } = await stack.db.query(`SELECT stage FROM cases WHERE case_id = $1`, [opened.body.caseId]);
          return rows[0]?.stage === 'rectification' ? true : undefined;
        });
      } finally {
        await stack.close();
      }
    } finally {
      await stop(first.child);
    }

    const second = await servePglite(dir);
    try {
      const client = new pg.Client({ connectionString: second.url });
      await client.connect();
      const { rows } = await client.query(`SELECT e.name, c.stage FROM enterprises e JOIN cases c USING (credit_code) WHERE e.credit_code = $1`, [creditCode!]);
      await client.end();
      expect(rows).toEqual([{ name: '郑州市中原钢铁有限公司', stage: 'rectification' }]);
    } finally {
      await stop(second.child);
    }
  });
});
