// The engine process's entry: `pastiche serve` forks it (built to dist/engine-process.js).
import { runEngineProcess } from './runEngineProcess.ts';

runEngineProcess();
