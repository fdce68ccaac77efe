/**
 * The TF.js type vocabulary of `regula/tfjs` (tfjs-core's types.d.ts, the
 * part Regula can honour): ranks, shapes per rank, nested arrays per rank and
 * the data types. Regula's tensors hold float32 values or int32 labels, so
 * `DataType` is only those two: TF.js's 'bool', 'complex64' and 'string'
 * are not provided, and a program that names them fails to type-check.
 */

/** Tensor ranks, as TF.js spells them (a string enum). */
export enum Rank {
  R0 = 'R0',
  R1 = 'R1',
  R2 = 'R2',
  R3 = 'R3',
  R4 = 'R4',
  R5 = 'R5',
  R6 = 'R6',
}

/** The shape type of each rank. */
export interface ShapeMap {
  R0: number[];
  R1: [number];
  R2: [number, number];
  R3: [number, number, number];
  R4: [number, number, number, number];
  R5: [number, number, number, number, number];
  R6: [number, number, number, number, number, number];
}

/** What `array()` / `arraySync()` give for each rank. */
export interface ArrayMap {
  R0: number;
  R1: number[];
  R2: number[][];
  R3: number[][][];
  R4: number[][][][];
  R5: number[][][][][];
  R6: number[][][][][][];
}

/** The buffer type of each data type. */
export interface DataTypeMap {
  float32: Float32Array;
  int32: Int32Array;
}

/**
 * 'float32' (values) or 'int32' (labels, indices). TF.js's 'bool',
 * 'complex64' and 'string' are not provided: comparisons give 0/1 int32
 * tensors instead of bool.
 */
export type DataType = keyof DataTypeMap;

/** Numeric data types (all of Regula's). */
export type NumericDataType = DataType;

/** Typed arrays a tensor can be made from (a Uint8Array gives int32, as in TF.js). */
export type TypedArray = Float32Array | Int32Array | Uint8Array;

/** Nested arrays of `T`, any depth. */
export interface RecursiveArray<T> {
  [index: number]: T | RecursiveArray<T>;
}

/** Values a tensor can be made from: numbers, typed arrays, nested arrays of them (no booleans or strings). */
export type TensorLike = TypedArray | number | RecursiveArray<number | number[] | TypedArray>;
export type TensorLike1D = TypedArray | number[];
export type TensorLike2D = TypedArray | number[] | number[][];
export type TensorLike3D = TypedArray | number[] | number[][][];
export type TensorLike4D = TypedArray | number[] | number[][][][];
export type TensorLike5D = TypedArray | number[] | number[][][][][];
export type TensorLike6D = TypedArray | number[] | number[][][][][][];
export type ScalarLike = number;

/** TF.js's memory report (`tf.memory()`). */
export interface MemoryInfo {
  numTensors: number;
  numDataBuffers: number;
  numBytes: number;
  /** Always true: Regula tensors are garbage-collected, so these figures are estimates. */
  unreliable?: boolean;
  reasons?: string[];
}
