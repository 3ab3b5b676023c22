// The tfjs backend's overhead on tfjs `webgl`, in headless Chromium: bench/tfjs-backend.ts's
// comparison (the reference MLP trained by simdnet on `configureBackend({ backend: 'tfjs', tf,
// tfjsBackend: 'webgl' })` against the same model written with tfjs-layers, on the same tfjs backend,
// from the same initial weights on the same samples; interleaved rounds after a warm-up epoch each;
// medians; goal: simdnet's epoch within 10% of tfjs-layers') for the backend Node cannot run.
//
// WebGL here is SwiftShader (--use-angle=swiftshader --enable-unsafe-swiftshader: WebGL 2 with
// float32 textures, emulated on the CPU), so that the bench needs no GPU. These figures therefore
// measure the overhead of simdnet's program execution (its JavaScript per call, the per-step reads
// of the loss and metric, the training set's upload per fit) on top of the same tfjs webgl kernels;
// they say nothing about GPU speed, and on a real GPU, where the kernels are far faster, the same
// overhead is a larger share of the epoch.
//
// The page (bench/browser/page.html) loads window.tf from node_modules/@tensorflow/tfjs/dist and
// simdnet from dist/ (built here when stale: test/browser/harness.ts's ensureBuilt), generates the
// samples itself (28×28 values from integer arithmetic, labels i % 10: the content does not matter
// for speed; 1,024 samples per epoch at batch 32, 2,048 at batch 128) and runs the epochs
// (bench/browser/tfjs-webgl.js); this file drives it one epoch per page.evaluate and prints the
// table. Besides the table it logs tf.memory().numTensors after every epoch (a change is a leak)
// and the cost of uploading the training set as a texture, which simdnet's fit pays at every call.
//
// Measured when this file was added (see its commit): simdnet 2.9–4× slower at batch 32 and
// 1.4–2.6× at batch 128. With tf.env().set('WEBGL_PACK', false) the gap shrank to 1.2× and 1.03×:
// most of it is webgl's packed textures. simdnet keeps values flat (1-D), and a matrix product's
// packed [rows, cols] output reshaped to 1-D (or a flat operand reshaped for tf.matMul) is a
// relayout shader on webgl, where tfjs-layers' 2-D tensors reshape for free; tf.profile also shows
// ~0.8–1M floats a step copied by Slice kernels (values taken out of larger flat buffers).
//
// Run alone: npx tsx bench/browser-tfjs.ts   (Debian's chromium, or CHROMIUM_PATH; 1–2 minutes)

import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_PATH, ensureBuilt } from '../test/browser/harness.js';
import { startStaticServer } from '../test/browser/server.js';
import type * as Bench from './browser/tfjs-webgl.js';
import { TFJS_BACKEND_BATCHES, TFJS_BACKEND_ROUNDS, tfjsBackendTable, type TfjsBackendRow } from './tfjs-backend.js';
import { median } from './training.js';

/**
 * Samples per timed epoch, per batch size: SwiftShader trains a few hundred (simdnet, batch 32) to
 * ~2k samples/s of this model; batch 128 gets 16 steps rather than 8.
 */
export const TFJS_WEBGL_SAMPLES: Readonly<Record<(typeof TFJS_BACKEND_BATCHES)[number], number>> = {
  32: 1024,
  128: 2048,
};
/** WebGL 2 on the CPU (SwiftShader) with float32 render targets, as test/browser/tfjs.test.ts. */
export const TFJS_WEBGL_ARGS = [
  '--headless',
  '--no-sandbox',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--no-first-run',
  '--disable-background-networking',
];
const PAGE = '/bench/browser/page.html';

type Globals = { simdnet: typeof import('../src/index.js'); tf: unknown; bench: typeof Bench };

const log = (line: string) => process.stderr.write(`${line}\n`);

