// Optional native reference for the training benchmark: the reference MLP (Flatten 784 → Dense 300 relu
// → Dense 100 relu → Dense 10, softmax cross-entropy, SGD 0.01) trained by PyTorch on the CPU, one
// shuffled epoch of 10,000 samples, at 1 and 2 threads × batch 32, 128 and 512, in samples per second.
// The training itself is bench/native/pytorch_mlp.py; this module finds a Python with torch, runs the
// script once per configuration and parses its JSON line.
//
// Optional by design: with no importable torch, pytorchRows() returns { skipped } and the caller goes
// on. A torch that is found but fails to train is an error (it throws), not a skip.
//
// The figures depend on the BLAS: Debian's python3-torch calls whatever libblas.so.3 the alternatives
// system selects, and the reference BLAS is ~20× slower than OpenBLAS. Each row carries the BLAS the
// process actually loaded; install `libopenblas0-openmp` for a meaningful reference.
//
// Run alone: npx tsx bench/native/pytorch.ts [--epochs 3] [--python /usr/bin/python3]

import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';

const run = promisify(execFile);

const SCRIPT = fileURLToPath(new URL('./pytorch_mlp.py', import.meta.url));
const FEATURES = 28 * 28;

/** Debian's interpreter first: a pyenv (or venv) python3 earlier on PATH usually has no torch. */
export const PYTHON_CANDIDATES = ['/usr/bin/python3', 'python3'] as const;
export const PYTORCH_THREADS = [1, 2] as const;
export const PYTORCH_BATCH_SIZES = [32, 128, 512] as const;
/** Timed epochs per configuration after a warm-up epoch; the median is reported (as bench/training.ts's ROUNDS). */
export const PYTORCH_EPOCHS = 3;
export const PYTORCH_SAMPLES = 10_000;

/** One configuration's result, as printed by pytorch_mlp.py. */
export interface PytorchRow {
  threads: number;
  batch: number;
  samples: number;
  /** samples / median(epochSeconds). */
  samplesPerSecond: number;
  epochSeconds: number[];
  /** torch.__version__ (Debian's 1.13.1 reports "1.13.0a0"). */
  torch: string;
  /** BLAS libraries mapped into the process, e.g. …/openblas-openmp/libblas.so.3. */
  blas: string;
  /** Mean loss of the last timed epoch: a sanity check that training ran (≈ ln 10 on random labels). */
  loss: number;
  /** After poolRuns(): each run's samples/s, in the order run. */
  runs?: number[];
}

/** Training data to pass to PyTorch instead of its random default (values do not change the speed). */
export interface PytorchData {
  /** N × 784 floats in [0, 1], row-major. */
  images: Float32Array;
  /** N class indices 0–9. */
  labels: ArrayLike<number>;
}

export interface PytorchOptions {
  /** Interpreter to use; default: the first of PYTHON_CANDIDATES that can import torch. */
  python?: string;
  threads?: readonly number[];
  batchSizes?: readonly number[];
  epochs?: number;
  /** Samples per epoch when `data` is not given (random data of that size). */
  samples?: number;
  data?: PytorchData;
  /** Progress lines; default: stderr. */
  log?: (line: string) => void;
  /** Per configuration. Generous: two threads on a contended 2-core machine ran ~70× slower than idle. */
  timeoutMs?: number;
}

const defaultLog = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/** The first interpreter that imports torch, with torch's version, or why none did. */
export async function findTorchPython(
  candidates: readonly string[] = PYTHON_CANDIDATES,
): Promise<{ python: string; torch: string } | { skipped: string }> {
  const failures: string[] = [];
  for (const python of candidates) {
    try {
      const { stdout } = await run(python, ['-c', 'import torch; print(torch.__version__)'], { timeout: 60_000 });
      return { python, torch: stdout.trim() };
    } catch (error) {
      failures.push(`${python}: ${describeFailure(error)}`);
    }
  }
  return {
    skipped:
      `no python3 with torch (${failures.join('; ')}); on Debian: apt-get install python3-torch ` +
      `libopenblas0-openmp`,
  };
}

