export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The first place for a box of `size` that keeps `gap` clear of every occupied box: to the right of `near`
 * (top-aligned), moving right past whatever is in the way; failing that (it would leave `bounds`), below
 * `near` (left-aligned), moving down past whatever is in the way. Undefined when neither fits in `bounds`.
 */
export function findFreeSpot(near: Box, size: { width: number; height: number }, occupied: Box[], gap: number, bounds?: Box): Box | undefined {
  const inBounds = (b: Box) => !bounds || (b.x >= bounds.x && b.y >= bounds.y && b.x + b.width <= bounds.x + bounds.width && b.y + b.height <= bounds.y + bounds.height);
  const blocking = (b: Box) => occupied.filter((o) => b.x < o.x + o.width + gap && o.x < b.x + b.width + gap && b.y < o.y + o.height + gap && o.y < b.y + b.height + gap);
  const sweeps: Array<[Box, (b: Box, hit: Box[]) => Box]> = [
    [{ width: size.width, height: size.height, x: near.x + near.width + gap, y: near.y }, (b, hit) => ({ ...b, x: Math.max(...hit.map((o) => o.x + o.width)) + gap })],
    [{ width: size.width, height: size.height, x: near.x, y: near.y + near.height + gap }, (b, hit) => ({ ...b, y: Math.max(...hit.map((o) => o.y + o.height)) + gap })],
  ];
  for (const [start, past] of sweeps) {
    // Each step moves past at least one box, so this ends after at most occupied.length steps.
    for (let spot = start; inBounds(spot); ) {
      const hit = blocking(spot);
      if (hit.length === 0) return spot;
      spot = past(spot, hit);
    }
  }
  return undefined;
}