export async function benchTfjsWebgl(): Promise<TfjsBackendRow[]> {
  await ensureBuilt();
  const server = await startStaticServer();
  let browser: Browser | undefined;
  const messages: string[] = [];
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: TFJS_WEBGL_ARGS,
      timeout: 60_000,
    });
    const page = await browser.newPage();
    page.setDefaultTimeout(240_000);
    page.on('console', (m) => messages.push(`[${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => messages.push(`[pageerror] ${String(e.stack ?? e)}`));
    const response = await page.goto(server.url + PAGE);
    if (!response?.ok()) throw new Error(`${PAGE} answered ${response?.status()}`);
    await page.waitForFunction(() => (window as { simdnetLoaded?: unknown }).simdnetLoaded !== undefined, null, {
      timeout: 30_000,
    });
    const loaded = await page.evaluate(
      () => (window as unknown as { simdnetLoaded: { ok: boolean; error?: string; tf?: boolean } }).simdnetLoaded,
    );
    if (!loaded.ok) throw new Error(`the page could not import dist/: ${loaded.error}`);
    if (!loaded.tf) throw new Error('tf.min.js did not define window.tf');

    const info = await page.evaluate(
      (s) => {
        const g = window as unknown as Globals;
        return g.bench.setup(g.simdnet, g.tf, { samples: s });
      },
      Math.max(...Object.values(TFJS_WEBGL_SAMPLES)),
    );
    if (info.tfBackend !== 'webgl' || info.webglVersion !== 2 || !info.float32) {
      throw new Error(`expected WebGL 2 with float32 textures, got ${JSON.stringify(info)}`);
    }
    log(
      `  Chromium ${browser.version()}, tfjs ${info.tfVersion} webgl ${info.webglVersion}, ${info.renderer}; ` +
        `simdnet on ${info.simdnetBackend}`,
    );

    const rows: TfjsBackendRow[] = [];
    for (const batch of TFJS_BACKEND_BATCHES) {
      const samples = TFJS_WEBGL_SAMPLES[batch];
      const warm = await page.evaluate(([b, n]) => (window as unknown as Globals).bench.prepare(b, n), [
        batch,
        samples,
      ] as const);
      log(
        `  webgl batch ${batch} warm-up: simdnet ${warm.simdnetWarmup.seconds.toFixed(2)} s, ` +
          `tfjs-layers ${warm.tfjsWarmup.seconds.toFixed(2)} s; ` +
          `tf.memory: ${warm.memory.numTensors} tensors`,
      );
      const ours: number[] = [];
      const theirs: number[] = [];
      const tensors: number[] = [warm.memory.numTensors];
      for (let r = 0; r < TFJS_BACKEND_ROUNDS; r++) {
        const a = await page.evaluate(() => (window as unknown as Globals).bench.simdnetEpoch());
        const b = await page.evaluate(() => (window as unknown as Globals).bench.tfjsEpoch());
        ours.push(a.rate);
        theirs.push(b.rate);
        tensors.push(a.memory.numTensors, b.memory.numTensors);
        log(
          `    round ${r + 1}: simdnet ${a.rate.toFixed(0)} samples/s (loss ${a.loss.toFixed(4)}), ` +
            `tfjs-layers ${b.rate.toFixed(0)} (loss ${b.loss.toFixed(4)}); ` +
            `numTensors ${a.memory.numTensors} → ${b.memory.numTensors}`,
        );
      }
      const left = await page.evaluate(() => (window as unknown as Globals).bench.dispose());
      if (tensors.some((n) => n !== tensors[0]))
        log(`    numTensors changed between epochs: ${tensors.join(', ')} (a leak)`);
      log(`    after disposing both models: ${left.numTensors} tensors`);
      const row: TfjsBackendRow = {
        tfjsBackend: 'webgl',
        batchSize: batch,
        samples,
        simdnet: median(ours),
        tfjsLayers: median(theirs),
        overhead: median(theirs) / median(ours),
      };
      log(
        `  tfjs webgl batch ${batch}: simdnet ${row.simdnet.toFixed(0)} vs tfjs-layers ${row.tfjsLayers.toFixed(0)} ` +
          `samples/s (${row.overhead.toFixed(2)}×)`,
      );
      rows.push(row);
    }
    const probed = Math.min(...Object.values(TFJS_WEBGL_SAMPLES));
    const upload = await page.evaluate((n) => (window as unknown as Globals).bench.uploadProbe(n), probed);
    log(
      `  the upload of ${probed} samples as a texture (simdnet's fit makes it at every call; ` +
        `tfjs-layers' tensors are made once): ${(upload * 1000).toFixed(1)} ms`,
    );
    const errors = messages.filter((m) => m.startsWith('[pageerror]') || m.startsWith('[error]'));
    if (errors.length > 0) log(`  the page reported:\n    ${errors.join('\n    ')}`);
    return rows;
  } catch (error) {
    if (messages.length > 0) log(`  page console:\n    ${messages.join('\n    ')}`);
    throw error;
  } finally {
    await browser?.close().catch(() => undefined);
    await server.close();
  }
}

if (process.argv[1]?.endsWith('browser-tfjs.ts')) {
  const started = performance.now();
  const rows = await benchTfjsWebgl();
  console.log(tfjsBackendTable(rows));
  log(`  (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  process.exit(0);
}
