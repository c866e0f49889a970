/**
 * A small scanline rasteriser for the sandbox product pictures. Shapes report, for a horizontal line
 * of the picture, the intervals they cover; each pixel row is sampled on several such lines
 * (vertical supersampling) and each line's coverage is exact horizontally, so edges are anti-aliased
 * at a cost proportional to the edges rather than to the pixels. Coordinates are picture units:
 * (0, 0) is the top-left corner, (1, 1) the bottom-right one.
 */

/** A region of the picture, described line by line. */
export interface Shape {
  /** Vertical extent: no line outside [top, bottom] meets the shape. */
  readonly top: number;
  readonly bottom: number;
  /**
   * Writes the intervals of line `v` inside the shape into `out` as sorted, disjoint (start, end)
   * pairs and returns how many pairs it wrote (at most `MAX_SPANS`).
   */
  spans(v: number, out: Float64Array): number;
}

export const MAX_SPANS = 96;

export class Ellipse implements Shape {
  readonly top: number;
  readonly bottom: number;
  private readonly a: number;
  private readonly b: number;
  private readonly c: number;

  /** Centre, radii and rotation (radians) of the ellipse. */
  constructor(
    private readonly cx: number,
    private readonly cy: number,
    rx: number,
    ry: number,
    rotation = 0,
  ) {
    const cos = Math.cos(rotation);
    const sin = Math.sin(rotation);
    const irx2 = 1 / Math.max(1e-9, rx * rx);
    const iry2 = 1 / Math.max(1e-9, ry * ry);
    // The implicit form a·dx² + b·dx·dy + c·dy² ≤ 1 of the rotated ellipse.
    this.a = cos * cos * irx2 + sin * sin * iry2;
    this.b = 2 * sin * cos * (irx2 - iry2);
    this.c = sin * sin * irx2 + cos * cos * iry2;
    const half = Math.sqrt(rx * rx * sin * sin + ry * ry * cos * cos);
    this.top = cy - half;
    this.bottom = cy + half;
  }

  spans(v: number, out: Float64Array): number {
    const dy = v - this.cy;
    const bq = this.b * dy;
    const disc = bq * bq - 4 * this.a * (this.c * dy * dy - 1);
    if (disc <= 0) return 0;
    const root = Math.sqrt(disc);
    const inv = 0.5 / this.a;
    out[0] = this.cx + (-bq - root) * inv;
    out[1] = this.cx + (-bq + root) * inv;
    return 1;
  }
}

/** Axis-aligned rectangle with rounded corners. */
export class RoundRect implements Shape {
  readonly top: number;
  readonly bottom: number;
  private readonly x0: number;
  private readonly x1: number;
  private readonly r: number;

  constructor(xa: number, ya: number, xb: number, yb: number, radius = 0) {
    this.x0 = Math.min(xa, xb);
    this.x1 = Math.max(xa, xb);
    this.top = Math.min(ya, yb);
    this.bottom = Math.max(ya, yb);
    this.r = Math.max(0, Math.min(radius, (this.x1 - this.x0) / 2, (this.bottom - this.top) / 2));
  }

  spans(v: number, out: Float64Array): number {
    if (v < this.top || v > this.bottom) return 0;
    const r = this.r;
    let inset = 0;
    const dy = v < this.top + r ? this.top + r - v : v > this.bottom - r ? v - (this.bottom - r) : 0;
    if (dy > 0) inset = r - Math.sqrt(Math.max(0, r * r - dy * dy));
    out[0] = this.x0 + inset;
    out[1] = this.x1 - inset;
    return 1;
  }
}

/** Polygon of one or more closed contours, filled by the even-odd rule (so inner contours are holes). */
export class Polygon implements Shape {
  readonly top: number;
  readonly bottom: number;
  /** Per edge: x at its upper end, upper y, lower y, dx/dy. */
  private readonly edges: Float64Array;
  private readonly count: number;
  private readonly xs: Float64Array;

