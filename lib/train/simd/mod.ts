/**
 * The SIMD kernels of kernels.c: what they export, and how to load them.
 *
 * Every pointer is a byte address in the memory the module is instantiated
 * on; ../net.ts lays the network out in it.
 *
 * @module
 */

/** The functions kernels.c exports (see the comment above each in kernels.c). */
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
    x: number,
    w: number,
    bias: number,
    y: number,
    n: number,
    hp: number,
    wp: number,
    cout: number,
    kh: number,
    kw: number,
    relu: number,
  ): void;
  maxpool_forward(
    y: number,
    p: number,
    at: number,
    n: number,
    h: number,
    w: number,
    c: number,
  ): void;
  maxpool_backward(
    dp: number,
    p: number,
    at: number,
    dy: number,
    n: number,
    h: number,
    w: number,
    c: number,
  ): void;
  conv_c1_filter_grad(
    xp: number,
    dy: number,
    dw: number,
    db: number,
    plane: number,
    n: number,
    oh: number,
    ow: number,
    kh: number,
    kw: number,
    cout: number,
  ): void;
  conv_forward(
    x: number,
    w: number,
    bias: number,
    y: number,
    n: number,
    hp: number,
    wp: number,
    cin: number,
    cout: number,
    kh: number,
    kw: number,
    relu: number,
  ): void;
  conv_filter_grad(
    x: number,
    dy: number,
    dw: number,
    n: number,
    hp: number,
    wp: number,
    cin: number,
    cout: number,
    kh: number,
    kw: number,
  ): void;
  transpose_rows(w: number, wt: number, kh: number, kw: number, cin: number, cout: number): void;
  conv_input_grad(
    dy: number,
    wt: number,
    dx: number,
    n: number,
    oh: number,
    ow: number,
    kh: number,
    kw: number,
    cin: number,
    cout: number,
  ): void;
  pack4(a: number, ap: number, m: number, k: number): void;
  gemm(
    a: number,
    b: number,
    bias: number,
    out: number,
    m: number,
    k: number,
    n: number,
    relu: number,
  ): void;
  gemm_tn(a: number, g: number, out: number, m: number, k: number, n: number): void;
  transpose(x: number, out: number, rows: number, cols: number): void;
  relu_grad(dh: number, h: number, count: number): void;
  sum_rows(x: number, out: number, rows: number, c: number): void;
  accumulate(dst: number, src: number, count: number, first: number): void;
  sgd(w: number, g: number, lr: number, count: number): void;
}

let bytes: Promise<Uint8Array<ArrayBuffer>> | null = null;

/** The compiled module's bytes, read once per process. */
export function kernelBytes(): Promise<Uint8Array<ArrayBuffer>> {
  bytes ??= Deno.readFile(new URL("./kernels.wasm", import.meta.url));
  return bytes;
}

let compiled: Promise<WebAssembly.Module> | null = null;

/**
 * Instantiate kernels.wasm on `memory`. The module is compiled once per
 * process (or worker) and instantiated per memory.
 *
 * @param memory The WebAssembly memory the kernels read and write.
 * @param source The module's bytes (default: kernels.wasm beside this file).
 * @returns The kernels.
 */
export async function loadSimdKernels(
  memory: WebAssembly.Memory,
  source?: Uint8Array<ArrayBuffer>,
): Promise<SimdKernels> {
  const module = source
    ? await WebAssembly.compile(source)
    : await (compiled ??= kernelBytes().then((b) => WebAssembly.compile(b)));
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  return instance.exports as unknown as SimdKernels;
}
