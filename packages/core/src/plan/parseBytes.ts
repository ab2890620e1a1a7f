const UNITS: Record<string, number> = { '': 1, b: 1, k: 2 ** 10, kb: 2 ** 10, kib: 2 ** 10, m: 2 ** 20, mb: 2 ** 20, mib: 2 ** 20, g: 2 ** 30, gb: 2 ** 30, gib: 2 ** 30, t: 2 ** 40, tb: 2 ** 40, tib: 2 ** 40 };

/** The pattern the options schema accepts for a memory size: "1.5GB", "800 MB", "4g", or plain bytes. */
export const BYTES_PATTERN = '^\\s*\\d+(\\.\\d+)?\\s*([kKmMgGtT]([iI]?[bB])?|[bB])?\\s*$';

/** "1.5GB" → 1610612736. Units are binary (GB = GiB), as memory is sold and reported by the OS. */
export function parseBytes(text: string | number): number {
  if (typeof text === 'number') return text;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = match ? UNITS[match[2].toLowerCase()] : undefined;
  if (!match || unit === undefined) throw new Error(`not a memory size: "${text}" (write e.g. 1.5GB or 800MB)`);
  return Math.round(Number(match[1]) * unit);
}
