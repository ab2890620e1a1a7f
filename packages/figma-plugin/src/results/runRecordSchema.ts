import { Type, type Static } from '@sinclair/typebox';
import { PresetRolesSchema, RolesSchema } from '../messages/messageSchemas.ts';
import { PluginSettingsSchema } from '../settings/pluginSettingsSchema.ts';

/**
 * Where a result layer keeps how it was made, for "Stylize again": shared plugin data (namespace, key), which
 * any plugin id reads, so results made under the development id still relaunch once the plugin is
 * published under Figma's id (private plugin data is per id).
 */
export const RUN_RECORD_KEY = { namespace: 'pastiche', key: 'run' } as const;

/** What a result remembers (its settings, layers and presets: "Stylize again" and "Refine" bring them back). Read back with a schema check: the file may have been edited by another version. */
export const RunRecordSchema = Type.Object(
  { version: Type.Literal(1), settings: PluginSettingsSchema, roles: RolesSchema, presets: Type.Optional(PresetRolesSchema) },
  { additionalProperties: false },
);

export type RunRecord = Static<typeof RunRecordSchema>;
