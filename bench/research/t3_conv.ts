// conv2d 3x3 128->128 at 128x128: single-thread SIMD wasm vs threaded SIMD wasm (2 threads), interleaved.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { registerThreadedWasm } from './mtwasm.ts';
registerThreadedWasm(2, 'wasm-mt');
const backends = ['wasm', 'wasm-mt'];
for (const b of backends) { await tf.setBackend(b); console.log(b, 'threads', (tf.backend() as any).threads ?? 1); }
const xs = new Float32Array(128 * 128 * 128).map((_, i) => Math.sin(i));
const ws = new Float32Array(9 * 128 * 128).map((_, i) => 0.05 * Math.cos(i));
const data: Record<string, any> = {};
for (const b of backends) { tf.setBackend(b); data[b] = { x: tf.tensor4d(xs, [1, 128, 128, 128]), w: tf.tensor4d(ws, [3, 3, 128, 128]) }; }
const res: Record<string, number[]> = { wasm: [], 'wasm-mt': [] };
const cpu: Record<string, number[]> = { wasm: [], 'wasm-mt': [] };
for (let it = 0; it < 8; it++) for (const b of backends) {
  tf.setBackend(b); const { x, w } = data[b];
  const c0 = process.cpuUsage(); const t0 = performance.now();
  const y = tf.conv2d(x, w, 1, 'same'); const v = y.dataSync(); y.dispose();
  const dt = performance.now() - t0; const c = process.cpuUsage(c0);
  if (it > 0) { res[b].push(dt); cpu[b].push((c.user + c.system) / 1000); }
  if (it === 0) console.log(b, 'checksum', v[12345]);
}
const med = (a: number[]) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)];
console.log('backend | min ms | median ms | median cpu ms');
for (const b of backends) console.log(b, '|', Math.min(...res[b]).toFixed(1), '|', med(res[b]).toFixed(1), '|', med(cpu[b]).toFixed(1));
process.exit(0);
