// The in-page engine's worker with every backend: ONNX Runtime on WebGPU, and TensorFlow.js.
import { serveEngine } from './serveEngine.ts';
import { startOnnxWebGpu } from './onnxruntime/startOnnxWebGpu.ts';

serveEngine(startOnnxWebGpu);
