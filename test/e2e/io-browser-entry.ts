/**
 * Bundled (esbuild, platform=browser) and run inside headless Chromium by
 * io-browser.test.ts: in-memory save/load must work in a browser, and a
 * directory save must fail with a clear error instead of crashing the bundle.
 */
import { Sequential, layers, toArtifacts, fromArtifacts, loadModel, Tensor, type ModelArtifacts } from '../../src/index.js';

async function run(): Promise<Record<string, unknown>> {
  const m = new Sequential(
    [
      layers.conv1d({ filters: 3, kernelSize: 2, activation: 'relu', inputShape: [6, 2] }),
      layers.maxPooling1d({ poolSize: 2 }),
      layers.flatten(),
      layers.dropout({ rate: 0.5 }),
      layers.dense({ units: 2, activation: 'softmax' }),
    ],
    { seed: 4 },
  );
  const x = new Tensor([2, 6, 2], 'float32', Float32Array.from({ length: 24 }, (_, i) => Math.sin(i)));
  const expected = Array.from(m.predict(x).data);
  const viaArtifacts = Array.from(fromArtifacts(toArtifacts(m)).predict(x).data);
  let captured: ModelArtifacts | undefined;
  await m.save({
    save: async (a: ModelArtifacts) => {
      captured = a;
      return {};
    },
  } as never);
  const viaHandler = Array.from((await loadModel(captured!)).predict(x).data);
  let dirError = '';
  try {
    await m.save('some/dir');
  } catch (e) {
    dirError = (e as Error).message;
  }
  return { expected, viaArtifacts, viaHandler, dirError, weightBytes: (captured!.weightData as ArrayBuffer).byteLength };
}

(globalThis as { regulaIoBrowser?: () => Promise<Record<string, unknown>> }).regulaIoBrowser = run;
