// Every fused call's default composition of primitives, by family (one file each). A backend that
// implements only the primitives runs every program through these (expand.ts).

import { activationDefaults } from './activation.js';
import { basicDefaults } from './basic.js';
import { formulaDefaults } from './formula.js';
import { linearDefaults } from './linear.js';
import { lossDefaults } from './loss.js';
import { metricDefaults } from './metric.js';
import { normalizationDefaults } from './normalization.js';
import { randomDefaults } from './random.js';
import { regularizationDefaults } from './regularization.js';
import type { AllDefaults } from './types.js';
import { updateDefaults } from './update.js';

export const DEFAULTS: AllDefaults = {
  ...activationDefaults,
  ...basicDefaults,
  ...linearDefaults,
  ...lossDefaults,
  ...metricDefaults,
  ...normalizationDefaults,
  ...randomDefaults,
  ...regularizationDefaults,
  ...updateDefaults,
  ...formulaDefaults,
};
