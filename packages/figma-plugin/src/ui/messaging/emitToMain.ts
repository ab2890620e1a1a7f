import type { UiToMainName, UiToMainPayload } from '../../messages/messageSchemas.ts';

/** Sends one typed message to the main code, the way Figma expects it from a plugin's iframe. */
export function emitToMain<N extends UiToMainName>(name: N, payload: UiToMainPayload<N>): void {
  parent.postMessage({ pluginMessage: { name, payload } }, '*');
}
