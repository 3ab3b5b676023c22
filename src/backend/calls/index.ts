// Every kernel call, by family. A family's file declares its calls; the WASM backend's lower/ folder
// has one file per family that turns them into kernel invocations.

import type { ActivationCall } from './activation.js';
import type { BasicCall } from './basic.js';
import type { FormulaCall } from './formula.js';
import type { LinearCall } from './linear.js';
import type { LossCall } from './loss.js';
import type { MetricCall } from './metric.js';
import type { PrimitiveCall } from './primitive.js';
import type { NormalizationCall } from './normalization.js';
import type { RandomCall } from './random.js';
import type { RegularizationCall } from './regularization.js';
import type { UpdateCall } from './update.js';

export type KernelCall =
  | PrimitiveCall
  | LinearCall
  | ActivationCall
  | LossCall
  | MetricCall
  | BasicCall
  | UpdateCall
  | NormalizationCall
  | RandomCall
  | RegularizationCall
  | FormulaCall;

/** The calls that have a default composition of primitives (every call but the primitives). */
export type FusedCall = Exclude<KernelCall, PrimitiveCall>;
export type FusedKind = FusedCall['kind'];
