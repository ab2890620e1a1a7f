import type { VggStep } from './architecture.ts';

/** Height, width and channels of each step's output for an image height × width ('valid' pooling floors). */
export function featureShapes(steps: VggStep[], height: number, width: number): Map<string, { height: number; width: number; channels: number }> {
  const shapes = new Map<string, { height: number; width: number; channels: number }>();
  let [h, w, c] = [height, width, 3];
  for (const step of steps) {
    if (step.kind === 'pool') [h, w] = [Math.floor(h / 2), Math.floor(w / 2)];
    else c = step.outChannels;
    shapes.set(step.name, { height: h, width: w, channels: c });
  }
  return shapes;
}