/** PyTorch's samples/s for every threads × batch size pair, run one after the other (never concurrently:
 * the configurations would compete for the same two cores). */
export async function pytorchRows(options: PytorchOptions = {}): Promise<PytorchRow[] | { skipped: string }> {
  const log = options.log ?? defaultLog;
  // Encoded before anything runs, so that bad data fails fast whether or not torch is installed.
  const payload = options.data ? encodeData(options.data) : undefined;
  const found = await findTorchPython(options.python === undefined ? PYTHON_CANDIDATES : [options.python]);
  if ('skipped' in found) return found;
  log(`PyTorch ${found.torch} (${found.python})`);

  const dir = payload ? await mkdtemp(path.join(os.tmpdir(), 'simdnet-pytorch-')) : undefined;
  try {
    const dataArgs: string[] = [];
    if (payload && dir) {
      const file = path.join(dir, 'data.bin');
      await writeFile(file, payload);
      dataArgs.push('--data', file);
    } else {
      dataArgs.push('--samples', String(options.samples ?? PYTORCH_SAMPLES));
    }

    const rows: PytorchRow[] = [];
    for (const threads of options.threads ?? PYTORCH_THREADS) {
      for (const batch of options.batchSizes ?? PYTORCH_BATCH_SIZES) {
        const args = [
          SCRIPT,
          '--threads',
          String(threads),
          '--batch',
          String(batch),
          '--epochs',
          String(options.epochs ?? PYTORCH_EPOCHS),
          ...dataArgs,
        ];
        // OMP_NUM_THREADS as well as torch.set_num_threads: OpenBLAS-openmp sizes its pool from OpenMP,
        // and an inherited OMP_NUM_THREADS must not override the configuration being measured.
        const env = { ...process.env, OMP_NUM_THREADS: String(threads) };
        let stdout: string;
        try {
          ({ stdout } = await run(found.python, args, { env, timeout: options.timeoutMs ?? 600_000 }));
        } catch (error) {
          throw new Error(`PyTorch benchmark failed (${found.python} ${args.join(' ')}): ${describeFailure(error)}`);
        }
        const row = parseRow(stdout);
        if (!/openblas/i.test(row.blas))
          log(`  warning: PyTorch is not using OpenBLAS (${row.blas}); its figures are not a fair reference`);
        log(
          `  ${threads} thread${threads > 1 ? 's' : ''}, batch ${batch}: ${row.samplesPerSecond.toFixed(0)}/s ` +
            `(epochs ${row.epochSeconds.map((s) => s.toFixed(3)).join(', ')} s)`,
        );
        rows.push(row);
      }
    }
    return rows;
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}

/**
 * One row per configuration from several runs of pytorchRows(): samples / the median of all their
 * timed epochs, with each run's own figure in `runs`. PyTorch's two-thread figures moved by up to
 * 1.6× between runs minutes apart on these machines (its OpenMP threads wait for each other at every
 * operator), so one run is a poor reference.
 */
export function poolRuns(runs: readonly (readonly PytorchRow[])[]): PytorchRow[] {
  return runs[0].map((first) => {
    const same = runs.map((rows) => rows.find((r) => r.threads === first.threads && r.batch === first.batch));
    if (same.some((r) => r === undefined))
      throw new Error(`poolRuns: a run has no row for ${first.threads} threads, batch ${first.batch}`);
    const rows = same as PytorchRow[];
    const epochSeconds = rows.flatMap((r) => r.epochSeconds);
    const sorted = [...epochSeconds].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    return {
      ...first,
      epochSeconds,
      samplesPerSecond: first.samples / median,
      runs: rows.map((r) => r.samplesPerSecond),
    };
  });
}

/** Markdown: one line per batch size, one column per thread count (each run's figure after a pooled one). */
export function pytorchTable(rows: readonly PytorchRow[]): string {
  const threads = [...new Set(rows.map((r) => r.threads))].sort((a, b) => a - b);
  const batches = [...new Set(rows.map((r) => r.batch))].sort((a, b) => a - b);
  const header = `| batch | ${threads.map((t) => `PyTorch ${t} thread${t > 1 ? 's' : ''}`).join(' | ')} |`;
  const rule = `|---:|${threads.map(() => '---:').join('|')}|`;
  const lines = batches.map((batch) => {
    const cells = threads.map((t) => {
      const row = rows.find((r) => r.threads === t && r.batch === batch);
      if (!row) return '–';
      return row.runs && row.runs.length > 1
        ? `${k(row.samplesPerSecond)} (runs: ${row.runs.map(k).join(', ')})`
        : k(row.samplesPerSecond);
    });
    return `| ${batch} | ${cells.join(' | ')} |`;
  });
  return [header, rule, ...lines].join('\n');
}

/** Same rounding as bench/training.ts, so the tables read alike. */
const k = (v: number): string =>
  v >= 10_000 ? `${(v / 1000).toFixed(1)}k` : v >= 1000 ? `${(v / 1000).toFixed(2)}k` : v.toFixed(0);

/** pytorch_mlp.py's --data format: int32 N, int32 784, N × 784 float32, N int32, little-endian. */
function encodeData({ images, labels }: PytorchData): Buffer {
  const n = labels.length;
  if (n === 0 || images.length !== n * FEATURES) {
    throw new Error(
      `pytorchRows: data needs N × ${FEATURES} image floats for N labels (N ≥ 1); received ${images.length} ` +
        `floats and ${n} labels`,
    );
  }
  // Typed arrays are in host byte order; the file is read as little-endian.
  if (os.endianness() !== 'LE') throw new Error('pytorchRows: data files are written on little-endian hosts only');
  const header = new Int32Array([n, FEATURES]);
  const y = Int32Array.from(labels);
  return Buffer.concat([header, images, y].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)));
}

