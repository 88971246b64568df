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
// Histories recorded by earlier workflow code (a folder per change that patched() a path): the
// runs started before a change must go on replaying after it.
const earlier = readdirSync(DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) => readdirSync(join(DIR, d.name)).filter((f) => f.endsWith('.json')).map((f) => join(d.name, f)))
  .sort();

describe('recorded case histories replay through the current workflow code', () => {
  it('has histories of the paths', () => {
    expect(files.length).toBeGreaterThanOrEqual(7);
  });

  it('keeps the histories recorded before the steps that now run together', () => {
    expect(earlier.filter((f) => f.startsWith('before-steps-together/')).length).toBeGreaterThanOrEqual(7);
  });

  it('keeps the histories recorded before repeated inputs were told apart by caller (patch input-keys-per-caller)', () => {
    expect(earlier.filter((f) => f.startsWith('before-input-keys-per-caller/')).length).toBeGreaterThanOrEqual(7);
  });

  it('has current histories recorded with the patch', () => {
    // A patch marker's payload is {"id":"<patch>",…} in base64; 30 bytes of prefix encode without padding.
    const marker = Buffer.from('{"id":"input-keys-per-caller",').toString('base64');
    const marked = files.filter((f) => readFileSync(join(DIR, f), 'utf8').includes(marker));
    expect(marked.length).toBeGreaterThanOrEqual(7);
  });

  it('replays every history, current and earlier, without a determinism error', async () => {
    const histories = [...files, ...earlier].map((f) => ({ workflowId: f.replace(/\.json$/, ''), history: temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(join(DIR, f), 'utf8'))) }));
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle: await workflowBundle() }, histories)) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
  });
});
