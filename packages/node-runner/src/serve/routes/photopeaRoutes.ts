import type { FastifyInstance } from 'fastify';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HttpError } from '../../errors/HttpError.ts';
import type { RunnerContext } from '../RunnerContext.ts';

/** Where Photopea loads the panel from the runner: same origin as the API, so the panel needs no --allow-origin. */
export const PHOTOPEA_PANEL_PATH = '/photopea/plugin.html';
export const PHOTOPEA_ICON_PATH = '/photopea/icon.svg';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
};

/**
 * The built Photopea panel (packages/photopea-plugin, which this package's build writes beside the CLI bundle,
 * into dist/photopea) as static files, without a token: they are the same for everyone, and the panel asks
 * for the token itself.
 */
export function registerPhotopeaRoutes(app: FastifyInstance, ctx: RunnerContext): void {
  const folder = path.resolve(ctx.config.photopeaPanelDir ?? fileURLToPath(new URL('./photopea/', import.meta.url)));
  app.get<{ Params: { '*': string } }>('/photopea/*', { config: { auth: 'none' } }, async (request, reply) => {
    const name = request.params['*'];
    const file = path.resolve(folder, name);
    const type = TYPES[path.extname(file)];
    if (!type || !file.startsWith(folder + path.sep)) throw new HttpError(404, `no file ${name} in the Photopea panel`);
    const bytes = await readFile(file).catch(() => {
      throw new HttpError(404, `no file ${name} in the Photopea panel at ${folder} (npm run build writes it)`);
    });
    return reply.type(type).header('Cache-Control', 'no-cache').send(bytes);
  });
}