  /** Each contour is a flat list x0, y0, x1, y1, ... */
  constructor(contours: readonly (readonly number[])[]) {
    const list: number[] = [];
    let top = Number.POSITIVE_INFINITY;
    let bottom = Number.NEGATIVE_INFINITY;
    for (const pts of contours) {
      const n = pts.length >> 1;
      for (let i = 0; i < n; i++) {
        const xa = pts[2 * i] ?? 0;
        const ya = pts[2 * i + 1] ?? 0;
        const j = (i + 1) % n;
        const xb = pts[2 * j] ?? 0;
        const yb = pts[2 * j + 1] ?? 0;
        top = Math.min(top, ya);
        bottom = Math.max(bottom, ya);
        if (ya === yb) continue;
        if (ya < yb) list.push(xa, ya, yb, (xb - xa) / (yb - ya));
        else list.push(xb, yb, ya, (xa - xb) / (ya - yb));
      }
    }
    this.edges = Float64Array.from(list);
    this.count = list.length / 4;
    this.xs = new Float64Array(this.count + 1);
    this.top = top;
    this.bottom = bottom;
  }

  spans(v: number, out: Float64Array): number {
    const e = this.edges;
    const xs = this.xs;
    let n = 0;
    for (let i = 0, k = 0; i < this.count; i++, k += 4) {
      const y0 = e[k + 1] as number;
      if (v < y0 || v >= (e[k + 2] as number)) continue;
      const x = (e[k] as number) + (v - y0) * (e[k + 3] as number);
      // Insertion sort: a line crosses only a handful of edges.
      let j = n++;
      while (j > 0 && (xs[j - 1] as number) > x) {
        xs[j] = xs[j - 1] as number;
        j--;
      }
      xs[j] = x;
    }
    const pairs = Math.min(n >> 1, MAX_SPANS);
    for (let i = 0; i < 2 * pairs; i++) out[i] = xs[i] as number;
    return pairs;
  }
}

/** Parallel bands across a rectangle: where frac((u·cos θ + v·sin θ) / period + phase) < duty. */
export class Stripes implements Shape {
  readonly top: number;
  readonly bottom: number;
  private readonly nx: number;
  private readonly ny: number;

  constructor(
    private readonly x0: number,
    y0: number,
    private readonly x1: number,
    y1: number,
    angle: number,
    private readonly period: number,
    private readonly duty: number,
    private readonly phase = 0,
  ) {
    this.top = y0;
    this.bottom = y1;
    this.nx = Math.cos(angle);
    this.ny = Math.sin(angle);
  }

  spans(v: number, out: Float64Array): number {
    if (v < this.top || v > this.bottom) return 0;
    const base = (v * this.ny) / this.period + this.phase;
    if (Math.abs(this.nx) < 1e-6) {
      if (base - Math.floor(base) >= this.duty) return 0;
      out[0] = this.x0;
      out[1] = this.x1;
      return 1;
    }
    const k = this.nx / this.period;
    const pa = base + k * this.x0;
    const pb = base + k * this.x1;
    const lo = Math.floor(Math.min(pa, pb));
    const hi = Math.ceil(Math.max(pa, pb));
    let n = 0;
    for (let m = lo; m < hi && n < MAX_SPANS; m++) {
      let ua = (m - base) / k;
      let ub = (m + this.duty - base) / k;
      if (ua > ub) [ua, ub] = [ub, ua];
      if (ua < this.x0) ua = this.x0;
      if (ub > this.x1) ub = this.x1;
      if (ub <= ua) continue;
      out[2 * n] = ua;
      out[2 * n + 1] = ub;
      n++;
    }
    if (k < 0) reversePairs(out, n);
    return n;
  }
}

