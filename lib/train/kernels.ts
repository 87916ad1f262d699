/**
 * Training kernels for tfjs's wasm backend.
 *
 * Stride-1 convolutions, the shapes LeNet uses, run on the SIMD kernels of
 * ./simd/kernels.c, which work in place on tfjs's heap. Everything else is
 * built from the backend's own fast forward kernels:
 *
 * - `Conv2DBackpropFilter` (missing from the backend): the filter gradient is a
 *   correlation of the input with the output gradient. Swapping the batch and
 *   channel axes turns it into ONE forward convolution, with the output
 *   gradient as the filter (dilated by the stride).
 * - `Conv2DBackpropInput` (the stock one is slow): a forward convolution of the
 *   zero-padded (and, for strides > 1, zero-dilated) output gradient with the
 *   filter rotated by 180 degrees and its in/out channels swapped.
 * - `BatchMatMul` with a transposed operand (the stock one is slow): transpose
 *   first, then the plain kernel.
 * - `MaxPoolGrad` (the stock one is slow) and the bias gradient's `Sum`: one
 *   pass over the heap.
 *
 * Every temporary is freed through the backend; geometry comes from tfjs's
 * own `computeConv2DInfo`.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import type { SimdKernels } from "./simd/mod.ts";

type Info = tf.TensorInfo;
type Shape4 = [number, number, number, number];
type Attrs = Record<string, unknown>;
type KernelArgs = { inputs: Record<string, Info>; backend: BackendWasm; attrs: Attrs };

/** The stock kernels this module replaces, kept for the fallback paths. */
const replaced = new Map<string, (args: KernelArgs) => Info>();

/** The stock wasm kernel called `name`, to be called directly on TensorInfos. */
function stock(name: string): (args: KernelArgs) => Info {
  const original = replaced.get(name);
  if (original !== undefined) return original;
  const kernel = tf.getKernel(name, "wasm");
  if (kernel === undefined) throw new Error(`tfjs's wasm backend has no ${name} kernel`);
  return kernel.kernelFunc as unknown as (args: KernelArgs) => Info;
}

/** A view of `x` with another shape (no copy; the caller must not dispose it). */
function view(x: Info, shape: number[]): Info {
  return { dataId: x.dataId, shape, dtype: x.dtype };
}

/** The SIMD kernels, set by {@linkcode registerTrainingKernels}. */
let simd: SimdKernels;

/** The heap address of `x`'s data. */
function address(backend: BackendWasm, x: Info): number {
  return backend.dataIdMap.get(x.dataId)!.memoryOffset;
}

/** A fresh float32 tensor on the heap (free it with `backend.disposeData`). */
function alloc(backend: BackendWasm, shape: number[]): Info {
  return backend.makeOutput(shape, "float32");
}

/**
 * `x` zero-padded by (top, bottom, left, right), or `x` itself when there is
 * no padding. The second value says whether the caller must free the result.
 */
function padded(
  backend: BackendWasm,
  x: Info,
  top: number,
  bottom: number,
  left: number,
  right: number,
) {
  if (top === 0 && bottom === 0 && left === 0 && right === 0) return { out: x, owned: false };
  const [n, h, w, c] = x.shape;
  const out = alloc(backend, [n, h + top + bottom, w + left + right, c]);
  simd.pad(address(backend, x), address(backend, out), n, h, w, c, top, bottom, left, right);
  return { out, owned: true };
}

/** True when a convolution is stride 1 and its padded input fits its output exactly. */
function simdGeometry(info: tf.backend_util.Conv2DInfo): boolean {
  const { padInfo: p } = info;
  return info.strideHeight === 1 && info.strideWidth === 1 && info.dilationHeight === 1 &&
    info.dilationWidth === 1 && p.top >= 0 && p.bottom >= 0 && p.left >= 0 && p.right >= 0 &&
    info.inHeight + p.top + p.bottom === info.outHeight + info.filterHeight - 1 &&
    info.inWidth + p.left + p.right === info.outWidth + info.filterWidth - 1;
}

/** The float32 data of `x` on the wasm heap. */
function heap(backend: BackendWasm, x: Info): Float32Array {
  return backend.typedArrayFromHeap(x as tf.Tensor) as Float32Array;
}

/** `x` with axes permuted (a view when the permutation moves only size-1 axes). */
function permute(backend: BackendWasm, x: Info, perm: number[]): { out: Info; owned: boolean } {
  const moved = perm.map((p) => x.shape[p]);
  const nonTrivial = perm.filter((p) => x.shape[p] !== 1);
  const inOrder = nonTrivial.every((p, i) => i === 0 || nonTrivial[i - 1] < p);
  if (inOrder) return { out: view(x, moved), owned: false };
  const out = stock("Transpose")({ inputs: { x }, backend, attrs: { perm } });
  return { out, owned: true };
}

