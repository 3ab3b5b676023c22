// Parameter updates: effect nodes (no outputs) that write a variable and its optimizer slots in
// place, one fused kernel pass per parameter tensor. Inputs: [w, g, ...slots, normSq?], where normSq
// is the [1] Σg² a norm-clipping update scales by (a regular node, so it runs before the update).

import type { HostScalar, KernelCall, Slice } from '../../backend/backend.js';
import type { UpdateFormula } from '../../backend/calls/formula.js';
import type { GradientTransform } from '../../backend/calls/update.js';
import { Node, type SymbolicTensor } from '../tensor.js';
import { invariant, sameShape, type OpDef } from '../op.js';

/** The optimizer's rule with its constants, and the host scalars its step-dependent factors live in. */
export type UpdateRule =
  | { readonly kind: 'sgd' }
  | { readonly kind: 'momentum'; readonly momentum: number; readonly nesterov: boolean }
  | { readonly kind: 'adagrad'; readonly epsilon: number }
  | {
      readonly kind: 'rmsprop';
      readonly rho: number;
      readonly momentum: number;
      readonly epsilon: number;
      readonly centered: boolean;
    }
  | {
      readonly kind: 'adam';
      readonly beta1: number;
      readonly beta2: number;
      readonly epsilon: number;
      readonly amsgrad: boolean;
      readonly correction1: HostScalar;
      readonly correction2: HostScalar;
    }
  | {
      readonly kind: 'adamax';
      readonly beta1: number;
      readonly beta2: number;
      readonly epsilon: number;
      readonly correction1: HostScalar;
    }
  | {
      readonly kind: 'nadam';
      readonly beta1: number;
      readonly beta2: number;
      readonly epsilon: number;
      readonly mCoef: HostScalar;
      readonly gCoef: HostScalar;
      readonly correction2: HostScalar;
    }
  | { readonly kind: 'adadelta'; readonly rho: number; readonly epsilon: number }
  /** A rule written as a formula on the Composer (calls/formula.ts), with `slots` slots. */
  | {
      readonly kind: 'formula';
      readonly name: string;
      readonly slots: number;
      readonly formula: UpdateFormula;
      /** The rule's constants, for a backend's fused kernel of it (calls/formula.ts). */
      readonly constants: Readonly<Record<string, number>>;
    };

/** The gradient transform's constants (see calls/update.ts GradientTransform). */
export interface TransformAttrs {
  readonly l1: number;
  readonly l2: number;
  /** 0 when off; the update then has no normSq input. */
  readonly clipNorm: number;
  /** Infinity when off. */
  readonly clipValue: number;
  readonly weightDecay: number;
}

export interface UpdateAttrs {
  readonly rule: UpdateRule;
  readonly learningRate: HostScalar;
  readonly transform: TransformAttrs;
  readonly slotCount: number;
  readonly hasNorm: boolean;
}

/** How many slot tensors each rule reads and writes, in input order. */
export function slotCount(rule: UpdateRule): number {
  switch (rule.kind) {
    case 'sgd':
      return 0;
    case 'momentum':
    case 'adagrad':
      return 1;
    case 'rmsprop':
      return 1 + (rule.centered ? 1 : 0) + (rule.momentum > 0 ? 1 : 0);
    case 'adam':
      return rule.amsgrad ? 3 : 2;
    case 'adamax':
    case 'nadam':
    case 'adadelta':
      return 2;
    case 'formula':
      return rule.slots;
  }
}