function reversePairs(out: Float64Array, n: number): void {
  for (let i = 0, j = n - 1; i < j; i++, j--) {
    const a = out[2 * i] as number;
    const b = out[2 * i + 1] as number;
    out[2 * i] = out[2 * j] as number;
    out[2 * i + 1] = out[2 * j + 1] as number;
    out[2 * j] = a;
    out[2 * j + 1] = b;
  }
}

/**
 * Scratch span buffers for shapes made of other shapes, as a stack: a combined shape takes two
 * buffers at the current depth for the duration of its `spans` call (they may nest).
 */
const scratch: Float64Array[] = [];
let depth = 0;

function take(): Float64Array {
  if (scratch.length <= depth) scratch.push(new Float64Array(2 * MAX_SPANS));
  return scratch[depth++] as Float64Array;
}

/** Runs `combine` with two scratch span buffers of this nesting level, then gives them back. */
function withScratch(combine: (a: Float64Array, b: Float64Array) => number): number {
  const a = take();
  const b = take();
  const n = combine(a, b);
  depth -= 2;
  return n;
}

/** The part of `shape` inside `clip` (for patterns on a garment, seams on a ball). */
export class Clip implements Shape {
  readonly top: number;
  readonly bottom: number;

  constructor(
    private readonly shape: Shape,
    private readonly clip: Shape,
  ) {
    this.top = Math.max(shape.top, clip.top);
    this.bottom = Math.min(shape.bottom, clip.bottom);
  }

  spans(v: number, out: Float64Array): number {
    return withScratch((a, b) => this.intersect(v, a, b, out));
  }

  private intersect(v: number, a: Float64Array, b: Float64Array, out: Float64Array): number {
    const na = this.shape.spans(v, a);
    if (na === 0) return 0;
    const nb = this.clip.spans(v, b);
    let i = 0;
    let j = 0;
    let n = 0;
    while (i < na && j < nb && n < MAX_SPANS) {
      const lo = Math.max(a[2 * i] as number, b[2 * j] as number);
      const aEnd = a[2 * i + 1] as number;
      const bEnd = b[2 * j + 1] as number;
      const hi = Math.min(aEnd, bEnd);
      if (hi > lo) {
        out[2 * n] = lo;
        out[2 * n + 1] = hi;
        n++;
      }
      if (aEnd < bEnd) i++;
      else j++;
    }
    return n;
  }
}

/** The part of `shape` outside `hole` (a ring is an ellipse minus a smaller one). */
export class Cut implements Shape {
  readonly top: number;
  readonly bottom: number;

  constructor(
    private readonly shape: Shape,
    private readonly hole: Shape,
  ) {
    this.top = shape.top;
    this.bottom = shape.bottom;
  }

  spans(v: number, out: Float64Array): number {
    return withScratch((a, b) => this.subtract(v, a, b, out));
  }

  private subtract(v: number, a: Float64Array, b: Float64Array, out: Float64Array): number {
    const na = this.shape.spans(v, a);
    if (na === 0) return 0;
    const nb = v < this.hole.top || v > this.hole.bottom ? 0 : this.hole.spans(v, b);
    let n = 0;
    for (let i = 0; i < na; i++) {
      let lo = a[2 * i] as number;
      const hi = a[2 * i + 1] as number;
      for (let j = 0; j < nb && lo < hi; j++) {
        const ha = b[2 * j] as number;
        const hb = b[2 * j + 1] as number;
        if (hb <= lo || ha >= hi) continue;
        if (ha > lo && n < MAX_SPANS) {
          out[2 * n] = lo;
          out[2 * n + 1] = ha;
          n++;
        }
        lo = hb;
      }
      if (hi > lo && n < MAX_SPANS) {
        out[2 * n] = lo;
        out[2 * n + 1] = hi;
        n++;
      }
    }
    return n;
  }
}

/** Elliptic dots on a staggered grid over a rectangle (polka dots). */
export class Dots implements Shape {
  constructor(
    private readonly x0: number,
    readonly top: number,
    private readonly x1: number,
    readonly bottom: number,
    private readonly stepX: number,
    private readonly stepY: number,
    private readonly rx: number,
    private readonly ry: number,
  ) {}

