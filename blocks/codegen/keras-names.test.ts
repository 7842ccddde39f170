import { describe, expect, it } from 'vitest';
import { kerasArgName, kerasArgNames, snakeCase } from './keras-names';

describe('Keras argument names', () => {
  it('turns TF.js camelCase into Keras snake_case', () => {
    expect(snakeCase('kernelSize')).toBe('kernel_size');
    expect(snakeCase('useBias')).toBe('use_bias');
    expect(snakeCase('units')).toBe('units');
    expect(snakeCase('dilationRate')).toBe('dilation_rate');
    expect(snakeCase('movingMeanInitializer')).toBe('moving_mean_initializer');
  });

  it('knows the names Keras renamed', () => {
    expect(kerasArgName('LeakyReLU', 'alpha')).toBe('alpha');
    expect(kerasArgNames('LeakyReLU', 'alpha')).toEqual(['alpha', 'negative_slope']);
    expect(kerasArgNames('Dense', 'kernelInitializer')).toEqual(['kernel_initializer']);
  });
});
