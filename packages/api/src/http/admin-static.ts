import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Express } from 'express';

const API_PATHS = /^\/(graphql|healthz|readyz|metrics)(\/|$)/;

/**
 * Serves the built admin panel at `/`: files as they are (hashed assets cached for a year), and
 * index.html for every other GET of a page, so the panel's own routes survive a reload.
 * Without a build, `/` says how to make one.
 */
export function serveAdmin(app: Express, distDir: string): void {
  const indexFile = path.join(distDir, 'index.html');
  app.use(
    express.static(distDir, {
      index: false,
      fallthrough: true,
      setHeaders(res, file) {
        const hashed = file.includes(`${path.sep}assets${path.sep}`);
        res.setHeader('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    }),
  );
  app.use((req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || API_PATHS.test(req.path)) return next();
    // A missing file (anything with an extension) is a 404, not the panel.
    if (!req.accepts('html') || path.extname(req.path) !== '') return next();
    if (!existsSync(indexFile)) {
      if (req.path !== '/') return next();
      res
        .status(200)
        .type('text/plain')
        .send(
          'The Mail Providers API is running at /graphql. The admin panel is not built yet: run `pnpm build`.\n',
        );
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(indexFile);
  });
}
