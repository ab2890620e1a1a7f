import type { RunnerStatus } from '@pastiche/web-bridge';
import type { BatchPosition, InPageSpeed, PresetChoice, RunState } from '@pastiche/web-bridge/ui';
import type { RegionImage, Roles, SelectedNode } from '../../messages/messageSchemas.ts';
import { DEFAULT_SETTINGS } from '../../settings/defaultSettings.ts';
import type { PluginSettings } from '../../settings/pluginSettingsSchema.ts';

/**
 * Who plays which part, as the user arranged it; contentId is null when nothing usable is selected, or when the
 * user made the content a style (with styles left: a texture from the styles alone, with Pattern on).
 */
export interface RoleState {
  contentId: string | null;
  /** More layers marked Content: painted with the same styles in the same click, one result each (a batch); absent: none. */
  moreContents?: string[];
  styles: Roles['styles'];
  /** Selected layers the user took out of the run (still selected in Figma). */
  excluded: string[];
}

/** A style's region: the layers that make it, as the panel shows it; exported again at the output size on each run. */
export interface StyleRegionState {
  nodeIds: string[];
  names: string[];
  /** Blur radius of the mask's edge, in output pixels. */
  feather: number;
  /** The region at thumbnail size, kept to redraw the thumbnail when the feather changes. */
  preview: RegionImage;
  /** Object URL of the thumbnail (the mask as it will be used, white paints). */
  thumbnail: string;
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
  /** Style presets added to the run, styles beside the selected layers. */
  presets: PresetChoice[];
  /** With no content and Pattern on, the texture's size as typed ("WxH"; '' = the run's size, square). */
  textureText: string;
  /** Regions by style id; a style without one paints everywhere. */
  regions: Record<string, StyleRegionState>;
  /** Why the last "Use selection as region" failed, by style id, until the next try. */
  regionProblems: Record<string, string>;
  /** Roles a result remembered ("Stylize again"), applied when its layers arrive in the selection. */
  pendingRoles: Roles | null;
  runner: RunnerStatus;
  /** The in-page engine's measured speed, for the time estimate (measureInPageSpeed). */
  inPageSpeed?: InPageSpeed;
  /** The result layer a run starts from ("Refine" on a result: its pixels, its settings); null: the content. */
  refine: { id: string; name: string } | null;
  /** The layer the last run added: selecting it (Figma does, after a run) keeps the run's layers in the panel. */
  lastResultId?: string;
  /** Invalid text in advanced fields, by field, kept so the user can fix it (never saved). */
  fieldProblems: Record<string, string>;
  run: RunState;
  /** Which content of a batch is painting (several layers marked Content). */
  batch?: BatchPosition;
}

export const INITIAL_STATE: UiState = {
  started: false,
  settings: DEFAULT_SETTINGS,
  runnerToken: '',
  selection: [],
  ignored: 0,
  thumbnails: {},
  roles: { contentId: null, styles: [], excluded: [] },
  presets: [],
  textureText: '',
  regions: {},
  regionProblems: {},
  pendingRoles: null,
  refine: null,
  runner: { state: 'unknown' },
  fieldProblems: {},
  run: { phase: 'idle' },
};
