/*
 * The training kernels of LeNet, in C for WebAssembly SIMD (128-bit).
 *
 * Built by ./build.ts into kernels.wasm, which imports its memory: every
 * pointer is a byte address in that memory, laid out by ../net.ts. Layout is
 * NHWC, float32; convolutions are stride 1 on an input padded beforehand.
 *
 * Rules that keep every result the same on every machine: only plain SIMD128
 * (no relaxed-SIMD, no fused multiply-add, so a product is always rounded
 * before it is added), every sum taken in one fixed order, no libc, no globals,
 * no static data, no stack memory (scratch space is passed in by the caller).
 */

#include <wasm_simd128.h>

#define EXPORT __attribute__((visibility("default")))
#define INLINE static inline __attribute__((always_inline))

typedef v128_t vec;

/* The first `count` (0..4) lanes of p, the others zero. Never reads past p + count. */
INLINE vec load_partial(const float *p, int count) {
  switch (count) {
  case 4: return wasm_v128_load(p);
  case 3: return wasm_f32x4_replace_lane(wasm_v128_load64_zero(p), 2, p[2]);
  case 2: return wasm_v128_load64_zero(p);
  case 1: return wasm_v128_load32_zero(p);
  default: return wasm_f32x4_splat(0.0f);
  }
}

/* Store the first `count` (0..4) lanes of v at p. */
INLINE void store_partial(float *p, vec v, int count) {
  switch (count) {
  case 4: wasm_v128_store(p, v); break;
  case 3: wasm_v128_store64_lane(p, v, 0); p[2] = wasm_f32x4_extract_lane(v, 2); break;
  case 2: wasm_v128_store64_lane(p, v, 0); break;
  case 1: p[0] = wasm_f32x4_extract_lane(v, 0); break;
  default: break;
  }
}

/* Four lanes when full (a constant after inlining), else the first `count`. */
INLINE vec load_n(const float *p, int full, int count) {
  return full ? wasm_v128_load(p) : load_partial(p, count);
}
INLINE void store_n(float *p, vec v, int full, int count) {
  if (full) wasm_v128_store(p, v);
  else store_partial(p, v, count);
}

INLINE int clamp4(int n) { return n < 0 ? 0 : n > 4 ? 4 : n; }

INLINE vec splat(const float *p) { return wasm_v128_load32_splat(p); }

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
 * Six channels of a one-input-channel convolution for 4 or 8 pixels of a row
 * (`wide`), the pixels along the vectors: acc[o] holds channel g + o at
 * pixels j.. j + 3 (and j + 4.. j + 7). Same sums in the same order as
 * conv_row: bias first, then the filter taps row-major.
 */
INLINE void c1_block(const float *xr, const float *w, const float *bias, float *out, int wp,
                     int cout, int kh, int kw, int relu, int g, int j, int wide) {
  vec a0 = splat(bias + g), a1 = splat(bias + g + 1), a2 = splat(bias + g + 2);
  vec a3 = splat(bias + g + 3), a4 = splat(bias + g + 4), a5 = splat(bias + g + 5);
  vec b0 = a0, b1 = a1, b2 = a2, b3 = a3, b4 = a4, b5 = a5;
  for (int a = 0; a < kh; a++) {
    const float *row = xr + (long)a * wp + j;
    for (int e = 0; e < kw; e++) {
      const float *wr = w + (long)(a * kw + e) * cout + g;
      vec x = wasm_v128_load(row + e);
      MAC(a0, x, splat(wr)); MAC(a1, x, splat(wr + 1)); MAC(a2, x, splat(wr + 2));
      MAC(a3, x, splat(wr + 3)); MAC(a4, x, splat(wr + 4)); MAC(a5, x, splat(wr + 5));
      if (wide) {
        vec y = wasm_v128_load(row + e + 4);
        MAC(b0, y, splat(wr)); MAC(b1, y, splat(wr + 1)); MAC(b2, y, splat(wr + 2));
        MAC(b3, y, splat(wr + 3)); MAC(b4, y, splat(wr + 4)); MAC(b5, y, splat(wr + 5));
      }
    }
  }
  vec zero = wasm_f32x4_splat(0.0f);
  for (int half = 0; half <= wide; half++) {
    vec r0 = half ? b0 : a0, r1 = half ? b1 : a1, r2 = half ? b2 : a2;
    vec r3 = half ? b3 : a3, r4 = half ? b4 : a4, r5 = half ? b5 : a5;
    if (relu) {
      r0 = wasm_f32x4_max(r0, zero); r1 = wasm_f32x4_max(r1, zero);
      r2 = wasm_f32x4_max(r2, zero); r3 = wasm_f32x4_max(r3, zero);
      r4 = wasm_f32x4_max(r4, zero); r5 = wasm_f32x4_max(r5, zero);
    }
    /* channels along the vectors again: a 4 x 4 transpose, and pairs for the last two */
    vec t0 = wasm_i32x4_shuffle(r0, r1, 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(r0, r1, 2, 6, 3, 7);
    vec t2 = wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5), t3 = wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7);
    vec u0 = wasm_i32x4_shuffle(r4, r5, 0, 4, 1, 5), u1 = wasm_i32x4_shuffle(r4, r5, 2, 6, 3, 7);
    float *p = out + (long)(j + 4 * half) * cout + g;
    wasm_v128_store(p, wasm_i32x4_shuffle(t0, t2, 0, 1, 4, 5));
    wasm_v128_store64_lane(p + 4, u0, 0);
    p += cout;
    wasm_v128_store(p, wasm_i32x4_shuffle(t0, t2, 2, 3, 6, 7));
    wasm_v128_store64_lane(p + 4, u0, 1);
    p += cout;
    wasm_v128_store(p, wasm_i32x4_shuffle(t1, t3, 0, 1, 4, 5));
    wasm_v128_store64_lane(p + 4, u1, 0);
    p += cout;
    wasm_v128_store(p, wasm_i32x4_shuffle(t1, t3, 2, 3, 6, 7));
    wasm_v128_store64_lane(p + 4, u1, 1);
  }
}

