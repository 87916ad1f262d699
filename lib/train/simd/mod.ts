/**
 * The SIMD kernels of kernels.c, running on tfjs's own wasm heap.
 *
 * @module
 */

/** The functions kernels.c exports; every pointer is a byte address on tfjs's heap. */
export interface SimdKernels {
  pad(
    x: number,
    xp: number,
    n: number,
    h: number,
    w: number,
    c: number,
    top: number,
    bottom: number,
    left: number,
    right: number,
  ): void;
  conv_c1_forward(
    xp: number,
    w: number,
    bias: number,
    y: number,
    n: number,
    oh: number,
    ow: number,
    kh: number,
    kw: number,
    cout: number,
    relu: number,
  ): void;
  conv_c1_filter_grad(
    xp: number,
    dy: number,
    dw: number,
    plane: number,
    n: number,
    oh: number,
    ow: number,
    kh: number,
    kw: number,
    cout: number,
  ): void;
  conv_input_grad(
    dy: number,
    wt: number,
    dxp: number,
    n: number,
    oh: number,
    ow: number,
    kh: number,
    kw: number,
    cin: number,
    cout: number,
  ): void;
  transpose_rows(w: number, wt: number, kh: number, kw: number, cin: number, cout: number): void;
  crop(
    dxp: number,
    dx: number,
    n: number,
    h: number,
    w: number,
    c: number,
    hp: number,
    wp: number,
    top: number,
    left: number,
  ): void;
  maxpool2_grad(
    x: number,
    dy: number,
    dx: number,
    n: number,
    h: number,
    w: number,
    c: number,
  ): void;
  sum_rows(x: number, out: number, rows: number, c: number): void;
}

/**
 * Instantiate kernels.wasm on `memory` (tfjs's wasm heap).
 *
 * @param memory The WebAssembly memory the kernels read and write.
 * @returns The kernels.
 */
export async function loadSimdKernels(memory: WebAssembly.Memory): Promise<SimdKernels> {
  const bytes = await Deno.readFile(new URL("./kernels.wasm", import.meta.url));
  const { instance } = await WebAssembly.instantiate(bytes, { env: { memory } });
  return instance.exports as unknown as SimdKernels;
}
