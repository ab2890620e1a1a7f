/** "8.2 s", "42 s", "3 min 5 s", "29 min", "4 h 7 min": how long, at the precision people read. */
export function formatDuration(ms: number): string {
  const seconds = ms / 1000;
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds >= 600) {
    // Past ten minutes, seconds are noise; past an hour, hours read better than "247 min".
    const total = Math.round(seconds / 60);
    const [hours, minutes] = [Math.floor(total / 60), total % 60];
    return hours === 0 ? `${minutes} min` : minutes ? `${hours} h ${minutes} min` : `${hours} h`;
  }
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds - minutes * 60);
  return rest ? `${minutes} min ${rest} s` : `${minutes} min`;
}