/*
 * Forward convolution with ONE input channel, valid, stride 1, with bias and
 * optional ReLU:
 * y[b, i, j, o] = act(bias[o] + sum_{a, e} x[b, i + a, j + e] * w[a, e, 0, o]),
 * x [n, hp, wp] (padded already), w [kh, kw, 1, cout], y [n, oh, ow, cout] with
 * oh = hp - kh + 1, ow = wp - kw + 1; cout a multiple of 6, ow of 4.
 */
EXPORT void conv_c1_forward(const float *x, const float *w, const float *bias, float *y, int n,
                            int hp, int wp, int cout, int kh, int kw, int relu) {
  int oh = hp - kh + 1, ow = wp - kw + 1;
  for (int b = 0; b < n; b++)
    for (int i = 0; i < oh; i++) {
      const float *xr = x + (long)(b * hp + i) * wp;
      float *out = y + ((long)(b * oh + i) * ow) * cout;
      for (int g = 0; g < cout; g += 6) {
        int j = 0;
        for (; j + 8 <= ow; j += 8) c1_block(xr, w, bias, out, wp, cout, kh, kw, relu, g, j, 1);
        for (; j < ow; j += 4) c1_block(xr, w, bias, out, wp, cout, kh, kw, relu, g, j, 0);
      }
    }
}

/*
 * 2x2 max-pooling, stride 2, no padding, recording where each maximum was:
 * p[b, i, j, c] = max of y[b, 2i + r, 2j + s, c] over r, s in {0, 1}, and
 * at[b, i, j, c] = 2r + s of the FIRST maximum in the order (0,0), (0,1),
 * (1,0), (1,1) (a later one wins only when strictly greater).
 */
EXPORT void maxpool_forward(const float *y, float *p, int *at, int n, int h, int w, int c) {
  int oh = h / 2, ow = w / 2;
  long row = (long)w * c;
  vec one = wasm_i32x4_splat(1), two = wasm_i32x4_splat(2);
  for (int b = 0; b < n; b++)
    for (int i = 0; i < oh; i++)
      for (int j = 0; j < ow; j++) {
        const float *q = y + ((long)(b * h + 2 * i) * w + 2 * j) * c;
        long o = ((long)(b * oh + i) * ow + j) * c;
        for (int k = 0; k < c; k += 4) {
          int m = clamp4(c - k);
          vec x0 = load_partial(q + k, m), x1 = load_partial(q + c + k, m);
          vec x2 = load_partial(q + row + k, m), x3 = load_partial(q + row + c + k, m);
          vec m01 = wasm_f32x4_gt(x1, x0), top = wasm_v128_bitselect(x1, x0, m01);
          vec m23 = wasm_f32x4_gt(x3, x2), bot = wasm_v128_bitselect(x3, x2, m23);
          vec low = wasm_f32x4_gt(bot, top);
          vec itop = wasm_v128_and(m01, one);
          vec ibot = wasm_i32x4_add(two, wasm_v128_and(m23, one));
          store_partial(p + o + k, wasm_v128_bitselect(bot, top, low), m);
          store_partial((float *)(at + o + k), wasm_v128_bitselect(ibot, itop, low), m);
        }
      }
}

/*
 * The gradient of ReLU followed by 2x2 max-pooling: each output gradient
 * dp goes to the position `at` recorded by maxpool_forward, when the maximum
 * p is positive (ReLU passes it); every other element of dy is zero.
 */
EXPORT void maxpool_backward(const float *dp, const float *p, const int *at, float *dy, int n,
                             int h, int w, int c) {
  int oh = h / 2, ow = w / 2;
  long row = (long)w * c;
  vec zero = wasm_f32x4_splat(0.0f);
  vec i0 = wasm_i32x4_splat(0), i1 = wasm_i32x4_splat(1);
  vec i2 = wasm_i32x4_splat(2), i3 = wasm_i32x4_splat(3);
  for (int b = 0; b < n; b++)
    for (int i = 0; i < oh; i++)
      for (int j = 0; j < ow; j++) {
        float *q = dy + ((long)(b * h + 2 * i) * w + 2 * j) * c;
        long o = ((long)(b * oh + i) * ow + j) * c;
        for (int k = 0; k < c; k += 4) {
          int m = clamp4(c - k);
          vec pos = wasm_f32x4_gt(load_partial(p + o + k, m), zero);
          vec g = wasm_v128_and(load_partial(dp + o + k, m), pos);
          vec where = load_partial((const float *)(at + o + k), m);
          store_partial(q + k, wasm_v128_and(g, wasm_i32x4_eq(where, i0)), m);
          store_partial(q + c + k, wasm_v128_and(g, wasm_i32x4_eq(where, i1)), m);
          store_partial(q + row + k, wasm_v128_and(g, wasm_i32x4_eq(where, i2)), m);
          store_partial(q + row + c + k, wasm_v128_and(g, wasm_i32x4_eq(where, i3)), m);
        }
      }
}

