import { Type, type Static } from '@sinclair/typebox';
import { StylizeOptionsSchema } from '@pastiche/core';

const url = (description: string) => Type.String({ maxLength: 2048, pattern: '^https?://', description });

/**
 * Everything the panel remembers between sessions (figma.clientStorage) and stores on a result for
 * "Stylize again". The runner's pairing token is kept apart (it is a secret, never written into the file).
 */
export const PluginSettingsSchema = Type.Object(
  {
    preset: Type.Union([Type.Literal('preview'), Type.Literal('standard'), Type.Literal('high')], { description: 'quality preset' }),
    engine: Type.Union([Type.Literal('auto'), Type.Literal('in-page'), Type.Literal('runner')], { description: 'where the painting runs' }),
    /** The advanced section: core options that override the preset's (only the ones the user set). */
    advanced: StylizeOptionsSchema,
    runnerUrl: url('address of pastiche serve'),
    /** Where the in-plugin engine loads VGG weights when no runner serves them (development and self-hosting). */
    weightsUrl: Type.Optional(url('model.json of VGG weights in TensorFlow.js layers format')),
  },
  { additionalProperties: false },
);

export type PluginSettings = Static<typeof PluginSettingsSchema>;
