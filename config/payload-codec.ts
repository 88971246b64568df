import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { payloadCodecKeysProblem } from './index';

/**
 * Workflow payloads (inputs, results, signals, updates, queries, memos, activity arguments: the
 * contacts' names, e-mails and phones, reporters' identities) encrypted before they reach Temporal,
 * so its histories, its database and that database's backups hold none of them in clear.
 *
 * AES-256-GCM over the whole original payload (its metadata too: the encoding of the value is no
 * one's business either), a fresh 12-byte nonce per payload, the key id as additional data:
 * data = nonce (12) | ciphertext | tag (16); metadata `encoding: binary/encrypted`,
 * `encryption-key-id: <id>`. A payload that is not encrypted (histories written before the codec was
 * switched on, or with it off) is passed through as it is, so old cases go on replaying and running.
 */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export interface CodecKey {
  id: string;
  key: Buffer;
}

/** `keyId:base64key,…` (PAYLOAD_CODEC_KEYS) as keys, the encrypting one first. */
export function parseCodecKeys(value: string): CodecKey[] {
  const problem = payloadCodecKeysProblem(value);
  if (problem) throw new Error(`PAYLOAD_CODEC_KEYS ${problem}`);
  return value.split(',').map((item) => {
    const [id, key] = item.trim().split(':') as [string, string];
    return { id, key: Buffer.from(key, 'base64') };
  });
}

const utf8 = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | null | undefined) => (b ? Buffer.from(b).toString('utf8') : undefined);

export class PayloadDecryptionError extends Error {
  override name = 'PayloadDecryptionError';
}

export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly encryptWith: CodecKey;
  private readonly byId: Map<string, Buffer>;

  constructor(keys: CodecKey[]) {
    if (!keys.length) throw new Error('AesGcmPayloadCodec needs at least one key');
    for (const k of keys) if (k.key.length !== 32) throw new Error(`codec key ${k.id} is ${k.key.length} bytes; AES-256 needs 32`);
    this.encryptWith = keys[0]!;
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  /** The id of the key new payloads are encrypted with. */
  get keyId(): string {
    return this.encryptWith.id;
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => this.encryptOne(p));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => this.decryptOne(p));
  }

  private encryptOne(payload: Payload): Payload {
    const { id, key } = this.encryptWith;
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    cipher.setAAD(Buffer.from(id));
    const plain = temporal.api.common.v1.Payload.encode(payload).finish();
    const data = Buffer.concat([nonce, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return { metadata: { encoding: utf8(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: utf8(id) }, data: new Uint8Array(data) };
  }

  private decryptOne(payload: Payload): Payload {
    if (text(payload.metadata?.encoding) !== ENCRYPTED_ENCODING) return payload;
    const id = text(payload.metadata?.[KEY_ID_METADATA]) ?? '';
    const key = this.byId.get(id);
    if (!key) throw new PayloadDecryptionError(`payload encrypted with key ${JSON.stringify(id)}, which is not among PAYLOAD_CODEC_KEYS`);
    const data = Buffer.from(payload.data ?? new Uint8Array());
    if (data.length < NONCE_BYTES + TAG_BYTES) throw new PayloadDecryptionError('encrypted payload is too short');
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, NONCE_BYTES));
    decipher.setAAD(Buffer.from(id));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(data.subarray(NONCE_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new PayloadDecryptionError(`encrypted payload does not authenticate under key ${id} (altered, or another key with the same id)`);
    }
    const decoded = temporal.api.common.v1.Payload.decode(plain);
    return { metadata: decoded.metadata ?? {}, data: decoded.data ?? new Uint8Array() };
  }
}

/** The codec PAYLOAD_CODEC_KEYS configures, or undefined when unset (payloads in clear). */
export function payloadCodecOf(config: { PAYLOAD_CODEC_KEYS?: string }): AesGcmPayloadCodec | undefined {
  return config.PAYLOAD_CODEC_KEYS ? new AesGcmPayloadCodec(parseCodecKeys(config.PAYLOAD_CODEC_KEYS)) : undefined;
}

/** The data converter of every client and worker: the default one, plus the codec when configured. */
export function dataConverterOf(config: { PAYLOAD_CODEC_KEYS?: string }): DataConverter | undefined {
  const codec = payloadCodecOf(config);
  return codec ? { payloadCodecs: [codec] } : undefined;
}
