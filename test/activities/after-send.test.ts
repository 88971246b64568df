import { storeAfterSend } from '../../activities/after-send';

// After an e-mail has left or a platform has acknowledged, the record of it is retried until
// PostgreSQL takes it, so the activity does not fail and send again.
describe('storeAfterSend', () => {
  const noSleep = async () => {};

  it('keeps trying the write while PostgreSQL is down, and returns what it stored', async () => {
    let calls = 0;
    const stored = await storeAfterSend(async () => {
      calls++;
      if (calls < 4) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      return 'sent';
    }, { sleep: noSleep });
    expect(stored).toBe('sent');
    expect(calls).toBe(4);
  });

  it('gives up with the last error once its time budget is spent', async () => {
    let calls = 0;
    await expect(
      storeAfterSend(async () => {
        calls++;
        throw new Error(`still down (${calls})`);
      }, { budgetMs: 0, sleep: noSleep }),
    ).rejects.toThrow('still down (1)');
  });
});
