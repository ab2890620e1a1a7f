import { DEFAULT_OPTIONS, DEFAULT_WEIGHTS, WASSERSTEIN_STYLE_WEIGHT, type StylizeOptions } from '@pastiche/core';
import { QUALITY_PRESETS } from '../settings/qualityPresets.ts';
import { DEFAULT_RUNNER_URL } from '../runner/createRunnerClient.ts';
import { DEFAULT_WEIGHTS_ORIGIN } from '../weights/defaultWeights.ts';
import type { RunSettings } from '../settings/resolveRunOptions.ts';

/** The settings the Advanced section edits: the run's options and the two addresses. */
export interface AdvancedSettings extends RunSettings {
  runnerUrl: string;
  weightsUrl?: string;
}

export type FieldKind = 'number' | 'list' | 'budget' | 'select' | 'checkbox' | 'url';

export interface AdvancedField {
  /** A key of StylizeOptions, or of the plugin settings for the two addresses. */
  key: keyof StylizeOptions | 'runnerUrl' | 'weightsUrl';
  label: string;
  kind: FieldKind;
  /** What applies while the field is empty (from the preset or the core's defaults). */
  placeholder(settings: RunSettings): string;
  options?: string[];
  wide?: boolean;
}

const preset = (settings: RunSettings) => QUALITY_PRESETS[settings.preset].options;
const weights = (settings: RunSettings) => DEFAULT_WEIGHTS[settings.advanced.normalization ?? DEFAULT_OPTIONS.normalization];
const list = (value: unknown) => (Array.isArray(value) ? value.join(', ') : String(value ?? ''));

/** The advanced section's fields, in display order. Empty means "the preset's or the default value". */
export const ADVANCED_FIELDS: AdvancedField[] = [
  { key: 'size', label: 'Size, px', kind: 'number', placeholder: (s) => String(preset(s).size) },
  // Empty: the auto schedule chooses both; either set: exactly that (schedule fixed, 1 scale, 200 evaluations unless set).
  { key: 'evaluations', label: 'Evaluations', kind: 'budget', placeholder: () => 'auto' },
  { key: 'scales', label: 'Scales', kind: 'number', placeholder: () => 'auto' },
  { key: 'seed', label: 'Seed', kind: 'number', placeholder: () => 'random' },
  { key: 'contentWeight', label: 'Content weight', kind: 'number', placeholder: (s) => String(weights(s).contentWeight) },
  { key: 'styleWeight', label: 'Style weight', kind: 'number', placeholder: (s) => String(s.advanced.styleLoss === 'wasserstein' ? WASSERSTEIN_STYLE_WEIGHT : weights(s).styleWeight) },
  { key: 'tvWeight', label: 'Smoothness (TV)', kind: 'number', placeholder: (s) => String(weights(s).tvWeight) },
  { key: 'model', label: 'Model', kind: 'select', options: ['vgg16', 'vgg19'], placeholder: () => DEFAULT_OPTIONS.model },
  { key: 'styleLoss', label: 'Style loss', kind: 'select', options: ['gram', 'wasserstein'], placeholder: () => DEFAULT_OPTIONS.styleLoss },
  { key: 'contentLayers', label: 'Content layers', kind: 'list', wide: true, placeholder: () => list(DEFAULT_OPTIONS.contentLayers) },
  { key: 'styleLayers', label: 'Style layers', kind: 'list', wide: true, placeholder: () => list(DEFAULT_OPTIONS.styleLayers) },
  { key: 'preserveColors', label: 'Keep the content’s colours', kind: 'checkbox', wide: true, placeholder: () => '' },
  { key: 'seamless', label: 'Pattern: the result tiles without a seam', kind: 'checkbox', wide: true, placeholder: () => '' },
  { key: 'runnerUrl', label: 'Runner address', kind: 'url', wide: true, placeholder: () => DEFAULT_RUNNER_URL },
  { key: 'weightsUrl', label: 'Weights URL', kind: 'url', wide: true, placeholder: () => `the runner's, else ${new URL(DEFAULT_WEIGHTS_ORIGIN).host}` },
];
