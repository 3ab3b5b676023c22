// The kernel table is consistent with itself and with the module: every name a role or an alignment
// refers to is an argument of the same kernel, a kernel that splits has one size argument per
// direction it splits in (and a cost and a work), and the loaded module exports each kernel with the
// table's argument count (the build checks every build the same way: scripts/build-wasm.mjs).
import { describe, expect, it } from 'vitest';
import { KERNELS, OTHER_EXPORTS, type Arg, type Direction } from '../../../src/backend/wasm/kernel-table.js';
import { instantiateKernels } from '../../../src/backend/wasm/module.js';

type Entry = {
  args: readonly Arg[];
  split: 'none' | 'gemm' | readonly Direction[];
  cost?: string;
  work?: unknown;
  align?: Record<string, number | string>;
};
const entries = Object.entries(KERNELS) as unknown as [string, Entry][];

describe('the kernel table', () => {
  for (const [name, k] of entries) {
    it(`${name}: its roles name its own arguments, its splits have their sizes`, () => {
      const names = new Set(k.args.map((a) => a.name));
      expect(names.size, 'argument names are distinct').toBe(k.args.length);
      for (const { name: arg, role } of k.args) {
        if (role.kind === 'ptr') {
          for (const step of Object.values(role.steps)) {
            if (typeof step === 'object')
              expect(names, `${arg}'s step`).toContain('times' in step ? step.times : step.per);
          }
        }
        if (role.kind === 'operand') {
          expect(names, `${arg}'s mode`).toContain(role.mode);
          expect(names, `${arg}'s leading dimension`).toContain(role.ld);
        }
      }
      for (const a of Object.values(k.align ?? {})) if (typeof a === 'string') expect(names).toContain(a);
      if (k.split === 'none') return;
      expect(k.cost, 'a cost class').toBeDefined();
      expect(typeof k.work, 'a work function').toBe('function');
      const directions = k.split === 'gemm' ? (['rows', 'columns'] as const) : k.split;
      const sizes = (d: Direction) => k.args.filter((a) => a.role.kind === 'size' && a.role.units.includes(d)).length;
      if (k.split === 'gemm') expect(sizes('rows') + sizes('columns')).toBeGreaterThan(0);
      for (const d of directions) expect(sizes(d), `size arguments of ${d}`).toBeLessThanOrEqual(1);
      if (k.split !== 'gemm') for (const d of k.split) expect(sizes(d), `size argument of ${d}`).toBe(1);
    });
  }

  for (const relaxedSimd of [true, false]) {
    it(
      `matches the ${relaxedSimd ? 'relaxed' : 'plain'} SIMD module: names and argument counts, nothing more ` +
        `exported`,
      () => {
        const { exports } = instantiateKernels(new WebAssembly.Memory({ initial: 16 }), { relaxedSimd });
        for (const [name, k] of entries) {
          expect(typeof exports[name], name).toBe('function');
          expect((exports[name] as (...a: number[]) => unknown).length, name).toBe(k.args.length);
        }
        const extra = Object.entries(exports).filter(([name, v]) =>
          typeof v === 'function' ? !(name in KERNELS) : !(name in OTHER_EXPORTS),
        );
        expect(extra.map(([name]) => name)).toEqual([]);
      },
    );
  }
});
