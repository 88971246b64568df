import { ApplicationFailure } from '@temporalio/common';
import { createActivities } from '../../activities';
import { createMailer } from '../../activities/mailer';
import { createPool, type Db } from '../../db/pool';

// A PostgreSQL data error (here U+0000, which jsonb refuses) is not an outage: the activity fails for
// good instead of retrying for ever and holding up every later step of the case.
let db: Db;
beforeAll(() => {
  db = createPool(process.env.TEST_DATABASE_URL as string, 2);
});
afterAll(async () => {
  await db.end();
});

it('fails a step PostgreSQL refuses for its data as non-retryable, naming the SQLSTATE', async () => {
  const mailer = createMailer('smtp://127.0.0.1:9', 'exitflow <noreply@exitflow.local>');
  const acts = createActivities({ db, mailer, publicBaseUrl: 'http://localhost:3000' });
  const err = await acts
    .recordStage({ caseId: 'case-000000-nonexistent', stage: 'rectification', occurredAt: new Date().toISOString(), idempotencyKey: `data-error-${Date.now()}`, detail: { reason: 'a\u0000b' } })
    .catch((e: unknown) => e);
  mailer.close();
  expect(err).toBeInstanceOf(ApplicationFailure);
  expect((err as ApplicationFailure).nonRetryable).toBe(true);
  expect((err as ApplicationFailure).type).toBe('invalid_data');
  expect((err as ApplicationFailure).message).toMatch(/SQLSTATE 22/);
});

it('keeps retrying an outage (a refused connection is not a data error)', async () => {
  const away = createPool('postgres://postgres@127.0.0.1:9/none', 1);
  const mailer = createMailer('smtp://127.0.0.1:9', 'exitflow <noreply@exitflow.local>');
  const acts = createActivities({ db: away, mailer, publicBaseUrl: 'http://localhost:3000' });
  const err = await acts.recordStage({ caseId: 'c', stage: 's', occurredAt: new Date().toISOString(), idempotencyKey: 'k' }).catch((e: unknown) => e);
  mailer.close();
  await away.end();
  expect(err).not.toBeInstanceOf(ApplicationFailure);
});
