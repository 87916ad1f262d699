/*
 * Training kernels for LeNet-sized convolutions, in C for WebAssembly SIMD.
 *
 * Built by ./build.ts into kernels.wasm, which imports tfjs's own wasm memory:
 * every pointer here is an address on tfjs's heap, so tensors are read and
 * written in place, never copied. Layout is NHWC, float32, stride 1.
 *
 * Rules that keep this module safe inside tfjs's heap: no globals, no static
 * data, no libc, no stack memory (no local arrays, no address-of locals);
 * scratch space is allocated by the caller with tfjs's malloc.
 */

#include <wasm_simd128.h>

#define EXPORT __attribute__((visibility("default")))

typedef v128_t vec;

/* The first `count` (0..4) lanes of p, the others zero. Never reads past p + count. */
static inline vec load_partial(const float *p, int count) {
  switch (count) {
  case 4: return wasm_v128_load(p);
  case 3: return wasm_f32x4_replace_lane(wasm_v128_load64_zero(p), 2, p[2]);
  case 2: return wasm_v128_load64_zero(p);
  case 1: return wasm_v128_load32_zero(p);
  default: return wasm_f32x4_splat(0.0f);
  }
}

/* Store the first `count` (0..4) lanes of v at p. */
static inline void store_partial(float *p, vec v, int count) {
  switch (count) {
  case 4: wasm_v128_store(p, v); break;
  case 3: wasm_v128_store64_lane(p, v, 0); p[2] = wasm_f32x4_extract_lane(v, 2); break;
  case 2: wasm_v128_store64_lane(p, v, 0); break;
  case 1: p[0] = wasm_f32x4_extract_lane(v, 0); break;
  default: break;
  }
}

static inline int clamp4(int n) { return n < 0 ? 0 : n > 4 ? 4 : n; }

#define MAC(acc, a, b) acc = wasm_f32x4_add(acc, wasm_f32x4_mul(a, b))

/*
 * Copy x [n, h, w, c] into xp [n, h + top + bottom, w + left + right, c],
 * zero borders.
 */
EXPORT void pad(const float *x, float *xp, int n, int h, int w, int c, int top, int bottom,
                int left, int right) {
  int hp = h + top + bottom, wp = w + left + right;
  long total = (long)n * hp * wp * c;
  for (long k = 0; k < total; k++) xp[k] = 0.0f;
  for (int b = 0; b < n; b++)
    for (int i = 0; i < h; i++) {
      const float *src = x + ((long)(b * h + i) * w) * c;
      float *dst = xp + ((long)(b * hp + i + top) * wp + left) * c;
      for (int k = 0; k < w * c; k++) dst[k] = src[k];
    }
}

/*
 * Forward convolution with ONE input channel, bias and optional ReLU:
 * y[b, i, j, o] = act(bias[o] + sum_{a, e} xp[b, i + a, j + e] * w[a, e, o]),
 * xp already padded ([n, oh + kh - 1, ow + kw - 1]). Channels go in groups
 * of eight; four output pixels at a time, each with two vectors of channels.
 */
