// The in-page engine's worker with TensorFlow.js only (134 KB smaller), for hosts where WebGPU cannot be
// reached: Figma shows a plugin's UI as a data: URL, which is not a secure context.
import { serveEngine } from './serveEngine.ts';

serveEngine();
