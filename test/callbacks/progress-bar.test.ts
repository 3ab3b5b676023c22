import { describe, expect, it } from 'vitest';
import { layers, optimizers, sequential } from '../../src/index.js';
import type { ProgressOutput } from '../../src/callbacks/progress-bar.js';
import { blobs } from '../helpers/data.js';

function capture(interactive: boolean): ProgressOutput & { text: string } {
  const out = {
    interactive,
    text: '',
    write: (t: string) => {
      out.text += t;
    },
  };
  return out;
}

async function train(verbose: 1 | 2, interactive: boolean) {
  const { x, y } = blobs(100, 8, 4, 1);
  const model = sequential([layers.dense({ units: 4, activation: 'softmax', inputShape: [8] })], { seed: 1 });
  model.compile({
    optimizer: optimizers.sgd({ learningRate: 0.1 }),
    loss: 'sparseCategoricalCrossentropy',
    metrics: ['accuracy'],
  });
  const output = capture(interactive);
  const history = await model.fit(x, y, {
    epochs: 2,
    batchSize: 32,
    verbose,
    progressOutput: output,
    validationData: [x, y],
  });
  return { text: output.text, history };
}

describe('progress bar', () => {
  it('verbose 1 off a terminal: Keras lines, one per epoch, with the epoch figures', async () => {
    const { text, history } = await train(1, false);
    const lines = text.trim().split('\n');
    expect(lines[0]).toBe('Epoch 1/2');
    expect(lines[1]).toMatch(
      new RegExp(
        '^4\\/4 \\[==============================\\] - \\d+s \\d+(ms|us)\\/step - loss: \\d\\.\\d{4} - accuracy: ' +
          '\\d\\.\\d{4} ' +
          '- valLoss: \\d\\.\\d{4} - valAccuracy: \\d\\.\\d{4} - learningRate: 0\\.1000$',
      ),
    );
    expect(lines[1]).toContain(`loss: ${history.history.loss[0].toFixed(4)}`);
    expect(lines[3]).toContain(`valAccuracy: ${history.history.valAccuracy[1].toFixed(4)}`);
    expect(lines).toHaveLength(4);
  });

  it('verbose 1 on a terminal redraws the line with carriage returns', async () => {
    const { text } = await train(1, true);
    expect(text).toContain('\r');
    expect(text).toMatch(/\r4\/4 \[=+\]/);
  });

  it('verbose 2: one line per epoch', async () => {
    const { text } = await train(2, false);
    const lines = text.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^Epoch 1\/2 - 4\/4 - \d+s \d+(ms|us)\/step - loss: /);
  });
});
