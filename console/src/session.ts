import type { components } from './api/schema';

export type Principal = components['schemas']['DevTokenRequest'];

/** Who is signed in and their bearer token: in this tab's sessionStorage only (never a URL or localStorage). */
export interface Session {
  token: string;
  principal: Principal;
}

const KEY = 'exitflow.session';
const listeners = new Set<() => void>();

export function currentSession(): Session | undefined {
  const raw = sessionStorage.getItem(KEY);
  return raw ? (JSON.parse(raw) as Session) : undefined;
}

export function signIn(session: Session): void {
  sessionStorage.setItem(KEY, JSON.stringify(session));
  listeners.forEach((l) => l());
}

/** Ends the session; `notify: false` when the page is about to be left anyway (nothing re-renders for the old identity). */
export function signOut({ notify = true } = {}): void {
  sessionStorage.removeItem(KEY);
  if (notify) listeners.forEach((l) => l());
}

export function onSessionChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
