import type { paths } from './schema';
import type { Problem, Schemas } from './client';
import { currentSession } from '../session';

type Upload = paths['/api/v1/cases/{caseId}/evidence']['post'];
export type EvidenceQuery = Upload['parameters']['query'];

/**
 * POST …/evidence with upload progress. fetch (and so the generated client) reports no upload
 * progress, so this one call uses XMLHttpRequest; its path, query and answer are the document's types.
 */
export function uploadEvidence(caseId: string, file: File, query: EvidenceQuery, onProgress: (percent: number) => void): Promise<Schemas['Evidence']> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const params = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => typeof e[1] === 'string'));
    xhr.open('POST', `/api/v1/cases/${encodeURIComponent(caseId)}/evidence?${params.toString()}`);
    const token = currentSession()?.token;
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.setRequestHeader('Content-Type', file.type);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(Math.round((e.loaded / e.total) * 100));
    xhr.onload = () => {
      const body = JSON.parse(xhr.responseText || '{}') as unknown;
      if (xhr.status < 300) resolve(body as Schemas['Evidence']);
      else reject(body as Problem);
    };
    xhr.onerror = () => reject(new Error('network'));
    xhr.send(file);
  });
}
