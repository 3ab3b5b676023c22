// The reference backend: every primitive in float64 JavaScript, every fused call through its default
// composition. Slow, simple and exact enough to check the other backends against (the conformance
// suite); `configureBackend({ backend: 'reference' })` trains on it too, for debugging a model.

import { ValueBackend } from '../values/value-backend.js';
import { referenceOps, type RefValue } from './reference-ops.js';

export class ReferenceBackend extends ValueBackend<RefValue> {
  constructor() {
    super('reference', referenceOps);
  }
}