function parseRow(stdout: string): PytorchRow {
  const line = stdout.trim().split('\n').pop() ?? '';
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new Error(`pytorch_mlp.py printed no JSON line: ${JSON.stringify(stdout.slice(-500))}`);
  }
  if (!isRow(value)) throw new Error(`pytorch_mlp.py printed an unexpected result: ${line}`);
  return value;
}

function isRow(v: unknown): v is PytorchRow {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  const num = (key: string): boolean => typeof r[key] === 'number' && Number.isFinite(r[key]);
  return (
    num('threads') &&
    num('batch') &&
    num('samples') &&
    num('samplesPerSecond') &&
    num('loss') &&
    Array.isArray(r.epochSeconds) &&
    r.epochSeconds.every((s) => typeof s === 'number') &&
    typeof r.torch === 'string' &&
    typeof r.blas === 'string'
  );
}

/** A child-process failure in one line: missing binary, timeout, or the tail of its stderr. */
function describeFailure(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const e = error as { code?: unknown; killed?: boolean; signal?: unknown; stderr?: unknown; message?: unknown };
  if (e.code === 'ENOENT') return 'not found';
  if (e.killed) return `killed (${String(e.signal)}), probably the timeout`;
  const stderr = typeof e.stderr === 'string' ? e.stderr.trim().split('\n').slice(-1)[0] : '';
  return stderr || String(e.message);
}

// ---- CLI -------------------------------------------------------------------------------------

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const { values } = parseArgs({ options: { epochs: { type: 'string' }, python: { type: 'string' } } });
  const epochs = values.epochs === undefined ? PYTORCH_EPOCHS : Number(values.epochs);
  if (!Number.isInteger(epochs) || epochs < 1)
    throw new Error(`--epochs must be a positive integer, received ${values.epochs}`);
  const load = () =>
    os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
  defaultLog(
    `load average before: ${load()} (nproc ${os.availableParallelism()}); other processes on the cores slow 2 ` +
      `threads most`,
  );
  const result = await pytorchRows({ epochs, python: values.python });
  if ('skipped' in result) {
    console.log(`PyTorch benchmark skipped: ${result.skipped}`);
  } else {
    defaultLog(`load average after: ${load()}`);
    const first = result[0];
    console.log(
      `PyTorch ${first?.torch} on the CPU, BLAS ${first?.blas}; samples/s, median of ${epochs} epochs of ` +
        `${first?.samples} samples after a warm-up\n`,
    );
    console.log(pytorchTable(result));
  }
}
