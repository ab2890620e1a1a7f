// An engine process (as pastiche serve forks it) whose engine fails on purpose for the seeds of failingEngine.ts.
import { runEngineProcess } from '../../../src/engine/runEngineProcess.ts';
import { engineFailingOnSeed } from './failingEngine.ts';

runEngineProcess({ createPastiche: engineFailingOnSeed });
