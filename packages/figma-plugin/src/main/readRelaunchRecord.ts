import { Value } from '@sinclair/typebox/value';
import { RUN_RECORD_KEY, RunRecordSchema, type RunRecord } from '../results/runRecordSchema.ts';
import type { PluginHost } from './host/PluginHost.ts';

/**
 * When the plugin opens from a result's "Stylize again" button: the record that result keeps, if it is
 * intact. Anything else (opened from the menu, record edited or from another version) starts normally.
 */
export function readRelaunchRecord(host: PluginHost): RunRecord | null {
  if (host.command !== 'restylize') return null;
  for (const node of host.currentPage.selection) {
    const text = node.getSharedPluginData(RUN_RECORD_KEY.namespace, RUN_RECORD_KEY.key);
    if (!text) continue;
    try {
      const record: unknown = JSON.parse(text);
      if (Value.Check(RunRecordSchema, record)) return record;
    } catch {
      // not JSON: ignore, as for a missing record
    }
  }
  return null;
}
