import type { StylizeOptions } from '@pastiche/core';
import { DEFAULT_RUNNER_URL } from '@pastiche/web-bridge';
import type { QualityPresetName } from '@pastiche/web-bridge/settings';

export type EnginePreference = 'auto' | 'in-page' | 'runner';

/** What the panel remembers between sessions (localStorage). The runner's pairing token is kept apart. */
export interface PhotopeaSettings {
  preset: QualityPresetName;
  engine: EnginePreference;
  /** Core options the user set in Advanced; they override the preset's. */
  advanced: StylizeOptions;
  runnerUrl: string;
  /** model.json the in-panel engine loads when no paired runner serves the weights. */
  weightsUrl?: string;
}

/** The defaults; the page's URL parameters may give the runner's address and a weights URL. */
export function defaultSettings(fromPage: { runnerUrl?: string; weightsUrl?: string } = {}): PhotopeaSettings {
  return {
    preset: 'standard',
    engine: 'auto',
    advanced: {},
    runnerUrl: fromPage.runnerUrl ?? DEFAULT_RUNNER_URL,
    ...(fromPage.weightsUrl ? { weightsUrl: fromPage.weightsUrl } : {}),
  };
}
