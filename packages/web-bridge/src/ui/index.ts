// What the Figma and the Photopea plugin's UIs share: DOM helpers, the store, the Engine and Advanced
// sections' parts, the layer list's frame, the run's flow (stylizeInHost), formatting, error messages and
// the engine wiring, and the panel CSS both builds include (panel.css). Browser code: a plugin's host code
// (Figma's main.js) must not import it.
export { ADVANCED_FIELDS, type AdvancedField, type AdvancedSettings, type FieldKind } from './advancedFields.ts';
export { checkFieldValue } from './checkFieldValue.ts';
export { chooseStylesToPaint } from './chooseStylesToPaint.ts';
export { createAdvancedFields, type AdvancedFieldsState } from './createAdvancedFields.ts';
export { createFieldInput, type FieldInput } from './createFieldInput.ts';
export { createEngineProvider, type EngineProvider } from './createEngineProvider.ts';
export { clearFailureWhenCauseChanges } from './clearFailureWhenCauseChanges.ts';
export { createEmptyNote } from './createEmptyNote.ts';
export { createPanelSections } from './createPanelSections.ts';
export { TFJS_BACKENDS } from '../inPage/protocol.ts';
export { createStore, type Store } from './createStore.ts';
export { createWeightLabel } from './createWeightLabel.ts';
export { createWeightSlider } from './createWeightSlider.ts';
export { describeRunnerStatus } from './describeRunnerStatus.ts';
export { explainEngineError, type RunFailure } from './explainEngineError.ts';
export { findMemoryProblem } from './findMemoryProblem.ts';
export { findStyleProblem } from './findStyleProblem.ts';
export { formatDuration } from './formatDuration.ts';
export { formatLoss } from './formatLoss.ts';
export { h } from './h.ts';
export type { HostWords } from './HostWords.ts';
export { inHostWords } from './inHostWords.ts';
export { isAbortError } from './isAbortError.ts';
export { mountEngine, type EngineSectionState } from './mountEngine.ts';
export { mountLayerList, type LayerListView } from './mountLayerList.ts';
export { mountQuality, type InPageSpeed, type QualitySectionState } from './mountQuality.ts';
export { measureInPageSpeed, type SpeedStorage } from './measureInPageSpeed.ts';
export { mountRunPanel, type RunPanelState } from './mountRunPanel.ts';
export { isBusy, type RunState } from './RunState.ts';
export { parseFieldText } from './parseFieldText.ts';
export { showFieldValue } from './showFieldValue.ts';
export { showWeightPercentages } from './showWeightPercentages.ts';
export { stylizeEach, type BatchPosition, type BatchState } from './stylizeEach.ts';
export { stylizeInHost, type Placed, type PlaceStep, type RunImages, type RunStep, type StylizeHost, type StylizeState } from './stylizeInHost.ts';
export { watchRunner } from './watchRunner.ts';
export { withFieldValue } from './withFieldValue.ts';
export { exportPresetPng } from './exportPresetPng.ts';
export { mountPresetStrip, type PresetChoice, type PresetHost, type PresetImages } from './mountPresetStrip.ts';
export { presetRows, presetWeightKey } from './presetRows.ts';
export { createTextureNote } from './createTextureNote.ts';
export { findTextureProblem, textureSizeOf, type TextureState } from './textureSize.ts';
