import type { RequestHandler } from 'express';
import { jwtVerify, SignJWT, errors as joseErrors } from 'jose';
import { Principal } from '../domain/roles';
import type { Decision } from '../domain/roles';
import { fieldErrors, problems } from './problem';

export interface TokenSettings {
  secret: string;
  issuer: string;
  audience: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

const key = (secret: string) => new TextEncoder().encode(secret);

/** Sign a bearer token for a principal (scripts/mint-token.ts and tests). */
export async function mintToken(principal: Principal, s: TokenSettings, expiresIn: string | number = '8h'): Promise<string> {
  const { sub, ...claims } = principal;
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setIssuer(s.issuer).setAudience(s.audience).setIssuedAt().setExpirationTime(expiresIn).sign(key(s.secret));
}

/** Require a valid bearer token; its claims become `req.principal`. Missing, expired or forged: 401. */
export function authenticate(s: TokenSettings): RequestHandler {
  return async (req, _res, next) => {
    const header = req.get('authorization');
    const match = header?.match(/^Bearer\s+(\S+)$/i);
    if (!match) throw problems.unauthenticated('Authorization: Bearer <token> header is missing');
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(match[1] as string, key(s.secret), { issuer: s.issuer, audience: s.audience, algorithms: ['HS256'] }));
    } catch (err) {
      const why = err instanceof joseErrors.JWTExpired ? 'the token has expired' : 'the token is not valid';
      throw problems.unauthenticated(why);
    }
    const parsed = Principal.safeParse(payload);
    if (!parsed.success) throw problems.unauthenticated(`the token's claims are incomplete: ${fieldErrors(parsed.error).map((e) => e.field).join(', ')}`);
    req.principal = parsed.data;
    next();
  };
}

/** Throw 403 with the reason when a decision denies. */
export function authorise(decision: Decision): void {
  if (!decision.allowed) throw problems.forbidden(decision.reason);
}
