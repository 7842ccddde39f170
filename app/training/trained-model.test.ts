import { describe, expect, it } from 'vitest';
import { asTrainedModel, checkAnswersPerClass, exampleInputShape, ModelDoesNotFit } from './trained-model';

const PICTURE = [28, 28, 1];

describe('the shape a drawn picture is given for a model', () => {
  it("is the model's own Input shape: the picture's, or flat for a network of Dense layers", () => {
    expect(exampleInputShape([[null, 28, 28, 1]], PICTURE)).toEqual([28, 28, 1]);
    expect(exampleInputShape([[null, 784]], PICTURE)).toEqual([784]);
  });

  it('takes sizes left open ("any") from the data', () => {
    expect(exampleInputShape([[null, null, null, 1]], PICTURE)).toEqual([28, 28, 1]);
  });

  it('refuses a model that takes something else, saying to train again', () => {
    for (const inputs of [[[null, 4]], [[null, 32, 32, 1]], [[null, null]], [[null, 784], [null, 784]]]) {
      expect(() => exampleInputShape(inputs, PICTURE)).toThrow(ModelDoesNotFit);
    }
    expect(() => exampleInputShape([[null, 4]], PICTURE)).toThrow("This run's model does not take one 28×28×1 picture, the data this cell trains on now. Press Train to train it on this data, then try it.");
  });

  it('speaks of two numbers, not a picture, for the 2-D point sets', () => {
    expect(exampleInputShape([[null, 2]], [2])).toEqual([2]);
    expect(() => exampleInputShape([[null, 784]], [2])).toThrow(
      "This run's model does not take 2 numbers (one point's x and y), the data this cell trains on now. Press Train to train it on this data, then try it.",
    );
    expect(() => exampleInputShape([[null, 2]], [4])).toThrow("This run's model does not take one row of 4 numbers,");
  });
});

describe('the shape a typed table row is given for a model', () => {
  it("is the model's Input shape when it holds the row's numbers", () => {
    expect(exampleInputShape([[null, 4]], [4])).toEqual([4]);
    expect(exampleInputShape([[null, null]], [4])).toEqual([4]);
  });

  it('refuses a model that takes another count of numbers, calling the example a row, not a picture', () => {
    expect(() => exampleInputShape([[null, 784]], [4])).toThrow("This run's model does not take one row of 4 numbers, the data this cell trains on now. Press Train to train it on this data, then try it.");
  });
});

describe("a model's answers", () => {
  it('must be one number per class', () => {
    expect(() => checkAnswersPerClass([[null, 10]], 10)).not.toThrow();
    expect(() => checkAnswersPerClass([[null, 3]], 10)).toThrow('the data this cell trains on now has 10 classes');
    expect(() => checkAnswersPerClass([[null, 28, 28, 1]], 10)).toThrow(ModelDoesNotFit);
    expect(() => checkAnswersPerClass([[null, 10], [null, 10]], 10)).toThrow(ModelDoesNotFit);
  });
});

describe('looking inside a trained model', () => {
  async function convNet() {
    const tf = await import('@tensorflow/tfjs');
    await tf.setBackend('cpu');
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 4, kernelSize: 3, activation: 'relu' }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 10, activation: 'softmax' }),
      ],
    });
    return { tf, trained: asTrainedModel(tf, model, [28, 28, 1], 10) };
  }
  const drawing = Float32Array.from({ length: 784 }, (_, i) => (i % 28 > 10 && i % 28 < 16 ? 1 : 0));

  it("gives every layer's output for the drawing, in order, the last being the answer, and keeps no tensors", async () => {
    const { tf, trained } = await convNet();
    trained.layerOutputs(drawing);
    const tensorsBefore = tf.memory().numTensors;
    const outputs = trained.layerOutputs(drawing);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(outputs.map((o) => [o.className, o.shape])).toEqual([
      ['Conv2D', [26, 26, 4]],
      ['MaxPooling2D', [13, 13, 4]],
      ['Flatten', [676]],
      ['Dense', [10]],
    ]);
    expect(Array.from(outputs[3]!.values)).toEqual(Array.from(trained.predict(drawing)));
    trained.dispose();
  });

  it('gives the kernel of the first layer with weights', async () => {
    const { trained } = await convNet();
    const kernel = trained.firstKernel()!;
    expect([kernel.className, kernel.shape, kernel.values.length]).toEqual(['Conv2D', [3, 3, 1, 4], 36]);
    trained.dispose();
  });

  it('reads a flat model (Dense on 784 numbers) the same way', async () => {
    const tf = await import('@tensorflow/tfjs');
    await tf.setBackend('cpu');
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [784], units: 16, activation: 'relu' }), tf.layers.dense({ units: 10 })] });
    const trained = asTrainedModel(tf, model, [28, 28, 1], 10);
    expect(trained.layerOutputs(drawing).map((o) => o.shape)).toEqual([[16], [10]]);
    expect(trained.firstKernel()!.shape).toEqual([784, 16]);
    trained.dispose();
  });
});

describe('answering many examples at once', () => {
  it('gives the same answers as one at a time, in order, from one batch, and keeps no tensors', async () => {
    const tf = await import('@tensorflow/tfjs');
    await tf.setBackend('cpu');
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 4, activation: 'tanh' }), tf.layers.dense({ units: 2, activation: 'softmax' })] });
    const trained = asTrainedModel(tf, model, [2], 2);
    const points = Float32Array.from([0, 0, 1, -1, -0.5, 0.25]);
    trained.predictBatch(points, 3);
    const tensorsBefore = tf.memory().numTensors;
    const answers = trained.predictBatch(points, 3);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(answers).toHaveLength(6);
    for (let i = 0; i < 3; i++) {
      const one = trained.predict(points.slice(i * 2, i * 2 + 2));
      expect(answers[i * 2]).toBeCloseTo(one[0]!, 6);
      expect(answers[i * 2 + 1]).toBeCloseTo(one[1]!, 6);
    }
    trained.dispose();
  });
});
