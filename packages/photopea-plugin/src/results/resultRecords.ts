import { findStylePreset } from '@pastiche/web-bridge/presets';
import type { PresetChoice } from '@pastiche/web-bridge/ui';
import type { LayerRef } from '../document/types.ts';
import { readStoredSettings } from '../settings/readStoredSettings.ts';
import type { PhotopeaSettings } from '../settings/PhotopeaSettings.ts';
import type { ResultRecord, Roles } from '../ui/PanelState.ts';

/** The newest records kept (the oldest go first). */
export const MAX_RESULT_RECORDS = 50;

export function findResultRecord(records: readonly ResultRecord[], document: string, layer: string): ResultRecord | undefined {
  return records.find((r) => r.document === document && r.layer === layer);
}

/** The records with `record` first (replacing one for the same layer), at most MAX_RESULT_RECORDS. */
export function withResultRecord(records: readonly ResultRecord[], record: ResultRecord): ResultRecord[] {
  return [record, ...records.filter((r) => r.document !== record.document || r.layer !== record.layer)].slice(0, MAX_RESULT_RECORDS);
}

/**
 * Records as stored by this or another version: each is kept only if it still reads (settings through
 * readStoredSettings, so an option that no longer validates falls back to its default); others are dropped.
 */
export function readResultRecords(stored: unknown, defaults: PhotopeaSettings): ResultRecord[] {
  if (!Array.isArray(stored)) return [];
  return stored.flatMap((item: unknown): ResultRecord[] => {
    const r = item as Partial<Record<keyof ResultRecord, unknown>> | null;
    if (!r || typeof r.document !== 'string' || typeof r.layer !== 'string' || !isRoles(r.roles) || !Array.isArray(r.presets)) return [];
    const { preset, advanced } = readStoredSettings(r.settings, defaults);
    const presets = r.presets.filter((p): p is PresetChoice => typeof p?.id === 'string' && findStylePreset(p.id) !== undefined && typeof p.weight === 'number');
    return [{ document: r.document, layer: r.layer, settings: { preset, advanced }, roles: r.roles, presets }];
  }).slice(0, MAX_RESULT_RECORDS);
}

const isRef = (value: unknown): value is LayerRef =>
  typeof (value as LayerRef)?.name === 'string' && Array.isArray((value as LayerRef).path) && (value as LayerRef).path.every(Number.isInteger);

function isRoles(value: unknown): value is Roles {
  const roles = value as Roles | null;
  if (!roles || !Array.isArray(roles.styles) || !roles.styles.every((s) => isRef(s) && typeof s.weight === 'number')) return false;
  return roles.content === null || roles.content === 'document' || isRef(roles.content);
}
