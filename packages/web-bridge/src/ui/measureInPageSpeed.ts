import { vggConvLayerNames, type EvaluationCalibration } from '@pastiche/core';
import { resolveRunOptions } from '../settings/resolveRunOptions.ts';
import type { Store } from './createStore.ts';
import type { EngineProvider } from './createEngineProvider.ts';
import type { QualitySectionState } from './mountQuality.ts';

/** Where a host keeps the in-page engine's calibration between sessions (Photopea: localStorage; Figma: clientStorage, through its main code). */
export interface SpeedStorage {
  /** What was saved, unchecked (storage is the user's to change): a value that is no calibration is measured again. */
  load(): unknown;
  save(calibration: EvaluationCalibration): void;
}

/**
 * Times the in-page engine once, unless `storage` has a calibration from an earlier session, so
 * that the Quality section can say how long a run takes here before the first run: one evaluation at
 * 128 px in the worker, on weights of the real shapes (nothing is downloaded; a few seconds on WebAssembly).
 * A run started meanwhile comes first (InPageEngine.calibrate): the estimate then comes after it. A
 * calibration that fails leaves the estimate out.
 */
export function measureInPageSpeed<S extends QualitySectionState & { settings: { weightsUrl?: string } }>(store: Store<S>, engines: EngineProvider, storage?: SpeedStorage): void {
  const stored = storage?.load();
  if (isCalibration(stored)) return store.update({ inPageSpeed: stored } as Partial<S>);
  const { settings } = store.get();
  const options = resolveRunOptions(settings);
  store.update({ inPageSpeed: 'measuring' } as Partial<S>);
  engines
    .inPageEngine({ model: options.model ?? 'vgg16', weightsUrl: settings.weightsUrl })
    .calibrate(options, (waiting) => store.update({ inPageSpeed: waiting ? 'after-run' : 'measuring' } as Partial<S>))
    .then(
      (calibration) => {
        storage?.save(calibration);
        store.update({ inPageSpeed: calibration } as Partial<S>);
      },
      () => store.update({ inPageSpeed: undefined } as Partial<S>),
    );
}

function isCalibration(value: unknown): value is EvaluationCalibration {
  const c = value as Partial<EvaluationCalibration> | null;
  return (
    typeof c?.msPerPixel === 'number' && c.msPerPixel > 0 && Number.isFinite(c.msPerPixel) &&
    (c.model === 'vgg16' || c.model === 'vgg19') && typeof c.throughLayer === 'string' && vggConvLayerNames(c.model).includes(c.throughLayer)
  );
}