function free(backend: BackendWasm, ...items: { out: Info; owned: boolean }[]): void {
  for (const item of items) if (item.owned) backend.disposeData(item.out.dataId);
}

function conv2dInfo(attrs: Attrs, inShape: Shape4, filterShape: Shape4) {
  if (attrs.dataFormat !== undefined && attrs.dataFormat !== "NHWC") {
    throw new Error(`only NHWC convolutions are supported, got ${attrs.dataFormat}`);
  }
  return tf.backend_util.computeConv2DInfo(
    inShape,
    filterShape,
    attrs.strides as [number, number],
    1,
    attrs.pad as "valid",
    attrs.dimRoundingMode as "floor" | undefined,
  );
}

/**
 * dW[kh, kw, ci, co] = sum over n, oh, ow of
 * x[n, oh*sh + kh - top, ow*sw + kw - left, ci] * dy[n, oh, ow, co].
 *
 * Read as a convolution with batch `ci` and channels `n`: the input is x with
 * axes (ci, h, w, n), the filter is dy with axes (oh, ow, n, co), dilated by
 * the stride, and the output (ci, kh, kw, co) is dW with two axes swapped.
 */
function conv2DBackpropFilter({ inputs, backend, attrs }: KernelArgs): Info {
  const { x, dy } = inputs;
  const info = conv2dInfo(attrs, x.shape as Shape4, attrs.filterShape as Shape4);
  if (simdGeometry(info) && info.inChannels === 1 && info.filterWidth <= 8) {
    const { padInfo: p, batchSize, outHeight, outWidth, filterHeight, filterWidth } = info;
    const xp = padded(backend, x, p.top, p.bottom, p.left, p.right);
    const dw = alloc(backend, info.filterShape);
    const scratch = alloc(backend, [outHeight * outWidth * info.outChannels]);
    simd.conv_c1_filter_grad(
      address(backend, xp.out),
      address(backend, dy),
      address(backend, dw),
      address(backend, scratch),
      batchSize,
      outHeight,
      outWidth,
      filterHeight,
      filterWidth,
      info.outChannels,
    );
    free(backend, xp, { out: scratch, owned: true });
    return dw;
  }
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { outHeight: oh, outWidth: ow, inHeight: h, inWidth: w, padInfo } = info;
  // Rows (columns) of x the correlation may touch past the end: negative means
  // the forward convolution never read the last rows, so they are cropped.
  const bottom = kh + (oh - 1) * sh - h - padInfo.top;
  const right = kw + (ow - 1) * sw - w - padInfo.left;
  const xt = permute(backend, x, [3, 1, 2, 0]);
  let input = xt;
  if (bottom < 0 || right < 0) {
    const size = [
      xt.out.shape[0],
      h + Math.min(bottom, 0),
      w + Math.min(right, 0),
      xt.out.shape[3],
    ];
    const cropped = stock("Slice")({
      inputs: { x: xt.out },
      backend,
      attrs: { begin: [0, 0, 0, 0], size },
    });
    input = { out: cropped, owned: true };
  }
  const filter = permute(backend, dy, [1, 2, 0, 3]);
  const pad = [[0, 0], [padInfo.top, Math.max(bottom, 0)], [padInfo.left, Math.max(right, 0)], [
    0,
    0,
  ]];
  const out = stock("Conv2D")({
    inputs: { x: input.out, filter: filter.out },
    backend,
    attrs: { strides: [1, 1], pad, dataFormat: "NHWC", dilations: [sh, sw] },
  });
  const result = permute(backend, out, [1, 2, 0, 3]);
  if (!result.owned) {
    free(backend, xt, input, filter);
    return result.out;
  }
  free(backend, xt, input, filter, { out, owned: true });
  return result.out;
}

/**
 * dx[n, i, j, ci] = sum over kh, kw, co of
 * dy[n, (i + top - kh)/sh, (j + left - kw)/sw, co] * W[kh, kw, ci, co],
 * over the terms whose indices are whole and in range: a full correlation of
 * the stride-dilated dy with W rotated by 180 degrees, channels swapped.
 */
