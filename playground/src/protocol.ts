/** Messages between the page (main.ts) and the training worker (worker.ts). */
import type { PlaygroundState } from './state.js';

/** Per-layer weight picture sent each epoch. */
export interface LayerNorms {
  layer: string;
  /** L2 norm of each unit's incoming weights. */
  norms: number[];
  /** With a max-norm constraint: its limit and the fraction of units at it (the "pressure"). */
  maxNorm?: { limit: number; fraction: number };
}

export interface EpochReport {
  epoch: number;
  /** loss, metric, val_loss, val_metric, test_loss, test_metric (those that exist). */
  logs: Record<string, number>;
  /** 2-D sets: P(class 1) on a GRID×GRID lattice over the plotted square, row 0 at the top. */
  heat?: Float32Array;
  layers: LayerNorms[];
  /** Image sets: the predicted class of each shown validation image. */
  predicted?: Int32Array;
}

/** 2-D sets: the points to plot, in their original coordinates. */
export interface Points {
  x: Float32Array;
  y: Int32Array;
  /** 0 train, 1 validation, 2 test. */
  part: Uint8Array;
}

export interface DataInfo {
  name: string;
  rows: number;
  inputSize: number;
  task: 'classification' | 'regression';
  classes: string[] | null;
  split: { train: number; validation: number; test: number };
  /** The metric shown: 'accuracy' or 'mae'. */
  metric: string;
  points?: Points;
  /** The CSV the run trained on (2-D sets: generated), for download and `regula train --data`. */
  csvName: string;
  /** The columns of a user CSV, for the target picker. */
  columns: string[];
  target: string;
}

export type ToWorker =
  | { type: 'init'; wasmUrl: string }
  | { type: 'load'; id: number; state: PlaygroundState; csv?: { name: string; text: string } | { name: string; bytes: ArrayBuffer }; embedded?: string }
  | { type: 'canvases'; heat?: OffscreenCanvas; loss?: OffscreenCanvas; metric?: OffscreenCanvas; samples?: OffscreenCanvas; norms?: OffscreenCanvas[] }
  | { type: 'pin'; on: boolean }
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'step' }
  | { type: 'export' };

export type FromWorker =
  | { type: 'ready'; backend: string; threads: number; error: string | null }
  | { type: 'loaded'; id: number; info: DataInfo; params: number; initial: EpochReport }
  /** The epochs since the last message (at most every ~200 ms while running), the pictures of the latest. */
  | { type: 'epoch'; logs: Record<string, number>[]; report: EpochReport }
  | { type: 'finished'; epochs: number; reason: 'epochs' | 'early-stopping'; final: Record<string, number>; layers: LayerNorms[] }
  | { type: 'export'; modelJson: string; weights: ArrayBuffer; csv: string }
  | { type: 'error'; id?: number; message: string; where: 'data' | 'settings' | 'internal' };
