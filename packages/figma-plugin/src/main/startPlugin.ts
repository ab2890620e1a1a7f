import { answerFailure } from './answerFailure.ts';
import { emitToUi } from './emitToUi.ts';
import { exportImagesForRun } from './exportImagesForRun.ts';
import { exportRegion } from './exportRegion.ts';
import { findSelectedNode } from './findSelectedNode.ts';
import { handleUiReady } from './handleUiReady.ts';
import type { PluginHost } from './host/PluginHost.ts';
import { listenToUi } from './listenToUi.ts';
import { placeResult } from './placeResult.ts';
import { sendSelection } from './sendSelection.ts';
import { IN_PAGE_SPEED_KEY, RUNNER_TOKEN_KEY, SETTINGS_KEY } from './settingsStorage.ts';

/** Panel size: one column of compact controls, tall enough for the layer list and the progress preview. */
export const UI_SIZE = { width: 320, height: 640 };

/** Opens the panel and answers the UI's messages; the main code only touches the document, never pixels. */
export function startPlugin(host: PluginHost, html: string): void {
  host.showUI(html, { ...UI_SIZE, title: 'Pastiche', themeColors: true });
  listenToUi(host, {
    'ui-ready': () => handleUiReady(host),
    'settings-changed': ({ settings }) => host.clientStorage.setAsync(SETTINGS_KEY, settings),
    'runner-token-changed': ({ token }) => host.clientStorage.setAsync(RUNNER_TOKEN_KEY, token),
    'in-page-speed-measured': ({ calibration }) => host.clientStorage.setAsync(IN_PAGE_SPEED_KEY, calibration),
    'export-requested': async (request) => {
      try {
        emitToUi(host, 'images-exported', await exportImagesForRun(host, request));
      } catch (error) {
        answerFailure(host, request.runId, error, 'export-failed');
      }
    },
    'region-requested': async ({ runId, contentId, nodeIds, contentSide }) => {
      try {
        const content = await findSelectedNode(host, contentId, 'content');
        emitToUi(host, 'region-exported', { runId, region: await exportRegion(host, content, nodeIds, contentSide) });
      } catch (error) {
        answerFailure(host, runId, error, 'export-failed');
      }
    },
    'result-ready': async (request) => {
      try {
        const placed = await placeResult(host, request);
        emitToUi(host, 'result-placed', placed);
        host.notify(`Added “${placed.name}”`);
      } catch (error) {
        answerFailure(host, request.runId, error, 'place-failed');
      }
    },
  });
  host.on('selectionchange', () => void sendSelection(host));
}
