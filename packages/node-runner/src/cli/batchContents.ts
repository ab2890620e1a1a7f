import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { CliError } from './CliError.ts';

/** File endings a folder given as --content contributes (what sharp reads); other files there are left alone. */
const IMAGE_ENDINGS = ['.png', '.jpg', '.jpeg', '.webp', '.gif', '.tif', '.tiff', '.avif', '.heic', '.heif'];

/** One content of a run and the file its result goes to. */
export interface BatchItem {
  content: string;
  out: string;
}

/**
 * The contents of `pastiche stylize`: each --content a file, or a folder whose images (by name) are all
 * taken. With --out-dir each result is DIR/<content's name>.png (PNG keeps a content's transparency);
 * without it there must be one content and --out names its result.
 */
export async function batchContents(contents: string[], out: string | undefined, outDir: string | undefined): Promise<BatchItem[]> {
  if (contents.length === 0) throw new CliError('--content is required (see pastiche stylize --help)', 2);
  if (out !== undefined && outDir !== undefined) throw new CliError('--out and --out-dir: give one (--out for one content, --out-dir for several)', 2);
  const files: string[] = [];
  for (const given of contents) {
    const info = await stat(given).catch(() => undefined);
    if (!info?.isDirectory()) {
      files.push(given); // read (and refused by name, if it must be) when its turn comes
      continue;
    }
    const images = (await readdir(given)).filter((name) => IMAGE_ENDINGS.includes(path.extname(name).toLowerCase())).sort();
    if (images.length === 0) throw new CliError(`--content: folder ${given} has no images (${IMAGE_ENDINGS.join(', ')})`, 2);
    files.push(...images.map((name) => path.join(given, name)));
  }
  if (outDir === undefined) {
    if (files.length > 1 || files[0] !== contents[0]) throw new CliError(`--out-dir: ${files.length} contents need a folder for their results (--out names one result)`, 2);
    if (out === undefined) throw new CliError('--out is required (see pastiche stylize --help)', 2);
    return [{ content: files[0], out }];
  }
  const items = files.map((content) => ({ content, out: path.join(outDir, `${path.parse(content).name}.png`) }));
  const seen = new Map<string, string>();
  for (const { content, out: result } of items) {
    const earlier = seen.get(result);
    if (earlier) throw new CliError(`--out-dir: ${earlier} and ${content} would both be written to ${result}; rename one`, 2);
    seen.set(result, content);
  }
  return items;
}
