import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * The repository root, whether this code runs from source (server/src, under tsx) or bundled into
 * dist/server.js by `npm run build` (everything in one file, so `here` is dist/). Files the server reads
 * at run time (the workspace build, the widget build) are found from here, never from the working directory.
 */
export const rootDir = process.env.AUTOCRM_BUNDLED === '1' ? path.resolve(here, '..') : path.resolve(here, '../..');
