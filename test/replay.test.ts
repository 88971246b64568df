import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { workflowBundle } from './support/stack';

/**
 * Recorded histories of each path (test/histories, written by the lifecycle tests with
 * RECORD_HISTORIES=1) replayed through the current workflow code: a change that would break a
 * running case fails here (use patched() for such a change, then record again).
 */
const DIR = join(__dirname, 'histories');
const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();

describe('recorded case histories replay through the current workflow code', () => {
  it('has histories of the paths', () => {
    expect(files.length).toBeGreaterThanOrEqual(7);
  });

  it('replays every history without a determinism error', async () => {
    const histories = files.map((f) => ({ workflowId: f.replace(/\.json$/, ''), history: temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(join(DIR, f), 'utf8'))) }));
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle: await workflowBundle() }, histories)) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
  });
});
