/** TF's padding for one spatial axis, made explicit because ONNX wants begin/end pads. */
export interface AxisPadding {
  readonly begin: number;
  readonly end: number;
  readonly out: number;
}

/**
 * TF `SAME`: out = ceil(in / stride); the total padding needed for that is split with the odd
 * pixel at the end (unlike a symmetric pad), e.g. 192 → 96 with a 3×3 stride-2 kernel pads 0/1.
 */
export function samePadding(size: number, kernel: number, stride: number, dilation = 1): AxisPadding {
  const out = Math.ceil(size / stride);
  const total = Math.max(0, (out - 1) * stride + dilation * (kernel - 1) + 1 - size);
  const begin = Math.floor(total / 2);
  return { begin, end: total - begin, out };
}

/** TF `VALID`: no padding; only whole kernel windows. */
export function validPadding(size: number, kernel: number, stride: number, dilation = 1): AxisPadding {
  return { begin: 0, end: 0, out: Math.floor((size - dilation * (kernel - 1) - 1) / stride) + 1 };
}
