/**
 * `regula/datasets` (Node only): the small real datasets embedded in the
 * package, as tensors — `datasets.load('digits')`. Provenance and licences:
 * datasets/README.md.
 */
export { datasets, DATASET_NAMES, type LoadedDataset, type DatasetName } from './data/embedded.js';
