import type { RunnerStatus } from '@pastiche/web-bridge';
import type { BatchPosition, InPageSpeed, PresetChoice, RunState } from '@pastiche/web-bridge/ui';
import type { DocumentInfo, LayerRef } from '../document/types.ts';
import type { PhotopeaSettings } from '../settings/PhotopeaSettings.ts';

/**
 * Where a style paints (absent: everywhere): the selection as it is when Stylize is clicked, or where a
 * layer shows — its pixels' transparency with its layer mask applied, as Photopea exports the layer alone.
 */
export type RegionSource = { kind: 'selection' } | { kind: 'layer'; layer: LayerRef };

/** Who plays which part: the content (a layer, or the whole document) and the styles with their blend weights (0–100) and regions. */
export interface Roles {
  content: LayerRef | 'document' | null;
  /** More layers marked Content: painted with the same styles in the same click, one result each (a batch); absent: none. */
  moreContents?: LayerRef[];
  styles: Array<LayerRef & { weight: number; region?: RegionSource }>;
}

export type DocumentState =
  | { status: 'reading' }
  | { status: 'ready'; doc: DocumentInfo }
  | { status: 'no-document' }
  | { status: 'failed'; message: string; hint?: string };

export interface PanelState {
  document: DocumentState;
  /** The last document read, kept through failures so that the roles survive a hiccup. */
  lastDocument?: DocumentInfo;
  roles: Roles;
  /** Style presets added to the run, styles beside the document's layers. */
  presets: PresetChoice[];
  /** With no content and Pattern on, the texture's size as typed ("WxH"; '' = the run's size, square). */
  textureText: string;
  /** How the results this panel placed were made, newest first (Refine brings one back). */
  results: ResultRecord[];
  /** The result layer the next run starts from ("Refine": its pixels, its settings); null: the content. */
  refine: LayerRef | null;
  settings: PhotopeaSettings;
  runnerToken: string;
  /** What the runner said about the token the user pasted, until they change it. */
  pairingProblem?: string;
  runner: RunnerStatus;
  /** The in-page engine's measured speed, for the time estimate (measureInPageSpeed). */
  inPageSpeed?: InPageSpeed;
  /** Invalid text in Advanced, by field; never saved (the run refuses to start until fixed). */
  fieldProblems: Record<string, string>;
  advancedOpen: boolean;
  run: RunState;
  /** Which content of a batch is painting. */
  batch?: BatchPosition;
}

/**
 * How a result layer was made, for "Refine": its settings, roles and presets. Photopea's scripting DOM gives a
 * plugin nothing to write on a layer but its name, eyes and pixels (and a document's `source` string is the
 * host page's, not saved in the file), so the panel keeps these records itself, by document and layer name,
 * beside its settings (localStorage, or memory where the browser blocks it; see results/resultRecords.ts). A
 * renamed result, or one from another browser, has no record: it is painted again from its content.
 */
export interface ResultRecord {
  document: string;
  layer: string;
  settings: Pick<PhotopeaSettings, 'preset' | 'advanced'>;
  roles: Roles;
  presets: PresetChoice[];
}
