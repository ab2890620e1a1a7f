import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The version of an installed package, from its package.json (what node_modules holds, not what was asked for). */
export function installedVersion(packageName: string): string {
  return (require(`${packageName}/package.json`) as { version: string }).version;
}