  spans(v: number, out: Float64Array): number {
    if (v < this.top || v > this.bottom) return 0;
    const row = Math.round((v - this.top) / this.stepY - 0.5);
    const dv = (v - (this.top + (row + 0.5) * this.stepY)) / this.ry;
    if (dv * dv >= 1) return 0;
    const half = this.rx * Math.sqrt(1 - dv * dv);
    const shift = row % 2 === 0 ? 0.5 : 1;
    let n = 0;
    for (let x = this.x0 + shift * this.stepX; x - half < this.x1 && n < MAX_SPANS; x += this.stepX) {
      out[2 * n] = x - half;
      out[2 * n + 1] = x + half;
      n++;
    }
    return n;
  }
}

export type Rgb = readonly [number, number, number];

/**
 * How a shape is filled: a blend from `from` to `to` driven by
 * t = t0 + tu·u + tv·v + tr·((u − cx)² + (v − cy)²), clamped to [0, 1], so one form gives flat
 * fills, linear gradients and round shading. `fade` softens the alpha towards the rim of an
 * ellipse (shadows, glows).
 */
export interface Paint {
  from: Rgb;
  to: Rgb;
  t0: number;
  tu: number;
  tv: number;
  tr: number;
  cx: number;
  cy: number;
  alpha: number;
  fade: { cx: number; cy: number; rx: number; ry: number } | null;
}

export function flat(rgb: Rgb, alpha = 1): Paint {
  return { from: rgb, to: rgb, t0: 0, tu: 0, tv: 0, tr: 0, cx: 0, cy: 0, alpha, fade: null };
}

/** A linear gradient from `from` at `start` to `to` at `end` (points in picture units). */
export function linear(from: Rgb, to: Rgb, start: [number, number], end: [number, number], alpha = 1): Paint {
  const dx = end[0] - start[0];
  const dy = end[1] - start[1];
  const len2 = Math.max(1e-9, dx * dx + dy * dy);
  const tu = dx / len2;
  const tv = dy / len2;
  return { from, to, t0: -(start[0] * tu + start[1] * tv), tu, tv, tr: 0, cx: 0, cy: 0, alpha, fade: null };
}

export interface Layer {
  shape: Shape;
  paint: Paint;
}

