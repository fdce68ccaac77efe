/**
 * `tf.loadLayersModel(url | handler)`: a directory (path or `file://` URL,
 * Node; a path to its model.json works too) or an IOHandler, through
 * Regula's public `loadModel`. The model comes back as a regula/tfjs model
 * (a Sequential stays a Sequential); a model saved with its training state
 * is compiled and resumes exactly.
 */
import { loadModel } from '../models/save-load.js';
import { loadSource, type IOHandler, type LoadOptions } from './io.js';
import { wrapModel, type LayersModel } from './model.js';

export async function loadLayersModel(pathOrIOHandler: string | IOHandler, options: LoadOptions = {}): Promise<LayersModel> {
  const { maxWeightBytes } = options;
  const core = await loadModel(loadSource(pathOrIOHandler) as Parameters<typeof loadModel>[0], maxWeightBytes !== undefined ? { maxWeightBytes } : {});
  return wrapModel(core);
}
