import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the nearest folder above this file that holds packages/core. */
function findRepoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'packages', 'core', 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no repository root above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return dir;
}

export const REPO_ROOT = findRepoRoot();
/** Shared, read-only material next to the repository: real weights (blocks 1–3) and example images. */
export const SHARED_DIR = path.resolve(REPO_ROOT, '../shared');
export const MODELS_DIR = path.join(SHARED_DIR, 'models');
export const IMAGES_DIR = path.join(SHARED_DIR, 'images');
