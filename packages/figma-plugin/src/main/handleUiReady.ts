import { readStoredSettings } from '../settings/readStoredSettings.ts';
import { emitToUi } from './emitToUi.ts';
import type { PluginHost } from './host/PluginHost.ts';
import { readRelaunchRecord } from './readRelaunchRecord.ts';
import { selectRecordedLayers } from './selectRecordedLayers.ts';
import { sendSelection } from './sendSelection.ts';
import { RUNNER_TOKEN_KEY, SETTINGS_KEY } from './settingsStorage.ts';

/** The UI is listening: send it the remembered settings (or a result's, on "Stylize again"), then the selection. */
export async function handleUiReady(host: PluginHost): Promise<void> {
  const record = readRelaunchRecord(host);
  const restored = record ? await selectRecordedLayers(host, record.roles) : false;
  const settings = record ? record.settings : readStoredSettings(await host.clientStorage.getAsync(SETTINGS_KEY));
  const token = await host.clientStorage.getAsync(RUNNER_TOKEN_KEY);
  emitToUi(host, 'plugin-started', {
    settings,
    runnerToken: typeof token === 'string' ? token.slice(0, 256) : '',
    relaunch: record && restored ? record.roles : null,
  });
  await sendSelection(host);
}
