// Keras's summary table: layer name and type, output shape, parameter count, and the totals.

import type { Layer } from '../layers/layer.js';

export interface SummaryRow {
  readonly name: string;
  readonly className: string;
  readonly outputShape: readonly (number | null)[];
  readonly params: number;
}

function shapeText(shape: readonly (number | null)[]): string {
  return `(${shape.map((d) => (d === null ? 'None' : String(d))).join(', ')}${shape.length === 1 ? ',' : ''})`;
}

const thousands = (n: number) => n.toLocaleString('en-US');

export function summaryRows(layers: readonly Layer[], inputShape: readonly number[]): SummaryRow[] {
  let shape = inputShape;
  return layers.map((layer) => {
    shape = layer.computeOutputShape(shape);
    return { name: layer.name, className: layer.className, outputShape: [null, ...shape], params: layer.countParams() };
  });
}

export function summaryText(
  modelName: string,
  layers: readonly Layer[],
  inputShape: readonly number[],
  lineLength = 65,
): string {
  const rows = summaryRows(layers, inputShape);
  const cols = [Math.floor(lineLength * 0.45), Math.floor(lineLength * 0.85)];
  const line = (a: string, b: string, c: string) => ` ${a}`.padEnd(cols[0]) + b.padEnd(cols[1] - cols[0]) + c;
  const trainable = layers.reduce((n, l) => n + l.trainableWeights.reduce((m, v) => m + v.size, 0), 0);
  const total = layers.reduce((n, l) => n + l.countParams(), 0);
  const out = [
    `Model: "${modelName}"`,
    '_'.repeat(lineLength),
    line('Layer (type)', 'Output Shape', 'Param #'),
    '='.repeat(lineLength),
    ...rows.map((r) => line(`${r.name} (${r.className})`, shapeText(r.outputShape), String(r.params))),
    '='.repeat(lineLength),
    `Total params: ${thousands(total)}`,
    `Trainable params: ${thousands(trainable)}`,
    `Non-trainable params: ${thousands(total - trainable)}`,
    '_'.repeat(lineLength),
  ];
  return out.join('\n');
}
