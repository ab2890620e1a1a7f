import * as tf from '@tensorflow/tfjs-core';
import * as wasm from '@tensorflow/tfjs-backend-wasm';
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
wasm.setThreadsCount(2);
process.on('unhandledRejection', (e) => { console.log('unhandledRejection', e); });
try {
  const ok = await tf.setBackend('wasm');
  console.log('setBackend', ok);
  await tf.ready();
  console.log('threads', wasm.getThreadsCount());
  const x = tf.randomNormal([1, 64, 64, 32]); const w = tf.randomNormal([3, 3, 32, 32]);
  console.log(tf.conv2d(x as any, w as any, 1, 'same').sum().dataSync());
} catch (e) { console.log('ERR', e); }
setTimeout(() => process.exit(0), 3000);
