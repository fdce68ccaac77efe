/**
 * A small adapter for differential tests against TF.js (the oracle) on its CPU
 * backend: conversion of Regula tensors, and "run this TF.js layer with these
 * weights on this input" returning plain float arrays.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '../../src/tensor/tensor.js';

export { tf };

let ready: Promise<void> | undefined;

/** TF.js on the CPU backend, quiet (no "install tfjs-node" banner). */
export async function tfCpu(): Promise<typeof tf> {
  ready ??= (async () => {
    tf.env().set('IS_NODE', false);
    await tf.setBackend('cpu');
    await tf.ready();
  })();
  await ready;
  return tf;
}

/** A Regula tensor as a TF.js tensor (same shape, dtype and values). */
export function toTf(t: Tensor): tf.Tensor {
  return tf.tensor(Array.from(t.data), [...t.shape], t.dtype);
}

/** The values of a TF.js tensor as a Float32Array. */
export function tfData(t: tf.Tensor): Float32Array {
  return Float32Array.from(t.dataSync());
}

/**
 * Builds `layer` on `x`'s shape, sets `weights` (Regula tensors, TF.js weight
 * order), runs it (`training` for BN), and returns output values and shape.
 */
export function runTfLayer(layer: tf.layers.Layer, x: Tensor, weights: readonly Tensor[], training = false): { data: Float32Array; shape: number[] } {
  return tf.tidy(() => {
    const xt = toTf(x);
    layer.apply(xt); // build
    layer.setWeights(weights.map(toTf));
    const y = layer.apply(xt, { training }) as tf.Tensor;
    return { data: tfData(y), shape: [...y.shape] };
  });
}

/** Current TF.js layer weights as arrays (e.g. BN moving statistics after a training call). */
export function tfWeights(layer: tf.layers.Layer): Float32Array[] {
  return layer.getWeights().map(tfData);
}
