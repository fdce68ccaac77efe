/** The two user-visible dtypes: float32 for values, int32 for labels and indices. */
export type DType = 'float32' | 'int32';