function callFor(
  rule: UpdateRule,
  base: { w: Slice; g: Slice; n: number; cols: number; learningRate: HostScalar; transform: GradientTransform },
  s: readonly Slice[],
): KernelCall {
  switch (rule.kind) {
    case 'sgd':
      return { kind: 'sgdUpdate', ...base };
    case 'momentum':
      return { kind: 'momentumUpdate', ...base, m: s[0], momentum: rule.momentum, nesterov: rule.nesterov };
    case 'adagrad':
      return { kind: 'adagradUpdate', ...base, accumulator: s[0], epsilon: rule.epsilon };
    case 'rmsprop': {
      let next = 1;
      const averageGrad = rule.centered ? s[next++] : null;
      const momentumBuffer = rule.momentum > 0 ? s[next++] : null;
      return {
        kind: 'rmspropUpdate',
        ...base,
        velocity: s[0],
        averageGrad,
        momentumBuffer,
        rho: rule.rho,
        momentum: rule.momentum,
        epsilon: rule.epsilon,
      };
    }
    case 'adam':
      return {
        kind: 'adamUpdate',
        ...base,
        m: s[0],
        v: s[1],
        vHat: rule.amsgrad ? s[2] : null,
        beta1: rule.beta1,
        beta2: rule.beta2,
        epsilon: rule.epsilon,
        correction1: rule.correction1,
        correction2: rule.correction2,
      };
    case 'adamax':
      return {
        kind: 'adamaxUpdate',
        ...base,
        m: s[0],
        u: s[1],
        beta1: rule.beta1,
        beta2: rule.beta2,
        epsilon: rule.epsilon,
        correction1: rule.correction1,
      };
    case 'nadam':
      return {
        kind: 'nadamUpdate',
        ...base,
        m: s[0],
        v: s[1],
        beta1: rule.beta1,
        beta2: rule.beta2,
        epsilon: rule.epsilon,
        mCoef: rule.mCoef,
        gCoef: rule.gCoef,
        correction2: rule.correction2,
      };
    case 'adadelta':
      return {
        kind: 'adadeltaUpdate',
        ...base,
        accumulatedGrad: s[0],
        accumulatedDelta: s[1],
        rho: rule.rho,
        epsilon: rule.epsilon,
      };
    case 'formula':
      return {
        kind: 'formulaUpdate',
        ...base,
        rule: rule.name,
        slots: s,
        formula: rule.formula,
        constants: rule.constants,
      };
  }
}

export const parameterUpdateOp: OpDef<UpdateAttrs> = {
  name: 'parameterUpdate',
  infer(inputs, attrs) {
    const [w, g] = inputs;
    invariant(inputs.length === 2 + attrs.slotCount + (attrs.hasNorm ? 1 : 0), 'parameterUpdate input count');
    invariant(sameShape(w.shape, g.shape), 'parameterUpdate gradient shape differs from the variable');
    for (let i = 0; i < attrs.slotCount; i++)
      invariant(sameShape(inputs[2 + i].shape, w.shape), 'parameterUpdate slot shape differs from the variable');
    if (attrs.hasNorm)
      invariant(
        inputs[inputs.length - 1].shape.reduce((a, b) => a * b, 1) === 1,
        'parameterUpdate normSq must hold one value',
      );
    return [];
  },
  emit(ctx, node) {
    const { rule, learningRate, transform: t, slotCount: count, hasNorm } = node.attrs;
    const [w, g] = node.inputs;
    const slots = node.inputs.slice(2, 2 + count).map((s) => ctx.slice(s));
    const normSq = hasNorm ? ctx.slice(node.inputs[node.inputs.length - 1]) : null;
    const transform = {
      l1: t.l1,
      l2: t.l2,
      clipValue: t.clipValue,
      clipNorm: hasNorm ? t.clipNorm : 0,
      normSq,
      weightDecay: t.weightDecay,
    };
    const cols = w.shape.length > 1 ? w.shape[w.shape.length - 1] : w.size;
    return [callFor(rule, { w: ctx.slice(w), g: ctx.slice(g), n: w.size, cols, learningRate, transform }, slots)];
  },
};

/**
 * Updates variable w (and its slots, variables too) from gradient g with the given rule, η read when
 * the program runs. normSq: the Σg² that clipNorm scales by (null when not clipping by norm).
 */
export function parameterUpdate(
  w: SymbolicTensor,
  g: SymbolicTensor,
  slots: readonly SymbolicTensor[],
  rule: UpdateRule,
  learningRate: HostScalar,
  transform: TransformAttrs,
  normSq: SymbolicTensor | null = null,
): Node {
  invariant(w.source.kind === 'variable', 'parameterUpdate target must be a variable');
  invariant(
    slots.every((s) => s.source.kind === 'variable'),
    'optimizer slots must be variables',
  );
  invariant(slots.length === slotCount(rule), 'parameterUpdate slot count differs from the rule');
  invariant((normSq !== null) === transform.clipNorm > 0, 'parameterUpdate clipNorm needs normSq');
  const inputs = normSq ? [w, g, ...slots, normSq] : [w, g, ...slots];
  return new Node(parameterUpdateOp, inputs, {
    rule,
    learningRate,
    transform,
    slotCount: slots.length,
    hasNorm: normSq !== null,
  });
}
