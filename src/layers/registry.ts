/**
 * Layer class name (as in model.json `class_name`) → constructor from config.
 * Adding a layer is one line in `LAYERS`. `layerFromConfig` rejects unknown
 * class names with the list of known ones.
 */
import type { Layer, SerializedObject } from './layer.js';
import { Dense } from './dense.js';

/** Every deserializable layer class. */
export const LAYERS = {
  Dense: (c) => Dense.fromConfig(c),
} satisfies Record<string, (config: Record<string, unknown>) => Layer>;

export type LayerClassName = keyof typeof LAYERS;

/** True if `name` is a registered layer class. */
export function isLayerClassName(name: string): name is LayerClassName {
  return Object.prototype.hasOwnProperty.call(LAYERS, name);
}

/**
 * Builds a layer from {class_name, config} (Keras/TF.js JSON).
 * @throws on unknown class names, listing the known ones.
 */
export function layerFromConfig(s: SerializedObject | { className: string; config: Record<string, unknown> }): Layer {
  const name = 'class_name' in s ? s.class_name : s.className;
  if (typeof name !== 'string' || !isLayerClassName(name)) {
    throw new Error(`layerFromConfig: unknown layer class '${String(name)}'; known: ${Object.keys(LAYERS).join(', ')}`);
  }
  return LAYERS[name](s.config ?? {});
}