/* Horizontal sum of the four lanes of v, in lane order. */
INLINE float hsum(vec v) {
  return wasm_f32x4_extract_lane(v, 0) + wasm_f32x4_extract_lane(v, 1) +
         wasm_f32x4_extract_lane(v, 2) + wasm_f32x4_extract_lane(v, 3);
}

/*
 * dy [pixels, cout] of one image made planar: plane[o][pixel], and db[o]
 * increased by the sum of plane o (four pixels per lane, lanes then added).
 */
INLINE void planar(const float *dy, float *plane, float *db, int pixels, int cout) {
  int p = 0;
  if (cout % 6 == 0)
    for (; p + 4 <= pixels; p += 4)
      for (int g = 0; g < cout; g += 6) {
        const float *q = dy + (long)p * cout + g;
        vec l0 = wasm_v128_load(q), l1 = wasm_v128_load(q + cout);
        vec l2 = wasm_v128_load(q + 2 * cout), l3 = wasm_v128_load(q + 3 * cout);
        vec t0 = wasm_i32x4_shuffle(l0, l1, 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(l0, l1, 2, 6, 3, 7);
        vec t2 = wasm_i32x4_shuffle(l2, l3, 0, 4, 1, 5), t3 = wasm_i32x4_shuffle(l2, l3, 2, 6, 3, 7);
        vec h0 = wasm_v128_load64_zero(q + 4), h1 = wasm_v128_load64_zero(q + cout + 4);
        vec h2 = wasm_v128_load64_zero(q + 2 * cout + 4);
        vec h3 = wasm_v128_load64_zero(q + 3 * cout + 4);
        vec u0 = wasm_i32x4_shuffle(h0, h1, 0, 1, 4, 5), u1 = wasm_i32x4_shuffle(h2, h3, 0, 1, 4, 5);
        float *d = plane + (long)g * pixels + p;
        wasm_v128_store(d, wasm_i32x4_shuffle(t0, t2, 0, 1, 4, 5));
        wasm_v128_store(d + pixels, wasm_i32x4_shuffle(t0, t2, 2, 3, 6, 7));
        wasm_v128_store(d + 2 * pixels, wasm_i32x4_shuffle(t1, t3, 0, 1, 4, 5));
        wasm_v128_store(d + 3 * pixels, wasm_i32x4_shuffle(t1, t3, 2, 3, 6, 7));
        wasm_v128_store(d + 4 * pixels, wasm_i32x4_shuffle(u0, u1, 0, 2, 4, 6));
        wasm_v128_store(d + 5 * pixels, wasm_i32x4_shuffle(u0, u1, 1, 3, 5, 7));
      }
  for (; p < pixels; p++)
    for (int o = 0; o < cout; o++) plane[(long)o * pixels + p] = dy[(long)p * cout + o];
  for (int o = 0; o < cout; o++) {
    const float *q = plane + (long)o * pixels;
    vec s = wasm_f32x4_splat(0.0f);
    int k = 0;
    for (; k + 4 <= pixels; k += 4) s = wasm_f32x4_add(s, wasm_v128_load(q + k));
    float t = hsum(s);
    for (; k < pixels; k++) t += q[k];
    db[o] += t;
  }
}

/*
 * Filter and bias gradients of a stride-1 convolution with ONE input channel
 * and a filter at most 5 wide:
 * dw[a, e, 0, o] = sum_{b, i, j} xp[b, i + a, j + e] * dy[b, i, j, o] and
 * db[o] = sum_{b, i, j} dy[b, i, j, o], xp already padded
 * ([n, oh + kh - 1, ow + kw - 1]).
 *
 * Per image, dy is first made planar (in `plane`, scratch of oh * ow * cout
 * floats) so that four neighbouring pixels of one channel sit in one vector;
 * each input row then meets two channels' rows at kw shifts, one accumulator
 * per shift and channel, summed across lanes at the end.
 */
EXPORT void conv_c1_filter_grad(const float *xp, const float *dy, float *dw, float *db,
                                float *plane, int n, int oh, int ow, int kh, int kw, int cout) {
  int hp = oh + kh - 1, wp = ow + kw - 1, blocks = ow / 4, pixels = oh * ow;
  for (long k = 0; k < (long)kh * kw * cout; k++) dw[k] = 0.0f;
  for (int o = 0; o < cout; o++) db[o] = 0.0f;
  for (int b = 0; b < n; b++) {
    planar(dy + (long)b * pixels * cout, plane, db, pixels, cout);
    for (int o = 0; o < cout; o += 2) {
      int two = o + 1 < cout;
      for (int a = 0; a < kh; a++) {
        vec z = wasm_f32x4_splat(0.0f);
        vec s0 = z, s1 = z, s2 = z, s3 = z, s4 = z, t0 = z, t1 = z, t2 = z, t3 = z, t4 = z;
        float r0 = 0, r1 = 0, r2 = 0, r3 = 0, r4 = 0, u0 = 0, u1 = 0, u2 = 0, u3 = 0, u4 = 0;
        for (int i = 0; i < oh; i++) {
          const float *gr = plane + ((long)o * oh + i) * ow;
          const float *hr = gr + pixels;
          const float *xr = xp + ((long)b * hp + i + a) * wp;
          for (int q = 0; q < blocks; q++) {
            vec gv = wasm_v128_load(gr + 4 * q), hv = two ? wasm_v128_load(hr + 4 * q) : z;
            const float *x = xr + 4 * q;
            vec x0 = wasm_v128_load(x);
            MAC(s0, x0, gv); MAC(t0, x0, hv);
            if (kw > 1) { vec x1 = wasm_v128_load(x + 1); MAC(s1, x1, gv); MAC(t1, x1, hv); }
            if (kw > 2) { vec x2 = wasm_v128_load(x + 2); MAC(s2, x2, gv); MAC(t2, x2, hv); }
            if (kw > 3) { vec x3 = wasm_v128_load(x + 3); MAC(s3, x3, gv); MAC(t3, x3, hv); }
            if (kw > 4) { vec x4 = wasm_v128_load(x + 4); MAC(s4, x4, gv); MAC(t4, x4, hv); }
          }
          for (int j = 4 * blocks; j < ow; j++) {
            float gs = gr[j], hs = two ? hr[j] : 0.0f;
            const float *x = xr + j;
            r0 += x[0] * gs; u0 += x[0] * hs;
            if (kw > 1) { r1 += x[1] * gs; u1 += x[1] * hs; }
            if (kw > 2) { r2 += x[2] * gs; u2 += x[2] * hs; }
            if (kw > 3) { r3 += x[3] * gs; u3 += x[3] * hs; }
            if (kw > 4) { r4 += x[4] * gs; u4 += x[4] * hs; }
          }
        }
        float *d = dw + (long)a * kw * cout + o;
        d[0] += hsum(s0) + r0;
        if (kw > 1) d[cout] += hsum(s1) + r1;
        if (kw > 2) d[2 * cout] += hsum(s2) + r2;
        if (kw > 3) d[3 * cout] += hsum(s3) + r3;
        if (kw > 4) d[4 * cout] += hsum(s4) + r4;
        if (two) {
          d += 1;
          d[0] += hsum(t0) + u0;
          if (kw > 1) d[cout] += hsum(t1) + u1;
          if (kw > 2) d[2 * cout] += hsum(t2) + u2;
          if (kw > 3) d[3 * cout] += hsum(t3) + u3;
          if (kw > 4) d[4 * cout] += hsum(t4) + u4;
        }
      }
    }
  }
}

/*
 * One output row of conv_forward for the channel group [g, g + 8): four
 * pixels at a time, two vectors of channels each, then one pixel at a time.
 * Each output starts at its bias and adds the products in the order of the
 * filter taps (a, e, ci); for one filter row a the (e, ci) inputs are one
 * contiguous run t = e * cin + ci of the input row.
 */
INLINE void conv_row(const float *x, const float *w, vec b0, vec b1, float *out, int ow, int wp,
                     int cin, int cout, int kh, int kw, int relu, int g, int full, int c0,
                     int c1) {
  vec zero = wasm_f32x4_splat(0.0f);
  int run = kw * cin, j = 0;
  for (; j + 4 <= ow; j += 4) {
    vec a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1;
    for (int a = 0; a < kh; a++) {
      const float *row = x + ((long)a * wp + j) * cin;
      const float *wa = w + (long)a * run * cout + g;
      for (int t = 0; t < run; t++) {
        const float *wr = wa + (long)t * cout;
        vec w0 = load_n(wr, full, c0), w1 = load_n(wr + 4, full, c1);
        const float *px = row + t;
        vec x0 = splat(px);
        MAC(a00, x0, w0); MAC(a01, x0, w1);
        vec x1 = splat(px + cin);
        MAC(a10, x1, w0); MAC(a11, x1, w1);
        vec x2 = splat(px + 2 * cin);
        MAC(a20, x2, w0); MAC(a21, x2, w1);
        vec x3 = splat(px + 3 * cin);
        MAC(a30, x3, w0); MAC(a31, x3, w1);
      }
    }
    if (relu) {
      a00 = wasm_f32x4_max(a00, zero); a01 = wasm_f32x4_max(a01, zero);
      a10 = wasm_f32x4_max(a10, zero); a11 = wasm_f32x4_max(a11, zero);
      a20 = wasm_f32x4_max(a20, zero); a21 = wasm_f32x4_max(a21, zero);
      a30 = wasm_f32x4_max(a30, zero); a31 = wasm_f32x4_max(a31, zero);
    }
    float *p = out + (long)j * cout + g;
    store_n(p, a00, full, c0); store_n(p + 4, a01, full, c1); p += cout;
    store_n(p, a10, full, c0); store_n(p + 4, a11, full, c1); p += cout;
    store_n(p, a20, full, c0); store_n(p + 4, a21, full, c1); p += cout;
    store_n(p, a30, full, c0); store_n(p + 4, a31, full, c1);
  }
  for (; j < ow; j++) {
    vec a0 = b0, a1 = b1;
    for (int a = 0; a < kh; a++) {
      const float *row = x + ((long)a * wp + j) * cin;
      const float *wa = w + (long)a * run * cout + g;
      for (int t = 0; t < run; t++) {
        const float *wr = wa + (long)t * cout;
        vec v = splat(row + t);
        MAC(a0, v, load_n(wr, full, c0));
        MAC(a1, v, load_n(wr + 4, full, c1));
      }
    }
    if (relu) { a0 = wasm_f32x4_max(a0, zero); a1 = wasm_f32x4_max(a1, zero); }
    store_n(out + (long)j * cout + g, a0, full, c0);
    store_n(out + (long)j * cout + g + 4, a1, full, c1);
  }
}

/*
 * Forward convolution, valid, stride 1, with bias and optional ReLU:
 * y[b, i, j, o] = act(bias[o] + sum_{a, e, ci} x[b, i + a, j + e, ci] * w[a, e, ci, o]),
 * x [n, hp, wp, cin] (padded already), w [kh, kw, cin, cout],
 * y [n, hp - kh + 1, wp - kw + 1, cout].
 */
EXPORT void conv_forward(const float *x, const float *w, const float *bias, float *y, int n,
                         int hp, int wp, int cin, int cout, int kh, int kw, int relu) {
  int oh = hp - kh + 1, ow = wp - kw + 1;
  for (int b = 0; b < n; b++)
    for (int i = 0; i < oh; i++) {
      const float *xr = x + ((long)(b * hp + i) * wp) * cin;
      float *out = y + ((long)(b * oh + i) * ow) * cout;
      for (int g = 0; g < cout; g += 8) {
        int c0 = clamp4(cout - g), c1 = clamp4(cout - g - 4);
        vec b0 = load_partial(bias + g, c0), b1 = load_partial(bias + g + 4, c1);
        if (c0 == 4 && c1 == 4)
          conv_row(xr, w, b0, b1, out, ow, wp, cin, cout, kh, kw, relu, g, 1, 4, 4);
        else
          conv_row(xr, w, b0, b1, out, ow, wp, cin, cout, kh, kw, relu, g, 0, c0, c1);
      }
    }
}

/*
 * The products of conv_filter_grad for one image and one filter tap (a, e):
 * input channels [ci, ci + 4) (the first `nc` of them) against output
 * channels [g, g + 8), added to dw over the oh x ow pixels in row-major order.
 */
INLINE void filter_tap(const float *x, const float *dy, float *dw, int oh, int ow, int wp,
                       int cin, int cout, int ci, int nc, int g, int full, int c0, int c1) {
  vec z = wasm_f32x4_splat(0.0f);
  vec s00 = z, s01 = z, s10 = z, s11 = z, s20 = z, s21 = z, s30 = z, s31 = z;
  for (int i = 0; i < oh; i++)
    for (int j = 0; j < ow; j++) {
      const float *gp = dy + ((long)i * ow + j) * cout + g;
      const float *xp = x + ((long)i * wp + j) * cin + ci;
      vec g0 = load_n(gp, full, c0), g1 = load_n(gp + 4, full, c1);
      vec x0 = splat(xp);
      MAC(s00, x0, g0); MAC(s01, x0, g1);
      if (nc > 1) { vec x1 = splat(xp + 1); MAC(s10, x1, g0); MAC(s11, x1, g1); }
      if (nc > 2) { vec x2 = splat(xp + 2); MAC(s20, x2, g0); MAC(s21, x2, g1); }
      if (nc > 3) { vec x3 = splat(xp + 3); MAC(s30, x3, g0); MAC(s31, x3, g1); }
    }
  float *d = dw + (long)ci * cout + g;
  store_n(d, wasm_f32x4_add(load_n(d, full, c0), s00), full, c0);
  store_n(d + 4, wasm_f32x4_add(load_n(d + 4, full, c1), s01), full, c1);
  if (nc > 1) {
    d += cout;
    store_n(d, wasm_f32x4_add(load_n(d, full, c0), s10), full, c0);
    store_n(d + 4, wasm_f32x4_add(load_n(d + 4, full, c1), s11), full, c1);
  }
  if (nc > 2) {
    d += cout;
    store_n(d, wasm_f32x4_add(load_n(d, full, c0), s20), full, c0);
    store_n(d + 4, wasm_f32x4_add(load_n(d + 4, full, c1), s21), full, c1);
  }
  if (nc > 3) {
    d += cout;
    store_n(d, wasm_f32x4_add(load_n(d, full, c0), s30), full, c0);
    store_n(d + 4, wasm_f32x4_add(load_n(d + 4, full, c1), s31), full, c1);
  }
}

/*
 * Filter gradient of a valid stride-1 convolution:
 * dw[a, e, ci, o] = sum_b sum_{i, j} x[b, i + a, j + e, ci] * dy[b, i, j, o],
 * x [n, hp, wp, cin] (the padded input), dy [n, oh, ow, cout],
 * oh = hp - kh + 1, ow = wp - kw + 1. Image by image, each image's sum
 * (row-major over the pixels) added to dw in turn.
 */
EXPORT void conv_filter_grad(const float *x, const float *dy, float *dw, int n, int hp, int wp,
                             int cin, int cout, int kh, int kw) {
  int oh = hp - kh + 1, ow = wp - kw + 1;
  for (long k = 0; k < (long)kh * kw * cin * cout; k++) dw[k] = 0.0f;
  for (int b = 0; b < n; b++) {
    const float *xb = x + (long)b * hp * wp * cin;
    const float *gb = dy + (long)b * oh * ow * cout;
    for (int a = 0; a < kh; a++)
      for (int e = 0; e < kw; e++) {
        const float *xs = xb + ((long)a * wp + e) * cin;
        float *d = dw + (long)(a * kw + e) * cin * cout;
        for (int g = 0; g < cout; g += 8) {
          int c0 = clamp4(cout - g), c1 = clamp4(cout - g - 4);
          int full = c0 == 4 && c1 == 4;
          for (int ci = 0; ci < cin; ci += 4) {
            int nc = cin - ci < 4 ? cin - ci : 4;
            if (full && nc == 4) filter_tap(xs, gb, d, oh, ow, wp, cin, cout, ci, 4, g, 1, 4, 4);
            else if (full) filter_tap(xs, gb, d, oh, ow, wp, cin, cout, ci, nc, g, 1, 4, 4);
            else filter_tap(xs, gb, d, oh, ow, wp, cin, cout, ci, nc, g, 0, c0, c1);
          }
        }
      }
  }
}

/*
 * Arrange w [kh, kw, cin, cout] for conv_input_grad: wt[a, o, r] = w[a, e, ci, o]
 * with r = e * cin + ci < kw * cin, zero-filled up to the run rounded up to a
 * multiple of 32.
 */
EXPORT void transpose_rows(const float *w, float *wt, int kh, int kw, int cin, int cout) {
  int run = kw * cin, stride = (run + 31) / 32 * 32;
  for (int a = 0; a < kh; a++)
    for (int o = 0; o < cout; o++)
      for (int r = 0; r < stride; r++)
        wt[((long)a * cout + o) * stride + r] = r < run ? w[((long)a * run + r) * cout + o] : 0.0f;
}

/*
 * Input gradient of a valid stride-1 convolution, as a scatter:
 * dx[b, i + a, j + e, ci] += sum_o dy[b, i, j, o] * w[a, e, ci, o],
 * dx [n, oh + kh - 1, ow + kw - 1, cin] (the gradient of the padded input).
 * For a fixed (pixel, a) the targets are kw * cin contiguous floats, taken
 * 32 at a time: eight vectors of sums over o in order, with the weights
 * arranged by transpose_rows, then added to dx.
 */
EXPORT void conv_input_grad(const float *dy, const float *wt, float *dx, int n, int oh, int ow,
                            int kh, int kw, int cin, int cout) {
  int hp = oh + kh - 1, wp = ow + kw - 1, run = kw * cin, stride = (run + 31) / 32 * 32;
  long total = (long)n * hp * wp * cin;
  for (long k = 0; k < total; k++) dx[k] = 0.0f;
  for (int b = 0; b < n; b++)
    for (int i = 0; i < oh; i++)
      for (int j = 0; j < ow; j++) {
        const float *g = dy + ((long)(b * oh + i) * ow + j) * cout;
        for (int a = 0; a < kh; a++)
          for (int r0 = 0; r0 < run; r0 += 32) {
            vec z = wasm_f32x4_splat(0.0f);
            vec s0 = z, s1 = z, s2 = z, s3 = z, s4 = z, s5 = z, s6 = z, s7 = z;
            const float *wa = wt + (long)a * cout * stride + r0;
            for (int o = 0; o < cout; o++) {
              vec v = splat(g + o);
              const float *wo = wa + (long)o * stride;
              MAC(s0, v, wasm_v128_load(wo)); MAC(s1, v, wasm_v128_load(wo + 4));
              MAC(s2, v, wasm_v128_load(wo + 8)); MAC(s3, v, wasm_v128_load(wo + 12));
              MAC(s4, v, wasm_v128_load(wo + 16)); MAC(s5, v, wasm_v128_load(wo + 20));
              MAC(s6, v, wasm_v128_load(wo + 24)); MAC(s7, v, wasm_v128_load(wo + 28));
            }
            float *d = dx + ((long)(b * hp + i + a) * wp + j) * cin + r0;
            int left = run - r0;
#define ADD(k, s) { int m = clamp4(left - 4 * k); \
            if (m == 4) wasm_v128_store(d + 4 * k, wasm_f32x4_add(wasm_v128_load(d + 4 * k), s)); \
            else if (m > 0) store_partial(d + 4 * k, wasm_f32x4_add(load_partial(d + 4 * k, m), s), m); }
            ADD(0, s0) ADD(1, s1) ADD(2, s2) ADD(3, s3) ADD(4, s4) ADD(5, s5) ADD(6, s6) ADD(7, s7)
#undef ADD
          }
      }
}

