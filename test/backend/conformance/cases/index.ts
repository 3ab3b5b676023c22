// Every case of the per-call conformance suite, by family (calls-harness.ts says what a case is).

import type { CallCase } from '../calls-harness.js';
import { ACTIVATION_CASES } from './activation.js';
import { BASIC_CASES } from './basic.js';
import { LINEAR_CASES } from './linear.js';
import { LOSS_CASES } from './loss.js';
import { METRIC_CASES } from './metric.js';
import { NORMALIZATION_CASES } from './normalization.js';
import { PRIMITIVE_CASES } from './primitive.js';
import { RANDOM_CASES } from './random.js';
import { REGULARIZATION_CASES } from './regularization.js';
import { SPLIT_CASES } from './split.js';
import { FORMULA_CASES, UPDATE_CASES } from './update.js';

export const CALL_CASES: readonly CallCase[] = [
  ...PRIMITIVE_CASES,
  ...ACTIVATION_CASES,
  ...BASIC_CASES,
  ...LINEAR_CASES,
  ...NORMALIZATION_CASES,
  ...RANDOM_CASES,
  ...REGULARIZATION_CASES,
  ...LOSS_CASES,
  ...METRIC_CASES,
  ...UPDATE_CASES,
  ...FORMULA_CASES,
  ...SPLIT_CASES,
];
