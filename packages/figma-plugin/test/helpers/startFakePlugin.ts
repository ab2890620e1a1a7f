import { startPlugin } from '../../src/main/startPlugin.ts';
import { DEFAULT_SETTINGS } from '../../src/settings/defaultSettings.ts';
import type { PluginSettings } from '../../src/settings/pluginSettingsSchema.ts';
import type { Roles, Tile } from '../../src/messages/messageSchemas.ts';
import { FakeFigma } from '../fakes/FakeFigma.ts';
import { encodeTestPng } from './encodeTestPng.ts';

/** A fake Figma whose layers export flat-colour PNGs, with the plugin started in it (UI not yet ready). */
export function startFakePlugin(setup: (figma: FakeFigma) => void = () => {}): FakeFigma {
  const figma = new FakeFigma(async (_node, width, height) => encodeTestPng(width, height));
  setup(figma);
  startPlugin(figma, '<html>ui</html>');
  return figma;
}

let runId = 100;
export const nextRunId = () => ++runId;

/** What the UI sends once a run has painted: a result of width × height in one tile, or in the given tiles. */
export function resultReady(roles: Roles, width: number, height: number, options: { tiles?: Tile[]; settings?: PluginSettings; runId?: number } = {}) {
  return {
    name: 'result-ready',
    payload: {
      runId: options.runId ?? nextRunId(),
      roles,
      settings: options.settings ?? DEFAULT_SETTINGS,
      width,
      height,
      tiles: options.tiles ?? [{ png: encodeTestPng(width, height), x: 0, y: 0, width, height }],
    },
  };
}
