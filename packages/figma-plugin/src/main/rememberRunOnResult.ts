import type { Roles } from '../messages/messageSchemas.ts';
import { RUN_RECORD_KEY, type RunRecord } from '../results/runRecordSchema.ts';
import type { PluginSettings } from '../settings/pluginSettingsSchema.ts';
import type { HostNode } from './host/PluginHost.ts';

/**
 * "Stylize again" on the result re-opens the plugin with these settings, presets and layers selected;
 * "Refine" does the same and starts the run from the result's pixels.
 */
export function rememberRunOnResult(result: HostNode, settings: PluginSettings, roles: Roles, presets: RunRecord['presets'] = []): void {
  const record: RunRecord = { version: 1, settings, roles, ...(presets.length && { presets }) };
  result.setSharedPluginData(RUN_RECORD_KEY.namespace, RUN_RECORD_KEY.key, JSON.stringify(record));
  result.setRelaunchData({ restylize: 'Paint again with the same content, styles and settings', refine: 'Continue painting from this result, with its settings' });
}
