import { Type, type Static } from '@sinclair/typebox';
import { RolesSchema } from '../messages/messageSchemas.ts';
import { PluginSettingsSchema } from '../settings/pluginSettingsSchema.ts';

/** Plugin data key on a result layer: how it was made, for "Stylize again". */
export const RUN_RECORD_KEY = 'pastiche.run';

/** What a result remembers. Read back with a schema check: the file may have been edited by another version. */
export const RunRecordSchema = Type.Object(
  { version: Type.Literal(1), settings: PluginSettingsSchema, roles: RolesSchema },
  { additionalProperties: false },
);

export type RunRecord = Static<typeof RunRecordSchema>;
