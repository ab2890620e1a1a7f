// PyTorch side of the evaluation timing: bench/torch/time_evaluation.py on the same synthetic weights,
// layers and sizes (each size in its own Python process).
import { CONTENT_LAYERS, FULL_STYLE_LAYERS, lastJsonLine, log, runPython } from './common.ts';

export interface TorchTiming {
  torch: string;
  threads: number;
  results: Array<{ size: number; msPerEvaluation: number; msAll: number[]; cpuMsPerEvaluation: number; peakRssMB: number; baselineRssMB: number }>;
}

export async function timeTorch(weightsDir: string, sizes: number[], repeats: number, threads = 2): Promise<TorchTiming> {
  const layers = [...new Set([...CONTENT_LAYERS, ...FULL_STYLE_LAYERS])].join(',');
  log(`PyTorch: sizes ${sizes.join(', ')}, ${threads} threads, ${repeats} timed evaluations each after 1 warm-up`);
  const stdout = await runPython('time_evaluation.py', ['--weights', weightsDir, '--sizes', sizes.join(','), '--threads', String(threads), '--layers', layers, '--repeats', String(repeats)]);
  return lastJsonLine<TorchTiming>(stdout);
}
