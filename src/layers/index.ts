/**
 * The `layers` namespace: one factory per layer (TF.js spelling), plus the
 * classes and their argument types. `layers.dense({ units: 8 })`.
 */
import { dense } from './dense.js';

export { Dense, dense, type DenseArgs } from './dense.js';
export { LAYERS, layerFromConfig, isLayerClassName, type LayerClassName } from './registry.js';
export { registerDeserializer, registerResolver, registeredNames, deserialize, serialize, type DeserializerKind } from './serialization.js';
export type { InitializerArg, RegularizerArg, ConstraintArg, KernelBiasArgs } from './weight-args.js';

/** Factories for every layer. */
export const layers = {
  dense,
};
