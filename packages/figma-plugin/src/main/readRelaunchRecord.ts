import { Value } from '@sinclair/typebox/value';
import { RUN_RECORD_KEY, RunRecordSchema, type RunRecord } from '../results/runRecordSchema.ts';
import type { PluginHost } from './host/PluginHost.ts';

/**
 * When the plugin opens from a result's "Stylize again" or "Refine" button: the record that result keeps, if it
 * is intact, and (on Refine) the result itself. Anything else (opened from the menu, record edited or from
 * another version) starts normally.
 */
export function readRelaunchRecord(host: PluginHost): (RunRecord & { refine?: { id: string; name: string } }) | null {
  if (host.command !== 'restylize' && host.command !== 'refine') return null;
  for (const node of host.currentPage.selection) {
    const text = node.getSharedPluginData(RUN_RECORD_KEY.namespace, RUN_RECORD_KEY.key);
    if (!text) continue;
    try {
      const record: unknown = JSON.parse(text);
      if (Value.Check(RunRecordSchema, record)) return host.command === 'refine' ? { ...record, refine: { id: node.id, name: node.name } } : record;
    } catch {
      // not JSON: ignore, as for a missing record
    }
  }
  return null;
}