EXPORT void conv_c1_forward(const float *xp, const float *w, const float *bias, float *y, int n,
                            int oh, int ow, int kh, int kw, int cout, int relu) {
  int hp = oh + kh - 1, wp = ow + kw - 1;
  vec zero = wasm_f32x4_splat(0.0f);
  for (int g = 0; g < cout; g += 8) {
    int c0 = clamp4(cout - g), c1 = clamp4(cout - g - 4);
    vec b0 = load_partial(bias + g, c0), b1 = load_partial(bias + g + 4, c1);
    for (int b = 0; b < n; b++)
      for (int i = 0; i < oh; i++) {
        float *out = y + ((long)(b * oh + i) * ow) * cout + g;
        int j = 0;
        for (; j + 4 <= ow; j += 4) {
          vec a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1;
          for (int a = 0; a < kh; a++) {
            const float *row = xp + (long)(b * hp + i + a) * wp + j;
            const float *wr = w + a * kw * cout + g;
            for (int e = 0; e < kw; e++) {
              vec w0 = load_partial(wr + e * cout, c0), w1 = load_partial(wr + e * cout + 4, c1);
              vec x0 = wasm_f32x4_splat(row[e]), x1 = wasm_f32x4_splat(row[e + 1]);
              vec x2 = wasm_f32x4_splat(row[e + 2]), x3 = wasm_f32x4_splat(row[e + 3]);
              MAC(a00, x0, w0); MAC(a01, x0, w1); MAC(a10, x1, w0); MAC(a11, x1, w1);
              MAC(a20, x2, w0); MAC(a21, x2, w1); MAC(a30, x3, w0); MAC(a31, x3, w1);
            }
          }
          if (relu) {
            a00 = wasm_f32x4_max(a00, zero); a01 = wasm_f32x4_max(a01, zero);
            a10 = wasm_f32x4_max(a10, zero); a11 = wasm_f32x4_max(a11, zero);
            a20 = wasm_f32x4_max(a20, zero); a21 = wasm_f32x4_max(a21, zero);
            a30 = wasm_f32x4_max(a30, zero); a31 = wasm_f32x4_max(a31, zero);
          }
          float *p = out + j * cout;
          store_partial(p, a00, c0); store_partial(p + 4, a01, c1); p += cout;
          store_partial(p, a10, c0); store_partial(p + 4, a11, c1); p += cout;
          store_partial(p, a20, c0); store_partial(p + 4, a21, c1); p += cout;
          store_partial(p, a30, c0); store_partial(p + 4, a31, c1);
        }
        for (; j < ow; j++) {
          vec a0 = b0, a1 = b1;
          for (int a = 0; a < kh; a++) {
            const float *row = xp + (long)(b * hp + i + a) * wp + j;
            const float *wr = w + a * kw * cout + g;
            for (int e = 0; e < kw; e++) {
              vec x = wasm_f32x4_splat(row[e]);
              MAC(a0, x, load_partial(wr + e * cout, c0));
              MAC(a1, x, load_partial(wr + e * cout + 4, c1));
            }
          }
          if (relu) { a0 = wasm_f32x4_max(a0, zero); a1 = wasm_f32x4_max(a1, zero); }
          store_partial(out + j * cout, a0, c0);
          store_partial(out + j * cout + 4, a1, c1);
        }
      }
  }
}

/* Horizontal sum of the four lanes of v. */
static inline float hsum(vec v) {
  return wasm_f32x4_extract_lane(v, 0) + wasm_f32x4_extract_lane(v, 1) +
         wasm_f32x4_extract_lane(v, 2) + wasm_f32x4_extract_lane(v, 3);
}

/*
 * Filter gradient of a stride-1 convolution with ONE input channel:
 * dw[a, e, 0, o] = sum_{b, i, j} xp[b, i + a, j + e] * dy[b, i, j, o],
 * xp already padded ([n, oh + kh - 1, ow + kw - 1]); kw <= 8.
 *
 * Per image, dy is first made planar (plane[o][i][j], in `plane`, scratch of
 * oh * ow * cout floats) so that four neighbouring pixels of one channel sit
 * in one vector; each input row then meets it at kw shifts, one accumulator
 * per shift, summed across lanes at the end. No lane is wasted.
 */
