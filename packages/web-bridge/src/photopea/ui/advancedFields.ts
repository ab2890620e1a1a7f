import { DEFAULT_OPTIONS, DEFAULT_WEIGHTS, type StylizeOptions } from '@pastiche/core';
import type { PhotopeaSettings } from '../settings/PhotopeaSettings.ts';
import { QUALITY_PRESETS } from '../settings/qualityPresets.ts';

export type FieldKind = 'number' | 'list' | 'budget' | 'select' | 'checkbox' | 'url';

export interface AdvancedField {
  /** A core option, or one of the two addresses in the settings. */
  key: keyof StylizeOptions | 'runnerUrl' | 'weightsUrl';
  label: string;
  kind: FieldKind;
  /** What applies while the field is empty (the preset's value or the core's default). */
  placeholder(settings: PhotopeaSettings): string;
  options?: string[];
  wide?: boolean;
}

const preset = (s: PhotopeaSettings) => QUALITY_PRESETS[s.preset].options;
const weights = (s: PhotopeaSettings) => DEFAULT_WEIGHTS[s.advanced.normalization ?? DEFAULT_OPTIONS.normalization];
const list = (value: unknown) => (Array.isArray(value) ? value.join(', ') : String(value ?? ''));

/** Advanced, in display order: the Figma plugin's fields. Empty means "the preset's or the default value". */
export const ADVANCED_FIELDS: AdvancedField[] = [
  { key: 'size', label: 'Size, px', kind: 'number', placeholder: (s) => String(preset(s).size) },
  { key: 'evaluations', label: 'Evaluations', kind: 'budget', placeholder: (s) => list(preset(s).evaluations) },
  { key: 'scales', label: 'Scales', kind: 'number', placeholder: (s) => String(preset(s).scales ?? 1) },
  { key: 'seed', label: 'Seed', kind: 'number', placeholder: () => 'random' },
  { key: 'contentWeight', label: 'Content weight', kind: 'number', placeholder: (s) => String(weights(s).contentWeight) },
  { key: 'styleWeight', label: 'Style weight', kind: 'number', placeholder: (s) => String(weights(s).styleWeight) },
  { key: 'tvWeight', label: 'Smoothness (TV)', kind: 'number', placeholder: (s) => String(weights(s).tvWeight) },
  { key: 'model', label: 'Model', kind: 'select', options: ['vgg16', 'vgg19'], placeholder: () => DEFAULT_OPTIONS.model },
  { key: 'contentLayers', label: 'Content layers', kind: 'list', wide: true, placeholder: () => list(DEFAULT_OPTIONS.contentLayers) },
  { key: 'styleLayers', label: 'Style layers', kind: 'list', wide: true, placeholder: () => list(DEFAULT_OPTIONS.styleLayers) },
  { key: 'preserveColors', label: 'Keep the content’s colours', kind: 'checkbox', wide: true, placeholder: () => '' },
  { key: 'runnerUrl', label: 'Runner address', kind: 'url', wide: true, placeholder: () => 'http://127.0.0.1:7878' },
  { key: 'weightsUrl', label: 'Weights URL (in panel)', kind: 'url', wide: true, placeholder: () => 'served by the runner' },
];
