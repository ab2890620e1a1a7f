import { Value } from '@sinclair/typebox/value';
import { EvaluationCalibrationSchema } from '@pastiche/web-bridge/wire';
import type { MainToUiPayload } from '../messages/messageSchemas.ts';
import { DEFAULT_SETTINGS } from '../settings/defaultSettings.ts';
import { readStoredSettings } from '../settings/readStoredSettings.ts';
import { emitToUi } from './emitToUi.ts';
import type { PluginHost } from './host/PluginHost.ts';
import { readRelaunchRecord } from './readRelaunchRecord.ts';
import { selectRecordedLayers } from './selectRecordedLayers.ts';
import { sendSelection } from './sendSelection.ts';
import { IN_PAGE_SPEED_KEY, RUNNER_TOKEN_KEY, SETTINGS_KEY } from './settingsStorage.ts';

/**
 * The UI is listening: send it the remembered settings (or a result's, on "Stylize again") and the in-page
 * engine's speed, then the selection. The UI waits for plugin-started, so it is sent whatever happens: if
 * what was remembered cannot be read, with the defaults, and the user is told.
 */
export async function handleUiReady(host: PluginHost): Promise<void> {
  let started: MainToUiPayload<'plugin-started'>;
  try {
    const record = readRelaunchRecord(host);
    const restored = record ? await selectRecordedLayers(host, record.roles) : false;
    const settings = record ? record.settings : readStoredSettings(await host.clientStorage.getAsync(SETTINGS_KEY));
    const token = await host.clientStorage.getAsync(RUNNER_TOKEN_KEY);
    // Storage is the user's to change: a value that is no calibration is left out, and the UI times the engine.
    const speed = await host.clientStorage.getAsync(IN_PAGE_SPEED_KEY);
    started = {
      settings,
      runnerToken: typeof token === 'string' ? token.slice(0, 256) : '',
      relaunch: record && restored ? record.roles : null,
      ...(record?.presets && { presets: record.presets }),
      ...(record?.refine && restored && { refine: record.refine }),
      ...(Value.Check(EvaluationCalibrationSchema, speed) && { inPageSpeed: speed }),
    };
  } catch (error) {
    started = { settings: DEFAULT_SETTINGS, runnerToken: '', relaunch: null };
    host.notify(`Pastiche could not read what it remembered (${(error as Error)?.message ?? error}); it starts with its defaults.`, { error: true });
  }
  emitToUi(host, 'plugin-started', started);
  await sendSelection(host);
}
