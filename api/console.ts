import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';

/** Where `vite build` leaves the console and portal (console/vite.config.ts); absent in an image built without them. */
export const CONSOLE_DIST = path.resolve(__dirname, '../console/dist');

/**
 * The single-page application: the portal at / (its report form at /report), the console at /console, each sub-path answered
 * with the same index.html (the page routes itself). Mounted after the API's routes, so it never
 * answers for /api, /health, /docs or /openapi.json; without a build, these paths are 404 problems.
 */
export function consolePages(dir = CONSOLE_DIST): express.Router {
  const router = express.Router();
  // File names carry their content hash: cached for good.
  router.use('/assets', express.static(path.join(dir, 'assets'), { immutable: true, maxAge: '365d', index: false }));
  const index = (_req: Request, res: Response, next: NextFunction) => {
    res.sendFile(path.join(dir, 'index.html'), { headers: { 'Cache-Control': 'no-cache' } }, (err) => {
      if (err && !res.headersSent) next();
    });
  };
  router.get(['/', '/report', '/report/*rest', '/console', '/console/*rest'], index);
  return router;
}
