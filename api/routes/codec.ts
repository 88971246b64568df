import express, { type Request, type RequestHandler, type Response, type NextFunction } from 'express';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { z } from 'zod';
import { authenticate, type TokenSettings } from '../auth';
import { parseOr422, problems } from '../problem';
import { inTransaction, type Db } from '../../db/pool';
import { appendAudit } from '../services/audit';
import type { Principal } from '../../domain/roles';

/**
 * The codec server Temporal UI calls (Settings → Codec Server, or the UI's TEMPORAL_CODEC_ENDPOINT)
 * so that an operator reads the payloads the codec (config/payload-codec.ts) encrypted:
 * `POST /codec/decode` and `POST /codec/encode`, a body `{"payloads":[{"metadata":{k: base64},
 * "data": base64}]}`, answered in the same shape. The UI calls from its own origin, so the
 * configured one (TEMPORAL_UI_ORIGIN) is allowed by CORS with credentials; the caller must be an
 * operator, with the bearer token the UI passes on ("pass access token": the single sign-on's token,
 * which this API accepts). Every decode is audited: who read how many payloads of which workflow.
 */
export const CODEC_PATH = '/codec';

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64 (应为base64编码)');
const WirePayload = z.object({ metadata: z.record(z.string(), base64).optional(), data: base64.optional() });
const CodecBody = z.object({ payloads: z.array(WirePayload).max(1_000, 'at most 1000 payloads (最多1000个)') });
type WirePayload = z.infer<typeof WirePayload>;

const fromWire = (p: WirePayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, 'base64'))])),
  data: new Uint8Array(Buffer.from(p.data ?? '', 'base64')),
});
const toWire = (p: Payload): WirePayload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')])),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

export interface CodecRouteOptions {
  /** Unset (no PAYLOAD_CODEC_KEYS): payloads are answered as they came (nothing is encrypted). */
  codec?: PayloadCodec;
  /** The one origin (Temporal UI's) allowed to call from a browser. */
  uiOrigin: string;
  tokens: TokenSettings;
  db: Db;
}

export function codecRoutes(opts: CodecRouteOptions): express.Router {
  const router = express.Router();
  const origin = new URL(opts.uiOrigin).origin;
  // Before authentication: a refusal must reach the UI's page readable (CORS), and the preflight carries no token.
  const cors: RequestHandler = (req, res, next) => {
    res.vary('Origin');
    if (req.get('origin') === origin) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
    }
    if (req.method === 'OPTIONS') {
      if (req.get('origin') === origin) {
        res.setHeader('Access-Control-Allow-Methods', 'POST');
        res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, X-Namespace, Caller-Type');
        res.setHeader('Access-Control-Max-Age', '600');
      }
      res.status(204).end();
      return;
    }
    next();
  };
  const operatorOnly = (req: Request, _res: Response, next: NextFunction) => {
    const p = req.principal as Principal;
    if (p.role !== 'operator') throw problems.forbidden(`role ${p.role} may not read workflow payloads; only operators (运维) may / 仅运维人员可解密工作流数据`);
    next();
  };
  const body = express.json({ limit: '4mb', type: ['application/json', 'application/*+json'] });
  router.use(cors);
  for (const direction of ['encode', 'decode'] as const) {
    router.post(`/${direction}`, authenticate(opts.tokens), operatorOnly, body, async (req, res) => {
      if (!req.is('application/json')) throw problems.unsupportedMediaType();
      const { payloads } = parseOr422(CodecBody, req.body);
      const input = payloads.map(fromWire);
      const output = opts.codec ? await (direction === 'decode' ? opts.codec.decode(input) : opts.codec.encode(input)) : input;
      if (direction === 'decode') {
        const principal = req.principal as Principal;
        const namespace = req.get('x-namespace')?.slice(0, 200) ?? null;
        const keyIds = [...new Set(payloads.map((p) => p.metadata?.['encryption-key-id']).filter((k): k is string => Boolean(k)).map((k) => Buffer.from(k, 'base64').toString('utf8')))];
        await inTransaction(opts.db, (tx) =>
          appendAudit(tx, {
            requestId: String(req.id),
            actor: principal,
            action: 'payloads.decode',
            target: `temporal-namespace:${namespace ?? 'unknown'}`,
            region: principal.jurisdiction ?? '',
            result: 200,
            detail: { payloads: payloads.length, encrypted: keyIds.length > 0, keyIds, namespace, origin: req.get('origin') ?? null, userAgent: req.get('user-agent')?.slice(0, 200) ?? null },
          }),
        );
      }
      res.setHeader('Cache-Control', 'no-store');
      res.json({ payloads: output.map(toWire) });
    });
  }
  return router;
}
