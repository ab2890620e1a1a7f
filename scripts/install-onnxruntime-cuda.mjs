// postinstall: onnxruntime-node's own install script downloads its CUDA and TensorRT providers (too big
// for npm) and aborts the whole `npm ci` when it cannot, offline for instance. The project does not let
// npm run it (package.json's allowScripts); instead this runs it only where it can help, a Linux x64
// machine with an NVIDIA driver, and only warns if it fails: the CPU and WebGPU providers ship in the
// npm package itself.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const hasNvidiaDriver = existsSync('/proc/driver/nvidia/version');
if (process.platform === 'linux' && process.arch === 'x64' && hasNvidiaDriver && process.env.ONNXRUNTIME_NODE_INSTALL !== 'skip') {
  const packageDir = path.dirname(require.resolve('onnxruntime-node/package.json'));
  if (!existsSync(path.join(packageDir, 'bin/napi-v6/linux/x64/libonnxruntime_providers_cuda.so'))) {
    const result = spawnSync(process.execPath, [path.join(packageDir, 'script/install.js')], {
      cwd: packageDir,
      stdio: 'inherit',
      env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'cuda12' },
    });
    if (result.status !== 0) {
      console.warn('pastiche: the CUDA provider of ONNX Runtime could not be installed (no network?); onnx-webgpu and onnx-cpu remain. `npm rebuild` retries.');
    }
  }
}
