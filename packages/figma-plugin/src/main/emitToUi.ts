import type { MainToUiName, MainToUiPayload } from '../messages/messageSchemas.ts';
import type { PluginHost } from './host/PluginHost.ts';

/** Sends one typed message to the UI (create-figma-plugin's `emit`, with a payload object). */
export function emitToUi<N extends MainToUiName>(host: PluginHost, name: N, payload: MainToUiPayload<N>): void {
  host.ui.postMessage({ name, payload });
}
