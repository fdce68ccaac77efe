/**
 * The CLI's view of the embedded datasets: the table lives in
 * src/data/embedded.ts (with the public `datasets.load`).
 */
export { DATASETS, DATASET_NAMES, datasetPath, packageRoot, type DatasetName, type EmbeddedDataset } from '../data/embedded.js';