#define LANE(v, l) wasm_i32x4_shuffle(v, v, l, l, l, l)

/*
 * Pack a [m, k] for gemm: rows in blocks of four, each block stored column by
 * column, ap[r / 4][q][r % 4] = a[r][q], rows past m zero. Four rows at a time
 * through 4 x 4 transposes.
 */
EXPORT void pack4(const float *a, float *ap, int m, int k) {
  for (int r = 0; r < m; r += 4) {
    int rows = m - r < 4 ? m - r : 4;
    float *out = ap + (long)r * k;
    const float *a0 = a + (long)r * k;
    int q = 0;
    if (rows == 4)
      for (; q + 4 <= k; q += 4) {
        vec l0 = wasm_v128_load(a0 + q), l1 = wasm_v128_load(a0 + k + q);
        vec l2 = wasm_v128_load(a0 + 2 * k + q), l3 = wasm_v128_load(a0 + 3 * k + q);
        vec t0 = wasm_i32x4_shuffle(l0, l1, 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(l0, l1, 2, 6, 3, 7);
        vec t2 = wasm_i32x4_shuffle(l2, l3, 0, 4, 1, 5), t3 = wasm_i32x4_shuffle(l2, l3, 2, 6, 3, 7);
        float *o = out + (long)q * 4;
        wasm_v128_store(o, wasm_i32x4_shuffle(t0, t2, 0, 1, 4, 5));
        wasm_v128_store(o + 4, wasm_i32x4_shuffle(t0, t2, 2, 3, 6, 7));
        wasm_v128_store(o + 8, wasm_i32x4_shuffle(t1, t3, 0, 1, 4, 5));
        wasm_v128_store(o + 12, wasm_i32x4_shuffle(t1, t3, 2, 3, 6, 7));
      }
    for (; q < k; q++)
      for (int l = 0; l < 4; l++) out[(long)q * 4 + l] = l < rows ? a0[(long)l * k + q] : 0.0f;
  }
}

/*
 * Four rows of gemm, columns [c, c + 8), the first `rows` of them stored:
 * out[r, c..] = act(bias + sum_q a[r, q] * b[q, c..]), q in order; the four
 * rows' values for one q come in one vector of the packed block.
 */
INLINE void gemm_block(const float *ap, const float *b, const float *bias, float *out, int rows,
                       int k, int n, int c, int relu, int full, int c0, int c1) {
  vec zero = wasm_f32x4_splat(0.0f);
  vec b0 = bias ? load_n(bias + c, full, c0) : zero;
  vec b1 = bias ? load_n(bias + c + 4, full, c1) : zero;
  vec s00 = b0, s01 = b1, s10 = b0, s11 = b1, s20 = b0, s21 = b1, s30 = b0, s31 = b1;
  const float *bq = b + c;
  for (int q = 0; q < k; q++, bq += n) {
    vec w0 = load_n(bq, full, c0), w1 = load_n(bq + 4, full, c1);
    vec av = wasm_v128_load(ap + 4 * q);
    vec x0 = LANE(av, 0); MAC(s00, x0, w0); MAC(s01, x0, w1);
    vec x1 = LANE(av, 1); MAC(s10, x1, w0); MAC(s11, x1, w1);
    vec x2 = LANE(av, 2); MAC(s20, x2, w0); MAC(s21, x2, w1);
    vec x3 = LANE(av, 3); MAC(s30, x3, w0); MAC(s31, x3, w1);
  }
  if (relu) {
    s00 = wasm_f32x4_max(s00, zero); s01 = wasm_f32x4_max(s01, zero);
    s10 = wasm_f32x4_max(s10, zero); s11 = wasm_f32x4_max(s11, zero);
    s20 = wasm_f32x4_max(s20, zero); s21 = wasm_f32x4_max(s21, zero);
    s30 = wasm_f32x4_max(s30, zero); s31 = wasm_f32x4_max(s31, zero);
  }
  float *o = out + c;
  store_n(o, s00, full, c0); store_n(o + 4, s01, full, c1);
  if (rows > 1) { o += n; store_n(o, s10, full, c0); store_n(o + 4, s11, full, c1); }
  if (rows > 2) { o += n; store_n(o, s20, full, c0); store_n(o + 4, s21, full, c1); }
  if (rows > 3) { o += n; store_n(o, s30, full, c0); store_n(o + 4, s31, full, c1); }
}

/*
 * Matrix product with bias and optional ReLU:
 * out[r, c] = act(bias[c] + sum_q a[r, q] * b[q, c]), a [m, k] given packed by
 * pack4, b [k, n], out [m, n], row-major; the products added in the order of
 * q. A null bias counts as zero.
 */
EXPORT void gemm(const float *ap, const float *b, const float *bias, float *out, int m, int k,
                 int n, int relu) {
  for (int r = 0; r < m; r += 4) {
    int rows = m - r < 4 ? m - r : 4;
    const float *block = ap + (long)r * k;
    float *orow = out + (long)r * n;
    for (int c = 0; c < n; c += 8) {
      int c0 = clamp4(n - c), c1 = clamp4(n - c - 4);
      if (c0 == 4 && c1 == 4) {
        if (rows == 4) gemm_block(block, b, bias, orow, 4, k, n, c, relu, 1, 4, 4);
        else gemm_block(block, b, bias, orow, rows, k, n, c, relu, 1, 4, 4);
      } else {
        gemm_block(block, b, bias, orow, rows, k, n, c, relu, 0, c0, c1);
      }
    }
  }
}

/*
 * Four rows of gemm_tn (or fewer: `rows`), columns [c, c + 8):
 * out[q, c..] = sum_r a[r, q] * g[r, c..], r in order.
 */
INLINE void gemm_tn_block(const float *a, const float *g, float *out, int rows, int m, int k,
                          int n, int q, int c, int full, int c0, int c1, int add) {
  vec z = wasm_f32x4_splat(0.0f);
  vec s00 = z, s01 = z, s10 = z, s11 = z, s20 = z, s21 = z, s30 = z, s31 = z;
  for (int r = 0; r < m; r++) {
    const float *gr = g + (long)r * n + c;
    vec av = rows == 4 ? wasm_v128_load(a + (long)r * k + q) : load_partial(a + (long)r * k + q, rows);
    vec g0 = load_n(gr, full, c0), g1 = load_n(gr + 4, full, c1);
    vec x0 = LANE(av, 0);
    MAC(s00, x0, g0); MAC(s01, x0, g1);
    if (rows > 1) { vec x1 = LANE(av, 1); MAC(s10, x1, g0); MAC(s11, x1, g1); }
    if (rows > 2) { vec x2 = LANE(av, 2); MAC(s20, x2, g0); MAC(s21, x2, g1); }
    if (rows > 3) { vec x3 = LANE(av, 3); MAC(s30, x3, g0); MAC(s31, x3, g1); }
  }
  float *o = out + (long)q * n + c;
#define PUT(p, v, f, cnt) store_n(p, add ? wasm_f32x4_add(load_n(p, f, cnt), v) : v, f, cnt)
  PUT(o, s00, full, c0); PUT(o + 4, s01, full, c1);
  if (rows > 1) { o += n; PUT(o, s10, full, c0); PUT(o + 4, s11, full, c1); }
  if (rows > 2) { o += n; PUT(o, s20, full, c0); PUT(o + 4, s21, full, c1); }
  if (rows > 3) { o += n; PUT(o, s30, full, c0); PUT(o + 4, s31, full, c1); }
#undef PUT
}

/* gemm_tn's body: out = (or +=, with `add`) a^T g. */
INLINE void gemm_tn_into(const float *a, const float *g, float *out, int m, int k, int n, int add) {
  for (int q = 0; q < k; q += 4) {
    int rows = k - q < 4 ? k - q : 4;
    for (int c = 0; c < n; c += 8) {
      int c0 = clamp4(n - c), c1 = clamp4(n - c - 4);
      if (c0 == 4 && c1 == 4) {
        if (rows == 4) gemm_tn_block(a, g, out, 4, m, k, n, q, c, 1, 4, 4, add);
        else gemm_tn_block(a, g, out, rows, m, k, n, q, c, 1, 4, 4, add);
      } else {
        gemm_tn_block(a, g, out, rows, m, k, n, q, c, 0, c0, c1, add);
      }
    }
  }
}

/*
 * Product with the first factor transposed, for weight gradients:
 * out[q, c] = sum_r a[r, q] * g[r, c], a [m, k], g [m, n], out [k, n]; the
 * products added in the order of r.
 */
EXPORT void gemm_tn(const float *a, const float *g, float *out, int m, int k, int n) {
  gemm_tn_into(a, g, out, m, k, n, 0);
}

/* out [cols, rows] = x [rows, cols] transposed. */
EXPORT void transpose(const float *x, float *out, int rows, int cols) {
  for (int r = 0; r < rows; r++)
    for (int c = 0; c < cols; c++) out[(long)c * rows + r] = x[(long)r * cols + c];
}

/* dh[k] = h[k] > 0 ? dh[k] : 0, the gradient through a ReLU whose output was h. */
EXPORT void relu_grad(float *dh, const float *h, long count) {
  vec zero = wasm_f32x4_splat(0.0f);
  long k = 0;
  for (; k + 4 <= count; k += 4) {
    vec keep = wasm_f32x4_gt(wasm_v128_load(h + k), zero);
    wasm_v128_store(dh + k, wasm_v128_and(wasm_v128_load(dh + k), keep));
  }
  for (; k < count; k++) dh[k] = h[k] > 0.0f ? dh[k] : 0.0f;
}

/*
 * out[o] = sum over rows of x[row, o] (x is rows x c), for bias gradients:
 * even and odd rows summed apart, then added.
 */
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

/* dst[k] = src[k] (when `first`) or dst[k] + src[k]: gradients of chunks summed in order. */
EXPORT void accumulate(float *dst, const float *src, long count, int first) {
  long k = 0;
  if (first) {
    for (; k < count; k++) dst[k] = src[k];
    return;
  }
  for (; k + 4 <= count; k += 4)
    wasm_v128_store(dst + k, wasm_f32x4_add(wasm_v128_load(dst + k), wasm_v128_load(src + k)));
  for (; k < count; k++) dst[k] += src[k];
}

/* One step of SGD: w[k] = w[k] - lr * g[k], in float32 (the product rounded first). */
EXPORT void sgd(float *w, const float *g, float lr, long count) {
  vec rate = wasm_f32x4_splat(lr);
  long k = 0;
  for (; k + 4 <= count; k += 4)
    wasm_v128_store(w + k, wasm_f32x4_sub(wasm_v128_load(w + k),
                                          wasm_f32x4_mul(rate, wasm_v128_load(g + k))));
  for (; k < count; k++) w[k] = w[k] - lr * g[k];
}
