// Weight groups: tensors laid end to end in little-endian bytes (float32 or int32), described by a
// manifest group { paths, weights: [{ name, shape, dtype }] } as tfjs writes them. Decoding checks
// every spec and that the files hold exactly the bytes the specs add up to.

import { DataError, describe } from '../../errors.js';
import { Tensor } from '../../tensor.js';
import type { WeightGroup, WeightSpec } from './types.js';

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Lays named tensors end to end in one file `path`. */
export function encodeGroup(
  path: string,
  named: readonly { name: string; tensor: Tensor }[],
): { group: WeightGroup; bytes: Uint8Array } {
  const total = named.reduce((n, { tensor }) => n + tensor.size * 4, 0);
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  let offset = 0;
  for (const { tensor } of named) {
    if (LITTLE_ENDIAN) {
      bytes.set(new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.size * 4), offset);
    } else {
      const float = tensor.dtype === 'float32';
      for (let i = 0; i < tensor.size; i++)
        float
          ? view.setFloat32(offset + 4 * i, tensor.data[i], true)
          : view.setInt32(offset + 4 * i, tensor.data[i], true);
    }
    offset += tensor.size * 4;
  }
  const weights: WeightSpec[] = named.map(({ name, tensor }) => ({
    name,
    shape: [...tensor.shape],
    dtype: tensor.dtype,
  }));
  return { group: { paths: [path], weights }, bytes };
}

function checkSpec(spec: unknown, where: string): WeightSpec {
  if (typeof spec !== 'object' || spec === null)
    throw new DataError(`${where}: expected { name, shape, dtype }, received ${describe(spec)}.`);
  const s = spec as Record<string, unknown>;
  if (typeof s.name !== 'string' || s.name.length === 0)
    throw new DataError(`${where}: name: expected a non-empty string, received ${describe(s.name)}.`);
  if (!Array.isArray(s.shape) || !s.shape.every((d) => Number.isInteger(d) && d >= 0))
    throw new DataError(
      `${where} (${s.name}): shape: expected an array of non-negative integers, received ${describe(s.shape)}.`,
    );
  const dtype = s.dtype ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'int32') {
    throw new DataError(
      `${where} (${s.name}): dtype ${describe(dtype)} is not supported; simdnet reads float32 and int32 weights ` +
        `(quantized or float16 weights must be converted first).`,
    );
  }
  if (s.quantization !== undefined)
    throw new DataError(
      `${where} (${s.name}): quantized weights are not supported; save the model without quantization.`,
    );
  return {
    name: s.name,
    shape: s.shape as number[],
    dtype,
    ...(typeof s.group === 'string' ? { group: s.group } : {}),
  };
}

/** Checks a manifest group's form (paths and specs), without reading files. */
export function checkGroup(group: unknown, where: string): WeightGroup {
  if (typeof group !== 'object' || group === null)
    throw new DataError(`${where}: expected { paths, weights }, received ${describe(group)}.`);
  const g = group as Record<string, unknown>;
  if (!Array.isArray(g.paths) || g.paths.length === 0 || !g.paths.every((p) => typeof p === 'string'))
    throw new DataError(`${where}.paths: expected an array of file names, received ${describe(g.paths)}.`);
  if (!Array.isArray(g.weights))
    throw new DataError(
      `${where}.weights: expected an array of { name, shape, dtype }, received ${describe(g.weights)}.`,
    );
  return { paths: g.paths as string[], weights: g.weights.map((s, i) => checkSpec(s, `${where}.weights[${i}]`)) };
}

/** Decodes a group from its files' bytes (concatenated in `paths` order), checking the total size. */
export function decodeGroup(
  group: WeightGroup,
  shards: readonly Uint8Array[],
  where: string,
): { spec: WeightSpec; tensor: Tensor }[] {
  const expected = group.weights.reduce((n, s) => n + 4 * s.shape.reduce((a, b) => a * b, 1), 0);
  const actual = shards.reduce((n, s) => n + s.length, 0);
  if (actual !== expected) {
    const sizes = group.paths.map((p, i) => `${p}: ${shards[i].length} bytes`).join(', ');
    throw new DataError(
      `${where}: the weight file${group.paths.length > 1 ? 's' : ''} hold${group.paths.length > 1 ? '' : 's'} ` +
        `${actual} bytes (${sizes}) but the manifest's ${group.weights.length} tensors need ${expected}: the ` +
        `file${group.paths.length > 1 ? 's are' : ' is'} ` +
        `${actual < expected ? 'truncated' : 'longer than the manifest says'} or ` +
        `belong${group.paths.length > 1 ? '' : 's'} to another model.json; save the model again.`,
    );
  }
  const bytes = new Uint8Array(actual);
  let at = 0;
  for (const s of shards) {
    bytes.set(s, at);
    at += s.length;
  }
  const view = new DataView(bytes.buffer);
  let offset = 0;
  return group.weights.map((spec) => {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const data = spec.dtype === 'float32' ? new Float32Array(size) : new Int32Array(size);
    if (LITTLE_ENDIAN) new Uint8Array(data.buffer).set(bytes.subarray(offset, offset + 4 * size));
    else
      for (let i = 0; i < size; i++)
        data[i] =
          spec.dtype === 'float32' ? view.getFloat32(offset + 4 * i, true) : view.getInt32(offset + 4 * i, true);
    offset += 4 * size;
    return { spec, tensor: new Tensor(data, spec.shape) };
  });
}
