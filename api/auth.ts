import type { RequestHandler } from 'express';
import { jwtVerify, SignJWT, errors as joseErrors } from 'jose';
import { Principal } from '../domain/roles';
import type { Decision } from '../domain/roles';
import { DEFAULT_TOKEN_MAX_AGE_HOURS } from '../config';
import { fieldErrors, problems } from './problem';

export interface TokenSettings {
  secret: string;
  issuer: string;
  audience: string;
  /** The longest lifetime (exp − iat) a token may have, in hours (AUTH_TOKEN_MAX_AGE_HOURS); verification only. */
  maxLifetimeHours?: number;
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

/** Why a token was refused, in words the caller can act on. */
function refusal(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return err.claim === 'iat' ? 'the token is older than allowed' : 'the token has expired';
  if (err instanceof joseErrors.JWTClaimValidationFailed && ['exp', 'iat'].includes(err.claim)) {
    return err.reason === 'missing' ? `the token has no ${err.claim} claim (tokens must say when they were issued and when they expire)` : `the token's ${err.claim} claim is not valid: ${err.message}`;
  }
  return 'the token is not valid';
}

/**
 * Require a valid bearer token; its claims become `req.principal`. Missing, expired, forged, without
 * exp and iat, or issued for longer than allowed: 401. A token is a password that leaks (logs, shell
 * histories, screenshots), so none may be valid for ever or for weeks.
 */
export function authenticate(s: TokenSettings): RequestHandler {
  const maxHours = s.maxLifetimeHours ?? DEFAULT_TOKEN_MAX_AGE_HOURS;
  return async (req, res, next) => {
    // The answer depends on who asks: no cache (browser, proxy) may keep it, refusals included.
    res.setHeader('Cache-Control', 'no-store');
    const header = req.get('authorization');
    const match = header?.match(/^Bearer\s+(\S+)$/i);
    if (!match) throw problems.unauthenticated('Authorization: Bearer <token> header is missing');
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(match[1] as string, key(s.secret), {
        issuer: s.issuer,
        audience: s.audience,
        algorithms: ['HS256'],
        requiredClaims: ['exp', 'iat'],
        // Also refuses an iat in the future (a token minted ahead of its time).
        maxTokenAge: `${maxHours}h`,
      }));
    } catch (err) {
      throw problems.unauthenticated(refusal(err));
    }
    const lifetimeHours = ((payload.exp as number) - (payload.iat as number)) / 3600;
    if (lifetimeHours > maxHours) {
      throw problems.unauthenticated(`the token's lifetime (exp − iat) is ${Math.round(lifetimeHours)} h; at most ${maxHours} h is accepted`);
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
