import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { workflowBundle } from './support/stack';
import { AesGcmPayloadCodec } from '../config/payload-codec';

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

  it('keeps the histories recorded before the rules came from the policy (patches authority-from-policy and the others of workflows/PATCHES.md, 2026-11-30)', () => {
    expect(earlier.filter((f) => f.startsWith('before-rules-from-policy/')).length).toBeGreaterThanOrEqual(7);
  });

  it('keeps the campaign histories recorded before the campaign sent its reports (patch campaign-reports)', () => {
    expect(earlier.filter((f) => f.startsWith('before-campaign-reports/campaign-')).length).toBeGreaterThanOrEqual(1);
  });

  it('keeps the histories recorded before Temporal UI got summaries and details (patch ui-metadata)', () => {
    expect(earlier.filter((f) => f.startsWith('before-ui-metadata/')).length).toBeGreaterThanOrEqual(8);
  });

  it('keeps the histories recorded before the case ran its writes and mails as local activities (patch local-steps)', () => {
    expect(earlier.filter((f) => f.startsWith('before-local-steps/')).length).toBeGreaterThanOrEqual(12);
  });

  it('has current histories recorded with the latest patches', () => {
    // A patch marker's payload is {"id":"<patch>",…} in base64; a prefix of a multiple of 3 bytes encodes without padding.
    const marked = (patch: string) => {
      const json = `{"id":"${patch}",`;
      const marker = Buffer.from(json.slice(0, json.length - (json.length % 3))).toString('base64');
      return files.filter((f) => readFileSync(join(DIR, f), 'utf8').includes(marker)).length;
    };
    expect(marked('input-keys-per-caller')).toBeGreaterThanOrEqual(7);
    expect(marked('authority-from-policy')).toBeGreaterThanOrEqual(5);
    expect(marked('technology-exit-deadline')).toBeGreaterThanOrEqual(1);
    expect(marked('punishment-on-late-exit')).toBeGreaterThanOrEqual(1);
    expect(marked('lapse-closure-by-policy')).toBeGreaterThanOrEqual(1);
    expect(marked('campaign-reports')).toBeGreaterThanOrEqual(2);
    expect(marked('campaign-milestones-settled')).toBeGreaterThanOrEqual(2);
    expect(marked('ui-metadata')).toBeGreaterThanOrEqual(8);
    // A continued run (technology-sealed-continued-exited-run2) carries the decision and has no marker of its own.
    expect(marked('local-steps')).toBeGreaterThanOrEqual(11);
  });

  it('replays every history, current and earlier, without a determinism error', async () => {
    const histories = [...files, ...earlier].map((f) => ({ workflowId: f.replace(/\.json$/, ''), history: temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(join(DIR, f), 'utf8'))) }));
    const failures: string[] = [];
    // As production's worker replays them: with the payload codec on (these histories predate it, so their payloads pass through it unchanged).
    const dataConverter = { payloadCodecs: [new AesGcmPayloadCodec([{ id: 'replay', key: randomBytes(32) }])] };
    for await (const result of Worker.runReplayHistories({ workflowBundle: await workflowBundle(), dataConverter }, histories)) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
    // Bundling and replaying every history (about 80) takes 40 s on a quiet machine, minutes on a loaded
    // one (CI builds the cluster's binaries beside it): the limit only stops a hang.
  }, 600_000);
});