function conv2DBackpropInput({ inputs, backend, attrs }: KernelArgs): Info {
  const { dy, filter } = inputs;
  const inShape = attrs.inputShape as Shape4;
  const info = conv2dInfo(attrs, inShape, filter.shape as Shape4);
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { outHeight: oh, outWidth: ow, inHeight: h, inWidth: w, padInfo } = info;
  const cin = info.inChannels, cout = info.outChannels, n = info.batchSize;
  if (simdGeometry(info) && kw * cin <= 32) {
    const hp = oh + kh - 1, wp = ow + kw - 1;
    const rows = alloc(backend, [kh, cout, 32]);
    simd.transpose_rows(address(backend, filter), address(backend, rows), kh, kw, cin, cout);
    const dxp = alloc(backend, [n, hp, wp, cin]);
    simd.conv_input_grad(
      address(backend, dy),
      address(backend, rows),
      address(backend, dxp),
      n,
      oh,
      ow,
      kh,
      kw,
      cin,
      cout,
    );
    backend.disposeData(rows.dataId);
    if (hp === h && wp === w) return dxp;
    const dx = alloc(backend, inShape);
    simd.crop(
      address(backend, dxp),
      address(backend, dx),
      n,
      h,
      w,
      cin,
      hp,
      wp,
      padInfo.top,
      padInfo.left,
    );
    backend.disposeData(dxp.dataId);
    return dx;
  }
  const top = kh - 1 - padInfo.top, left = kw - 1 - padInfo.left;
  const dh = (oh - 1) * sh + 1, dw = (ow - 1) * sw + 1;
  const bottom = h + kh - 1 - top - dh, right = w + kw - 1 - left - dw;
  if (top < 0 || left < 0 || bottom < 0 || right < 0) {
    return stock("Conv2DBackpropInput")({ inputs, backend, attrs });
  }
  // The filter, rotated and with in/out channels swapped: (kh, kw, cout, cin).
  const rotated = backend.makeOutput([kh, kw, cout, cin], "float32");
  const src = heap(backend, filter), dst = heap(backend, rotated);
  for (let a = 0; a < kh; a++) {
    for (let b = 0; b < kw; b++) {
      const from = ((kh - 1 - a) * kw + (kw - 1 - b)) * cin * cout;
      const to = (a * kw + b) * cout * cin;
      for (let ci = 0; ci < cin; ci++) {
        for (let co = 0; co < cout; co++) dst[to + co * cin + ci] = src[from + ci * cout + co];
      }
    }
  }
  let grad: Info = dy;
  if (sh > 1 || sw > 1) {
    grad = backend.makeOutput([n, dh, dw, cout], "float32");
    const g = heap(backend, grad), d = heap(backend, dy);
    g.fill(0);
    for (let b = 0; b < n; b++) {
      for (let i = 0; i < oh; i++) {
        for (let j = 0; j < ow; j++) {
          const from = ((b * oh + i) * ow + j) * cout;
          g.set(d.subarray(from, from + cout), ((b * dh + i * sh) * dw + j * sw) * cout);
        }
      }
    }
  }
  const out = stock("Conv2D")({
    inputs: { x: grad, filter: rotated },
    backend,
    attrs: {
      strides: [1, 1],
      pad: [[0, 0], [top, bottom], [left, right], [0, 0]],
      dataFormat: "NHWC",
      dilations: [1, 1],
    },
  });
  backend.disposeData(rotated.dataId);
  if (grad !== dy) backend.disposeData(grad.dataId);
  return out;
}

/**
 * dx[n, r, c, ch] = sum of dy[n, i, j, ch] over the windows (i, j) whose
 * maximum (the first one, scanning rows then columns) sits at (r, c).
 * One pass over the heap; ties go where tfjs's CPU backend sends them.
 */
function maxPoolGrad({ inputs, backend, attrs }: KernelArgs): Info {
  const { dy, input } = inputs;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as Shape4,
    attrs.filterSize as [number, number],
    attrs.strides as [number, number],
    1,
    attrs.pad as "valid",
    attrs.dimRoundingMode as "floor" | undefined,
  );
  const { batchSize, inHeight: h, inWidth: w, inChannels: ch, outHeight: oh, outWidth: ow } = info;
  const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw } = info;
  const top = info.padInfo.top, left = info.padInfo.left;
  const dx = backend.makeOutput(input.shape, "float32");
  if (fh === 2 && fw === 2 && sh === 2 && sw === 2 && top === 0 && left === 0) {
    simd.maxpool2_grad(
      address(backend, input),
      address(backend, dy),
      address(backend, dx),
      batchSize,
      h,
      w,
      ch,
    );
    return dx;
  }
  const x = heap(backend, input), g = heap(backend, dy), out = heap(backend, dx);
  out.fill(0);
  for (let n = 0; n < batchSize; n++) {
    const xBase = n * h * w * ch;
    for (let i = 0; i < oh; i++) {
      const r0 = Math.max(0, i * sh - top), r1 = Math.min(h, i * sh - top + fh);
      for (let j = 0; j < ow; j++) {
        const c0 = Math.max(0, j * sw - left), c1 = Math.min(w, j * sw - left + fw);
        const gBase = ((n * oh + i) * ow + j) * ch;
        for (let c = 0; c < ch; c++) {
          let best = -Infinity, at = -1;
          for (let r = r0; r < r1; r++) {
            for (let q = c0; q < c1; q++) {
              const k = xBase + (r * w + q) * ch + c;
              if (x[k] > best) {
                best = x[k];
                at = k;
              }
            }
          }
          if (at >= 0) out[at] += g[gBase + c];
        }
      }
    }
  }
  return dx;
}

