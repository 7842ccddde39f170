import type * as tf from '@tensorflow/tfjs';

/**
 * A layer's TF.js config without its name, for comparing two builds of the same model: names
 * are numbered across the whole TF.js session, so two builds never share them. A wrapper
 * (Bidirectional) holds its inner layer's config, name included, which goes too.
 */
export function configWithoutNames(layer: tf.layers.Layer): Record<string, unknown> {
  const { name: _name, ...config } = layer.getConfig() as Record<string, unknown>;
  const inner = config.layer as { className: string; config: Record<string, unknown> } | undefined;
  if (inner) {
    const { name: _innerName, ...innerConfig } = inner.config;
    config.layer = { className: inner.className, config: innerConfig };
  }
  return config;
}