EXPORT void conv_c1_filter_grad(const float *xp, const float *dy, float *dw, float *plane, int n,
                                int oh, int ow, int kh, int kw, int cout) {
  int hp = oh + kh - 1, wp = ow + kw - 1, blocks = ow / 4;
  for (long k = 0; k < (long)kh * kw * cout; k++) dw[k] = 0.0f;
  for (int b = 0; b < n; b++) {
    const float *g = dy + (long)b * oh * ow * cout;
    for (int p = 0; p < oh * ow; p++)
      for (int o = 0; o < cout; o++) plane[(long)o * oh * ow + p] = g[(long)p * cout + o];
    for (int o = 0; o < cout; o++)
      for (int a = 0; a < kh; a++) {
        vec z = wasm_f32x4_splat(0.0f);
        vec s0 = z, s1 = z, s2 = z, s3 = z, s4 = z, s5 = z, s6 = z, s7 = z;
        float r0 = 0, r1 = 0, r2 = 0, r3 = 0, r4 = 0, r5 = 0, r6 = 0, r7 = 0;
        for (int i = 0; i < oh; i++) {
          const float *gr = plane + ((long)o * oh + i) * ow;
          const float *xr = xp + ((long)b * hp + i + a) * wp;
          for (int q = 0; q < blocks; q++) {
            vec gv = wasm_v128_load(gr + 4 * q);
            const float *x = xr + 4 * q;
            MAC(s0, wasm_v128_load(x), gv);
            if (kw > 1) MAC(s1, wasm_v128_load(x + 1), gv);
            if (kw > 2) MAC(s2, wasm_v128_load(x + 2), gv);
            if (kw > 3) MAC(s3, wasm_v128_load(x + 3), gv);
            if (kw > 4) MAC(s4, wasm_v128_load(x + 4), gv);
            if (kw > 5) MAC(s5, wasm_v128_load(x + 5), gv);
            if (kw > 6) MAC(s6, wasm_v128_load(x + 6), gv);
            if (kw > 7) MAC(s7, wasm_v128_load(x + 7), gv);
          }
          for (int j = 4 * blocks; j < ow; j++) {
            float gs = gr[j];
            const float *x = xr + j;
            r0 += x[0] * gs;
            if (kw > 1) r1 += x[1] * gs;
            if (kw > 2) r2 += x[2] * gs;
            if (kw > 3) r3 += x[3] * gs;
            if (kw > 4) r4 += x[4] * gs;
            if (kw > 5) r5 += x[5] * gs;
            if (kw > 6) r6 += x[6] * gs;
            if (kw > 7) r7 += x[7] * gs;
          }
        }
        float *d = dw + (long)a * kw * cout + o;
        d[0] += hsum(s0) + r0;
        if (kw > 1) d[cout] += hsum(s1) + r1;
        if (kw > 2) d[2 * cout] += hsum(s2) + r2;
        if (kw > 3) d[3 * cout] += hsum(s3) + r3;
        if (kw > 4) d[4 * cout] += hsum(s4) + r4;
        if (kw > 5) d[5 * cout] += hsum(s5) + r5;
        if (kw > 6) d[6 * cout] += hsum(s6) + r6;
        if (kw > 7) d[7 * cout] += hsum(s7) + r7;
      }
  }
}

/*
 * Input gradient of a stride-1 convolution, as a scatter:
 * dxp[b, i + a, j + e, ci] += sum_o dy[b, i, j, o] * w[a, e, ci, o],
 * into dxp, the gradient of the padded input ([n, oh + kh - 1, ow + kw - 1, cin]).
 * For fixed (pixel, a) the targets are kw * cin contiguous floats, at most 32:
 * eight vectors of accumulators over wt, the weights arranged as
 * wt[a, o, 32] (prepared by the caller with transpose_rows).
 */
EXPORT void conv_input_grad(const float *dy, const float *wt, float *dxp, int n, int oh, int ow,
                            int kh, int kw, int cin, int cout) {
  int hp = oh + kh - 1, wp = ow + kw - 1, run = kw * cin;
  long total = (long)n * hp * wp * cin;
  for (long k = 0; k < total; k++) dxp[k] = 0.0f;
  for (int b = 0; b < n; b++)
    for (int i = 0; i < oh; i++)
      for (int j = 0; j < ow; j++) {
        const float *g = dy + ((long)(b * oh + i) * ow + j) * cout;
        for (int a = 0; a < kh; a++) {
          vec z = wasm_f32x4_splat(0.0f);
          vec s0 = z, s1 = z, s2 = z, s3 = z, s4 = z, s5 = z, s6 = z, s7 = z;
          const float *wa = wt + (long)a * cout * 32;
          for (int o = 0; o < cout; o++) {
            vec v = wasm_f32x4_splat(g[o]);
            const float *wo = wa + o * 32;
            MAC(s0, v, wasm_v128_load(wo)); MAC(s1, v, wasm_v128_load(wo + 4));
            MAC(s2, v, wasm_v128_load(wo + 8)); MAC(s3, v, wasm_v128_load(wo + 12));
            MAC(s4, v, wasm_v128_load(wo + 16)); MAC(s5, v, wasm_v128_load(wo + 20));
            MAC(s6, v, wasm_v128_load(wo + 24)); MAC(s7, v, wasm_v128_load(wo + 28));
          }
          float *d = dxp + ((long)(b * hp + i + a) * wp + j) * cin;
#define ADD(k, s) { int m = clamp4(run - 4 * k); \
            if (m == 4) wasm_v128_store(d + 4 * k, wasm_f32x4_add(wasm_v128_load(d + 4 * k), s)); \
            else if (m > 0) store_partial(d + 4 * k, wasm_f32x4_add(load_partial(d + 4 * k, m), s), m); }
          ADD(0, s0) ADD(1, s1) ADD(2, s2) ADD(3, s3) ADD(4, s4) ADD(5, s5) ADD(6, s6) ADD(7, s7)
#undef ADD
        }
      }
}