export interface Viewport {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Scene {
  background: Paint;
  layers: Layer[];
}

/** Weights of the grey level (ITU-R BT.601 luma), as the descriptor sees pictures. */
export const LUMA: Rgb = [0.299, 0.587, 0.114];

/**
 * Draws `scene` into a packed RGB float buffer (0..255) of `width`×`height` pixels covering
 * `viewport`, sampling `sub` lines per pixel row.
 */
export function rasterize(scene: Scene, width: number, height: number, viewport: Viewport, sub: number): Float32Array {
  const out = new Float32Array(width * height * 3);
  const sx = viewport.width / width;
  const sy = viewport.height / height;
  const vx = viewport.x;
  const vy = viewport.y;

  const bg = unpack(scene.background);
  for (let y = 0; y < height; y++) {
    const v = vy + (y + 0.5) * sy;
    const tRow = bg.t0 + bg.tv * v;
    const dv = v - bg.cy;
    let o = y * width * 3;
    for (let x = 0; x < width; x++, o += 3) {
      const u = vx + (x + 0.5) * sx;
      let t = tRow + bg.tu * u;
      if (bg.tr !== 0) {
        const du = u - bg.cx;
        t += bg.tr * (du * du + dv * dv);
      }
      t = t < 0 ? 0 : t > 1 ? 1 : t;
      out[o] = bg.r + bg.dr * t;
      out[o + 1] = bg.g + bg.dg * t;
      out[o + 2] = bg.b + bg.db * t;
    }
  }

  const cover = new Float32Array(width + 1);
  const spans = new Float64Array(2 * MAX_SPANS);
  const invSub = 1 / sub;
  for (const { shape, paint } of scene.layers) {
    const rowStart = Math.max(0, Math.floor((shape.top - vy) / sy));
    const rowEnd = Math.min(height - 1, Math.floor((shape.bottom - vy) / sy));
    if (rowEnd < rowStart) continue;
    const p = unpack(paint);
    const fade = paint.fade;
    const fIrx2 = fade ? 1 / (fade.rx * fade.rx) : 0;
    const fIry2 = fade ? 1 / (fade.ry * fade.ry) : 0;
    for (let y = rowStart; y <= rowEnd; y++) {
      let minX = width;
      let maxX = -1;
      for (let k = 0; k < sub; k++) {
        const v = vy + (y + (k + 0.5) * invSub) * sy;
        if (v < shape.top || v > shape.bottom) continue;
        const n = shape.spans(v, spans);
        for (let i = 0; i < n; i++) {
          let xa = ((spans[2 * i] as number) - vx) / sx;
          let xb = ((spans[2 * i + 1] as number) - vx) / sx;
          if (xa < 0) xa = 0;
          if (xb > width) xb = width;
          if (xb <= xa) continue;
          const ia = Math.floor(xa);
          const ib = Math.min(width - 1, Math.floor(xb));
          if (ia < minX) minX = ia;
          if (ib > maxX) maxX = ib;
          if (ia === ib) {
            cover[ia] = (cover[ia] as number) + (xb - xa) * invSub;
            continue;
          }
          cover[ia] = (cover[ia] as number) + (ia + 1 - xa) * invSub;
          for (let x = ia + 1; x < ib; x++) cover[x] = (cover[x] as number) + invSub;
          if (xb > ib) cover[ib] = (cover[ib] as number) + (xb - ib) * invSub;
        }
      }
      if (maxX < 0) continue;
      const v = vy + (y + 0.5) * sy;
      const tRow = p.t0 + p.tv * v;
      const dvc = v - p.cy;
      const dvf = fade ? v - fade.cy : 0;
      let o = (y * width + minX) * 3;
      for (let x = minX; x <= maxX; x++, o += 3) {
        const c = cover[x] as number;
        if (c <= 0) continue;
        cover[x] = 0;
        const u = vx + (x + 0.5) * sx;
        let a = (c > 1 ? 1 : c) * p.alpha;
        if (fade) {
          const du = u - fade.cx;
          const f = 1 - (du * du * fIrx2 + dvf * dvf * fIry2);
          if (f <= 0) continue;
          a *= f;
        }
        let t = tRow + p.tu * u;
        if (p.tr !== 0) {
          const du = u - p.cx;
          t += p.tr * (du * du + dvc * dvc);
        }
        t = t < 0 ? 0 : t > 1 ? 1 : t;
        const r = out[o] as number;
        const g = out[o + 1] as number;
        const b = out[o + 2] as number;
        out[o] = r + (p.r + p.dr * t - r) * a;
        out[o + 1] = g + (p.g + p.dg * t - g) * a;
        out[o + 2] = b + (p.b + p.db * t - b) * a;
      }
    }
  }
  return out;
}

interface Flat {
  r: number;
  g: number;
  b: number;
  dr: number;
  dg: number;
  db: number;
  t0: number;
  tu: number;
  tv: number;
  tr: number;
  cx: number;
  cy: number;
  alpha: number;
}

/** A paint's numbers unpacked for the inner loops. */
function unpack(p: Paint): Flat {
  return {
    r: p.from[0],
    g: p.from[1],
    b: p.from[2],
    dr: p.to[0] - p.from[0],
    dg: p.to[1] - p.from[1],
    db: p.to[2] - p.from[2],
    t0: p.t0,
    tu: p.tu,
    tv: p.tv,
    tr: p.tr,
    cx: p.cx,
    cy: p.cy,
    alpha: p.alpha,
  };
}
