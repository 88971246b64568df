import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { jwtSecret } from '../config';

/**
 * Who reported (举报人), sealed before it reaches PostgreSQL: AES-256-GCM with the report's tracking
 * number as associated data (a sealed identity copied onto another report does not open). A dump, a
 * backup or a read replica shows bytes; only the API's verifying-department endpoint and the reply
 * mail open it. 举报人信息严格保密 (信访工作条例 第四十一条; 监察法 第六十五条 泄露举报人信息的追责).
 */
export interface ReporterIdentity {
  name: string | null;
  phone: string | null;
  email: string | null;
}

const VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/**
 * The sealing key: REPORTER_IDENTITY_KEY (32 bytes, base64) where set, so it can live apart from the
 * token key and be rotated on its own; else derived (HKDF-SHA256) from the token key, which both the
 * API and the worker already hold and production must set (config/index.ts loadConfig).
 */
export function reporterKey(config: { REPORTER_IDENTITY_KEY?: string; AUTH_JWT_SECRET?: string }): Buffer {
  if (config.REPORTER_IDENTITY_KEY) return Buffer.from(config.REPORTER_IDENTITY_KEY, 'base64');
  return Buffer.from(hkdfSync('sha256', jwtSecret(config), 'exitflow', 'reporter-identity/v1', 32));
}

/** version (1 byte) | nonce (12) | ciphertext | tag (16). */
export function sealIdentity(key: Buffer, reportId: string, identity: ReporterIdentity): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(reportId));
  const body = Buffer.concat([cipher.update(JSON.stringify(identity), 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), nonce, body, cipher.getAuthTag()]);
}

export function openIdentity(key: Buffer, reportId: string, sealed: Buffer): ReporterIdentity {
  if (sealed[0] !== VERSION) throw new Error(`reporter identity of ${reportId}: unknown seal version ${sealed[0]}`);
  const nonce = sealed.subarray(1, 1 + NONCE_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, nonce);
  decipher.setAAD(Buffer.from(reportId));
  decipher.setAuthTag(tag);
  const plain = Buffer.concat([decipher.update(sealed.subarray(1 + NONCE_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
  return JSON.parse(plain.toString('utf8')) as ReporterIdentity;
}
