import type { RunnerStatus } from '@pastiche/web-bridge';
import type { RunState } from '@pastiche/web-bridge/ui';
import type { Roles, SelectedNode } from '../../messages/messageSchemas.ts';
import { DEFAULT_SETTINGS } from '../../settings/defaultSettings.ts';
import type { PluginSettings } from '../../settings/pluginSettingsSchema.ts';

/** Who plays which part, as the user arranged it; contentId is null when nothing usable is selected. */
export interface RoleState {
  contentId: string | null;
  styles: Roles['styles'];
  /** Selected layers the user took out of the run (still selected in Figma). */
  excluded: string[];
}

export interface UiState {
  /** False until the main code has sent the remembered settings. */
  started: boolean;
  settings: PluginSettings;
  runnerToken: string;
  /** What the runner said about the token the user pasted, until they change it. */
  pairingProblem?: string;
  selection: SelectedNode[];
  ignored: number;
  /** Object URLs of thumbnails by node id. */
  thumbnails: Record<string, string>;
  roles: RoleState;
  /** Roles a result remembered ("Stylize again"), applied when its layers arrive in the selection. */
  pendingRoles: Roles | null;
  runner: RunnerStatus;
  /** The layer the last run added: selecting it (Figma does, after a run) keeps the run's layers in the panel. */
  lastResultId?: string;
  /** Invalid text in advanced fields, by field, kept so the user can fix it (never saved). */
  fieldProblems: Record<string, string>;
  run: RunState;
}

export const INITIAL_STATE: UiState = {
  started: false,
  settings: DEFAULT_SETTINGS,
  runnerToken: '',
  selection: [],
  ignored: 0,
  thumbnails: {},
  roles: { contentId: null, styles: [], excluded: [] },
  pendingRoles: null,
  runner: { state: 'unknown' },
  fieldProblems: {},
  run: { phase: 'idle' },
};
