import type { RequestHandler } from 'express';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, SignJWT, errors as joseErrors, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { Principal, Role, ROLES } from '../domain/roles';
import type { Decision } from '../domain/roles';
import { DEFAULT_TOKEN_MAX_AGE_HOURS } from '../config';
import { fieldErrors, problems } from './problem';

export interface TokenSettings {
  secret: string;
  issuer: string;
  audience: string;
  /** The longest lifetime (exp − iat) a token may have, in hours (AUTH_TOKEN_MAX_AGE_HOURS); verification only. */
  maxLifetimeHours?: number;
  /** A government single sign-on whose tokens are accepted beside the shared-secret ones (AUTH_OIDC_*). */
  oidc?: OidcSettings;
}

export interface OidcSettings {
  issuer: string;
  jwksUrl: string;
  audience: string;
  /**
   * Prefix of the claims carrying exitflow's own attributes (AUTH_OIDC_CLAIM_PREFIX, `exitflow_`):
   * `exitflow_role`, `exitflow_department`, `exitflow_jurisdiction`, `exitflow_credit_code`; `sub` and
   * `name` are OIDC's standard claims. Namespaced, so an identity provider's own `role` cannot grant one of exitflow's.
   */
  claimPrefix: string;
}

/** The single sign-on claim carrying each Principal field besides sub and name. */
export function oidcClaimNames(prefix: string) {
  return { role: `${prefix}role`, department: `${prefix}department`, jurisdiction: `${prefix}jurisdiction`, creditCode: `${prefix}credit_code` } as const;
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
  const verify = {
    requiredClaims: ['exp', 'iat'],
    // Also refuses an iat in the future (a token minted ahead of its time).
    maxTokenAge: `${maxHours}h`,
  };
  // Fetched on first use and cached; a token signed with an unknown key id refetches (key rotation).
  const oidcKeys: JWTVerifyGetKey | undefined = s.oidc && createRemoteJWKSet(new URL(s.oidc.jwksUrl));
  return async (req, res, next) => {
    // The answer depends on who asks: no cache (browser, proxy) may keep it, refusals included.
    res.setHeader('Cache-Control', 'no-store');
    const header = req.get('authorization');
    const match = header?.match(/^Bearer\s+(\S+)$/i);
    if (!match) throw problems.unauthenticated('Authorization: Bearer <token> header is missing');
    const token = match[1] as string;
    // The algorithm picks the verifier, and each verifier accepts only its own algorithms (no HS/RS confusion).
    const singleSignOn = s.oidc && oidcKeys && algorithmOf(token) !== 'HS256' ? { oidc: s.oidc, keys: oidcKeys } : undefined;
    let payload: JWTPayload;
    try {
      ({ payload } = singleSignOn
        ? await jwtVerify(token, singleSignOn.keys, { ...verify, issuer: singleSignOn.oidc.issuer, audience: singleSignOn.oidc.audience, algorithms: ['RS256', 'ES256'] })
        : await jwtVerify(token, key(s.secret), { ...verify, issuer: s.issuer, audience: s.audience, algorithms: ['HS256'] }));
    } catch (err) {
      // The caller's token may be fine: the single sign-on's key set could not be had (down, timed out).
      if (singleSignOn && (err instanceof joseErrors.JWKSTimeout || !(err instanceof joseErrors.JOSEError))) {
        throw problems.unavailable('the single sign-on key set (AUTH_OIDC_JWKS_URL) could not be fetched');
      }
      throw problems.unauthenticated(refusal(err));
    }
    const lifetimeHours = ((payload.exp as number) - (payload.iat as number)) / 3600;
    if (lifetimeHours > maxHours) {
      throw problems.unauthenticated(`the token's lifetime (exp − iat) is ${Math.round(lifetimeHours)} h; at most ${maxHours} h is accepted`);
    }
    req.principal = singleSignOn ? singleSignOnPrincipal(payload, singleSignOn.oidc.claimPrefix) : sharedSecretPrincipal(payload);
    next();
  };
}

function algorithmOf(token: string): string | undefined {
  try {
    return decodeProtectedHeader(token).alg;
  } catch {
    return undefined;
  }
}

function sharedSecretPrincipal(payload: JWTPayload): Principal {
  const parsed = Principal.safeParse(payload);
  if (!parsed.success) throw problems.unauthenticated(`the token's claims are incomplete: ${fieldErrors(parsed.error).map((e) => e.field).join(', ')}`);
  return parsed.data;
}

/**
 * A single sign-on token proves who the caller is; whether they may use exitflow, and as what, is
 * its role claim. Without a valid one the caller is known but not allowed (403), told which claim.
 */
function singleSignOnPrincipal(payload: JWTPayload, prefix: string): Principal {
  const claims = oidcClaimNames(prefix);
  const role = Role.safeParse(payload[claims.role]);
  if (!role.success) {
    throw problems.forbidden(`the single sign-on token has no valid ${claims.role} claim (one of ${ROLES.join(', ')}) / 单点登录令牌缺少有效的 ${claims.role} 声明（角色）`);
  }
  const candidate = {
    sub: payload.sub,
    name: payload.name,
    role: role.data,
    department: payload[claims.department],
    jurisdiction: payload[claims.jurisdiction],
    creditCode: payload[claims.creditCode],
  };
  const parsed = Principal.safeParse(candidate);
  if (!parsed.success) {
    const named = fieldErrors(parsed.error).map((e) => (e.field in claims ? claims[e.field as keyof typeof claims] : e.field));
    throw problems.unauthenticated(`the single sign-on token's claims are incomplete or invalid: ${named.join(', ')} / 单点登录令牌的声明不完整或无效：${named.join('、')}`);
  }
  return parsed.data;
}

/** Throw 403 with the reason when a decision denies. */
export function authorise(decision: Decision): void {
  if (!decision.allowed) throw problems.forbidden(decision.reason);
}
