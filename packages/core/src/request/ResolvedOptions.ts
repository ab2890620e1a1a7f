import type { PlateauRule } from '../plan/planSchedule.ts';
import type { StylizeOptions } from './optionsSchema.ts';

/** Options with every default filled in and derived values resolved. */
export type ResolvedOptions = Required<Omit<StylizeOptions, 'restartEvery' | 'evaluations' | 'lbfgsHistory' | 'maxMemory' | 'tileSize'>> & {
  /** Bytes; undefined: the engine's limit (planScales). */
  maxMemory?: number;
  /** undefined: tiles only where the memory needs them. */
  tileSize?: number;
  restartEvery?: number;
  /** undefined: sized to the image (defaultLbfgsHistory). */
  lbfgsHistory?: number;
  /** Budget of each scale, coarsest first. */
  evaluations: number[];
  /** Longest side of each scale, coarsest first (the last is size). */
  scaleSides: number[];
  /** When a scale ends before its budget (schedule auto); undefined: never. */
  plateau?: PlateauRule;
};
