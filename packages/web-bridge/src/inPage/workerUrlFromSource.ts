/**
 * A URL to start the engine's worker from its bundled source (see buildWorkerBundle), for hosts that ship
 * one file (the Figma plugin inlines everything into its UI HTML). Revoke it after dispose if you create many.
 */
export function workerUrlFromSource(source: string): string {
  return URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
}
