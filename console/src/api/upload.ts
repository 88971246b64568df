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

type ReportUpload = paths['/api/v1/public/reports/{trackingNumber}/evidence']['post'];

/**
 * POST …/public/reports/{trackingNumber}/evidence with upload progress, the secret in its header only
 * (never in the URL: a query lands in logs and histories).
 */
export function uploadReportEvidence(trackingNumber: string, secret: string, file: File, onProgress: (percent: number) => void): Promise<Schemas['ReportEvidence']> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const query: NonNullable<ReportUpload['parameters']['query']> = { filename: file.name };
    xhr.open('POST', `/api/v1/public/reports/${encodeURIComponent(trackingNumber)}/evidence?${new URLSearchParams(query as Record<string, string>).toString()}`);
    xhr.setRequestHeader('X-Report-Secret', secret);
    xhr.setRequestHeader('Content-Type', file.type);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(Math.round((e.loaded / e.total) * 100));
    xhr.onload = () => {
      const body = JSON.parse(xhr.responseText || '{}') as unknown;
      if (xhr.status < 300) resolve(body as Schemas['ReportEvidence']);
      else reject(body as Problem);
    };
    xhr.onerror = () => reject(new Error('network'));
    xhr.send(file);
  });
}