/*
 * Arrange w [kh, kw, cin, cout] for conv_input_grad: wt[a, o, r] = w[a, e, ci, o]
 * with r = e * cin + ci < kw * cin <= 32, zero-filled up to 32.
 */
EXPORT void transpose_rows(const float *w, float *wt, int kh, int kw, int cin, int cout) {
  int run = kw * cin;
  for (int a = 0; a < kh; a++)
    for (int o = 0; o < cout; o++)
      for (int r = 0; r < 32; r++)
        wt[((long)a * cout + o) * 32 + r] = r < run ? w[((long)a * run + r) * cout + o] : 0.0f;
}

/*
 * Crop the gradient of a padded input back to the input:
 * dx[b, i, j, c] = dxp[b, i + top, j + left, c].
 */
EXPORT void crop(const float *dxp, float *dx, int n, int h, int w, int c, int hp, int wp, int top,
                 int left) {
  for (int b = 0; b < n; b++)
    for (int i = 0; i < h; i++) {
      const float *src = dxp + ((long)(b * hp + i + top) * wp + left) * c;
      float *dst = dx + ((long)(b * h + i) * w) * c;
      for (int k = 0; k < w * c; k++) dst[k] = src[k];
    }
}

/*
 * Gradient of 2x2 max-pooling with stride 2 and no padding: each output
 * gradient goes to the first maximum of its window (rows, then columns).
 * dx must be zeroed by this function's contract: it writes every element.
 */
EXPORT void maxpool2_grad(const float *x, const float *dy, float *dx, int n, int h, int w, int c) {
  int oh = h / 2, ow = w / 2;
  long total = (long)n * h * w * c;
  for (long k = 0; k < total; k++) dx[k] = 0.0f;
  long row = (long)w * c;
  for (int b = 0; b < n; b++)
    for (int i = 0; i < oh; i++)
      for (int j = 0; j < ow; j++) {
        long p = ((long)(b * h + 2 * i) * w + 2 * j) * c;
        const float *g = dy + ((long)(b * oh + i) * ow + j) * c;
        int k = 0;
        for (; k + 4 <= c; k += 4) {
          vec x0 = wasm_v128_load(x + p + k), x1 = wasm_v128_load(x + p + c + k);
          vec x2 = wasm_v128_load(x + p + row + k), x3 = wasm_v128_load(x + p + row + c + k);
          /* first maximum: later positions win only when strictly greater */
          vec m01 = wasm_f32x4_gt(x1, x0), top = wasm_v128_bitselect(x1, x0, m01);
          vec m23 = wasm_f32x4_gt(x3, x2), bot = wasm_v128_bitselect(x3, x2, m23);
          vec low = wasm_f32x4_gt(bot, top);
          vec gv = wasm_v128_load(g + k);
          vec up = wasm_v128_andnot(gv, low), down = wasm_v128_and(gv, low);
          wasm_v128_store(dx + p + k, wasm_v128_andnot(up, m01));
          wasm_v128_store(dx + p + c + k, wasm_v128_and(up, m01));
          wasm_v128_store(dx + p + row + k, wasm_v128_andnot(down, m23));
          wasm_v128_store(dx + p + row + c + k, wasm_v128_and(down, m23));
        }
        for (; k < c; k++) {
          float v0 = x[p + k], v1 = x[p + c + k], v2 = x[p + row + k], v3 = x[p + row + c + k];
          long at = p + k;
          float best = v0;
          if (v1 > best) { best = v1; at = p + c + k; }
          if (v2 > best) { best = v2; at = p + row + k; }
          if (v3 > best) { at = p + row + c + k; }
          dx[at] = g[k];
        }
      }
}

/* out[o] = sum over rows of x[row, o] (x is rows x c), for bias gradients. */
EXPORT void sum_rows(const float *x, float *out, long rows, int c) {
  for (int o = 0; o < c; o += 4) {
    int m = clamp4(c - o);
    vec s0 = wasm_f32x4_splat(0.0f), s1 = s0;
    long r = 0;
    for (; r + 2 <= rows; r += 2) {
      s0 = wasm_f32x4_add(s0, load_partial(x + r * c + o, m));
      s1 = wasm_f32x4_add(s1, load_partial(x + (r + 1) * c + o, m));
    }
    if (r < rows) s0 = wasm_f32x4_add(s0, load_partial(x + r * c + o, m));
    store_partial(out + o, wasm_f32x4_add(s0, s1), m);
  }
}
