/** "8.2 s", "42 s", "3 min 5 s", "29 min": how long, at the precision people read. */
export function formatDuration(ms: number): string {
  const seconds = ms / 1000;
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds >= 600) return `${Math.round(seconds / 60)} min`; // past ten minutes, seconds are noise
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds - minutes * 60);
  return rest ? `${minutes} min ${rest} s` : `${minutes} min`;
}
