import { useEffect, useState } from 'react';
import { currentSession, onSessionChange, type Session } from '../session';

export function useSession(): Session | undefined {
  const [session, setSession] = useState(currentSession);
  useEffect(() => onSessionChange(() => setSession(currentSession())), []);
  return session;
}