/**
 * `Sum` over every axis but the last (a bias gradient) in one SIMD pass; any
 * other reduction goes to the stock kernel.
 */
function sum({ inputs, backend, attrs }: KernelArgs): Info {
  const { x } = inputs;
  const rank = x.shape.length;
  const axes = tf.util.parseAxisParam(attrs.axis as number | number[], x.shape).sort((a, b) =>
    a - b
  );
  const leading = rank > 1 && axes.length === rank - 1 && axes.every((a, i) => a === i);
  if (!leading || attrs.keepDims || x.dtype !== "float32") {
    return stock("Sum")({ inputs, backend, attrs });
  }
  const ch = x.shape[rank - 1];
  const out = alloc(backend, [ch]);
  simd.sum_rows(
    address(backend, x),
    address(backend, out),
    tf.util.sizeFromShape(x.shape) / ch,
    ch,
  );
  return out;
}

/**
 * `FusedConv2D` with ONE input channel (LeNet's first layer), stride 1, bias
 * and ReLU or no activation: the SIMD kernel, whose loop suits a single
 * channel far better than XNNPACK's. Anything else goes to the stock kernel.
 */
function fusedConv2D({ inputs, backend, attrs }: KernelArgs): Info {
  const { x, filter, bias, preluActivationWeights } = inputs;
  const activation = attrs.activation as string;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as Shape4,
    filter.shape as Shape4,
    attrs.strides as [number, number],
    attrs.dilations as [number, number],
    attrs.pad as "valid",
    attrs.dimRoundingMode as "floor" | undefined,
  );
  const suits = info.inChannels === 1 && simdGeometry(info) &&
    (activation === "relu" || activation === "linear") && preluActivationWeights === undefined &&
    (attrs.dataFormat === undefined || attrs.dataFormat === "NHWC");
  if (!suits) return stock("FusedConv2D")({ inputs, backend, attrs });
  const p = info.padInfo;
  const xp = padded(backend, x, p.top, p.bottom, p.left, p.right);
  const zeros = bias === undefined ? alloc(backend, [info.outChannels]) : null;
  if (zeros) heap(backend, zeros).fill(0);
  const y = alloc(backend, info.outShape);
  simd.conv_c1_forward(
    address(backend, xp.out),
    address(backend, filter),
    address(backend, bias ?? zeros!),
    address(backend, y),
    info.batchSize,
    info.outHeight,
    info.outWidth,
    info.filterHeight,
    info.filterWidth,
    info.outChannels,
    activation === "relu" ? 1 : 0,
  );
  free(backend, xp);
  if (zeros) backend.disposeData(zeros.dataId);
  return y;
}

/** `BatchMatMul`, with any transposition done first by the Transpose kernel. */
function batchMatMul({ inputs, backend, attrs }: KernelArgs): Info {
  const { a, b } = inputs;
  const swapLast = (x: Info) => {
    const r = x.shape.length;
    return permute(backend, x, [...x.shape.keys()].map((i) => i < r - 2 ? i : 2 * r - 3 - i));
  };
  const at = attrs.transposeA ? swapLast(a) : { out: a, owned: false };
  const bt = attrs.transposeB ? swapLast(b) : { out: b, owned: false };
  const out = stock("BatchMatMul")({
    inputs: { a: at.out, b: bt.out },
    backend,
    attrs: { ...attrs, transposeA: false, transposeB: false },
  });
  free(backend, at, bt);
  return out;
}

let registered = false;

/**
 * Register the kernels above on the wasm backend. Call once the backend is
 * ready (its stock kernels are looked up here).
 *
 * @param kernels The SIMD kernels, instantiated on the backend's heap.
 */
export function registerTrainingKernels(kernels: SimdKernels): void {
  if (registered) return;
  registered = true;
  simd = kernels;
  const replace = (kernelName: string, kernelFunc: (args: KernelArgs) => Info) => {
    if (tf.getKernel(kernelName, "wasm") !== undefined) {
      replaced.set(kernelName, stock(kernelName));
      tf.unregisterKernel(kernelName, "wasm");
    }
    tf.registerKernel({
      kernelName,
      backendName: "wasm",
      kernelFunc: kernelFunc as unknown as tf.KernelFunc,
    });
  };
  replace("Conv2DBackpropFilter", conv2DBackpropFilter);
  replace("Conv2DBackpropInput", conv2DBackpropInput);
  replace("BatchMatMul", batchMatMul);
  replace("MaxPoolGrad", maxPoolGrad);
  replace("Sum", sum);
  replace("FusedConv2D", fusedConv2D);
}
