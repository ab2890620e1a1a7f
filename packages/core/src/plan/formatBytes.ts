/** "1.5 GB": binary units, as memory is counted (and as --max-memory reads them). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return 'unlimited';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (bytes >= 1024 && i < units.length - 1) [bytes, i] = [bytes / 1024, i + 1];
  return `${i === 0 ? bytes : bytes.toFixed(bytes < 10 ? 2 : 1)} ${units[i]}`;
}
