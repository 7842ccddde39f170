import { describe, expect, it } from 'vitest';
import { checkAnswersPerClass, exampleInputShape, ModelDoesNotFit } from './trained-model';

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
});

describe("a model's answers", () => {
  it('must be one number per class', () => {
    expect(() => checkAnswersPerClass([[null, 10]], 10)).not.toThrow();
    expect(() => checkAnswersPerClass([[null, 3]], 10)).toThrow('the data this cell trains on now has 10 classes');
    expect(() => checkAnswersPerClass([[null, 28, 28, 1]], 10)).toThrow(ModelDoesNotFit);
    expect(() => checkAnswersPerClass([[null, 10], [null, 10]], 10)).toThrow(ModelDoesNotFit);
  });
});
