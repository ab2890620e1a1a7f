import { NODE_BACKEND_NAMES, type NodeBackendName } from '@pastiche/core';
import { CliError } from './CliError.ts';

/** `--backend`'s line in the help of stylize, serve and worker: the engines Node loads, from core's registry. */
export const BACKEND_FLAG_CHOICES = `auto (default), ${NODE_BACKEND_NAMES.join(', ')}`;

/** `--backend` as given (absent: auto), or an error naming the engines there are. */
export function parseBackendFlag(raw: string | undefined): NodeBackendName | 'auto' {
  if (raw === undefined || raw === 'auto') return 'auto';
  if ((NODE_BACKEND_NAMES as readonly string[]).includes(raw)) return raw as NodeBackendName;
  throw new CliError(`--backend: expected auto or one of ${NODE_BACKEND_NAMES.join(', ')}, got "${raw}"`, 2);
}
