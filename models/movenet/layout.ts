/**
 * Weight and constant re-layouts between TF (NHWC activations, HWIO kernels) and ONNX (NCHW,
 * OIHW). Done once at conversion time so the ONNX graph carries no Transpose for weights.
 */

/** Permutes a dense row-major array: out.shape[i] = shape[perm[i]]. */
export function transpose<T extends Float32Array | Int32Array>(data: T, shape: readonly number[], perm: readonly number[]): T {
  if (perm.length !== shape.length) throw new Error(`transpose: perm ${perm} does not fit shape ${shape}`);
  const rank = shape.length;
  const outShape = perm.map((p) => dim(shape, p));
  const inStrides = strides(shape);
  const out = new (data.constructor as new (n: number) => T)(data.length);
  const index = new Array<number>(rank).fill(0);
  for (let o = 0; o < data.length; o++) {
    let source = 0;
    for (let axis = 0; axis < rank; axis++) source += (index[axis] ?? 0) * dim(inStrides, dim(perm, axis));
    out[o] = data[source] ?? 0;
    for (let axis = rank - 1; axis >= 0; axis--) {
      const next = (index[axis] ?? 0) + 1;
      if (next < dim(outShape, axis)) {
        index[axis] = next;
        break;
      }
      index[axis] = 0;
    }
  }
  return out;
}

/** Conv2D kernel [kh, kw, in, out] → ONNX Conv weight [out, in, kh, kw]. */
export function hwioToOihw(data: Float32Array, shape: readonly number[]): { data: Float32Array; shape: number[] } {
  return { data: transpose(data, shape, [3, 2, 0, 1]), shape: [3, 2, 0, 1].map((p) => dim(shape, p)) };
}

/**
 * Depthwise kernel [kh, kw, channels, multiplier] → grouped Conv weight [channels·multiplier, 1, kh, kw].
 * TF numbers depthwise outputs channel-major (c·multiplier + m), which is exactly ONNX's group
 * order with group = channels, so a reshape to [kh, kw, 1, c·m] followed by HWIO→OIHW suffices.
 */
export function depthwiseToGroupedOihw(data: Float32Array, shape: readonly number[]): { data: Float32Array; shape: number[] } {
  const [kh, kw, channels, multiplier] = [dim(shape, 0), dim(shape, 1), dim(shape, 2), dim(shape, 3)];
  return hwioToOihw(data, [kh, kw, 1, channels * multiplier]);
}

/**
 * A constant that broadcasts against an NHWC tensor, re-laid out to broadcast identically against
 * the NCHW form of that tensor: left-pad its shape to rank 4 with 1s, then permute to NCHW.
 */
export function broadcastConstToNchw<T extends Float32Array | Int32Array>(data: T, shape: readonly number[]): { data: T; shape: number[] } {
  if (shape.length > 4) throw new Error(`cannot re-lay out a rank-${shape.length} constant to NCHW`);
  const padded = [...new Array<number>(4 - shape.length).fill(1), ...shape];
  const perm = [0, 3, 1, 2];
  return { data: transpose(data, padded, perm), shape: perm.map((p) => dim(padded, p)) };
}

export function strides(shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length).fill(1);
  for (let axis = shape.length - 2; axis >= 0; axis--) out[axis] = dim(out, axis + 1) * dim(shape, axis + 1);
  return out;
}

/** Indexed read that fails loudly instead of yielding undefined (noUncheckedIndexedAccess). */
export function dim(values: readonly number[], axis: number): number {
  const value = values[axis];
  if (value === undefined) throw new Error(`axis ${axis} out of range for [${values.join(', ')}]`);
  return value;
}
