import createClient from 'openapi-fetch';
import type { components, paths } from './schema';
import { currentSession, signOut } from '../session';

export type Schemas = components['schemas'];
export type Problem = Schemas['Problem'];

/** The API, typed from its own OpenAPI document (schema.d.ts, `npm run console:client`). */
export const api = createClient<paths>({ baseUrl: window.location.origin });

api.use({
  onRequest({ request }) {
    const session = currentSession();
    if (session) request.headers.set('Authorization', `Bearer ${session.token}`);
    return request;
  },
  onResponse({ response }) {
    // An expired or refused token: sign in again.
    if (response.status === 401 && currentSession()) signOut();
    return response;
  },
});

/** The problem an answer carried (problem+json), or a stand-in for a network failure. */
export function asProblem(error: unknown): Problem {
  if (error && typeof error === 'object' && 'code' in error && 'status' in error) return error as Problem;
  return { type: 'about:blank', title: 'Request failed', titleZh: '请求失败', status: 0, code: 'network', instance: '', requestId: '' };
}

/** The data of an answer, or throws its problem (for loaders that show one error). */
export async function must<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error } = await call;
  if (error !== undefined || data === undefined) throw asProblem(error);
  return data;
}
