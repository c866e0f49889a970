import { Rng } from '../catalog/random.js';
import {
  Clip,
  Cut,
  Dots,
  Ellipse,
  flat,
  type Layer,
  linear,
  type Paint,
  Polygon,
  type Rgb,
  RoundRect,
  rasterize,
  type Scene,
  type Shape,
  Stripes,
  type Viewport,
} from './raster.js';

export type { Viewport } from './raster.js';

/**
 * The deterministic pictures of the sandbox goods. A picture is a function of its spec alone: the
 * design (background, decoration, proportions of the product) comes from `imageSeed`, the
 * silhouette from the top category, the fill from the SKU colour, the framing from the view.
 */
export interface ImageSpec {
  imageSeed: number;
  /** Key of the good's top category, which picks the silhouette. */
  topCategory: string;
  productType: string;
  /** The SKU colour of the product. */
  rgb: [number, number, number];
  /** 0 is the main picture; 1..3 are other angles and a detail of the same product. */
  view: number;
}

export const FULL_VIEW: Viewport = { x: 0, y: 0, width: 1, height: 1 };

/** Lines sampled per pixel row; with exact horizontal coverage that is enough for smooth edges. */
const SUBSAMPLES = 4;

const MAX_SIDE = 4096;

/**
 * Renders the picture, or the part of it inside `viewport` (picture units, [0, 1]), as packed RGB
 * bytes, `width`×`height` pixels.
 */
export function renderRaw(spec: ImageSpec, width: number, height: number, viewport: Viewport = FULL_VIEW): Uint8Array {
  const valid = (n: number) => Number.isInteger(n) && n > 0 && n <= MAX_SIDE;
  if (!valid(width) || !valid(height)) throw new Error(`invalid picture size ${width}×${height}`);
  if (!(viewport.width > 0 && viewport.height > 0)) throw new Error('the viewport must have a positive size');
  const rgb = rasterize(buildScene(spec), width, height, viewport, SUBSAMPLES);
  const bytes = new Uint8ClampedArray(rgb.length);
  bytes.set(rgb);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

// ---------------------------------------------------------------------------------------------
// Colours

const WHITE: Rgb = [255, 255, 255];
const BLACK: Rgb = [0, 0, 0];

function hsl(h: number, s: number, l: number): Rgb {
  const hue = (((h % 360) + 360) % 360) / 60;
  const c = (1 - Math.abs(2 * l - 1)) * s;
  const x = c * (1 - Math.abs((hue % 2) - 1));
  const m = l - c / 2;
  const [r, g, b] =
    hue < 1
      ? [c, x, 0]
      : hue < 2
        ? [x, c, 0]
        : hue < 3
          ? [0, c, x]
          : hue < 4
            ? [0, x, c]
            : hue < 5
              ? [x, 0, c]
              : [c, 0, x];
  return [(r + m) * 255, (g + m) * 255, (b + m) * 255];
}

function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

function luma(c: Rgb): number {
  return (0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]) / 255;
}

/** A colour that stands out on `c`: darker on light colours, lighter on dark ones. */
function contrast(c: Rgb, amount: number): Rgb {
  return luma(c) > 0.55 ? mix(c, BLACK, amount) : mix(c, WHITE, amount);
}

// ---------------------------------------------------------------------------------------------
// Scene building

/**
 * Maps the product's own coordinates (x and y in [-0.5, 0.5], y down) to the picture: scaled to
 * the product's box, optionally mirrored, tilted about the box centre, then through the view's
 * camera (a zoom about a point).
 */
class Frame {
  private readonly cos: number;
  private readonly sin: number;
  private readonly z: number;

  constructor(
    readonly cx: number,
    readonly cy: number,
    readonly w: number,
    readonly h: number,
    readonly mirror: boolean,
    readonly tilt: number,
    private readonly camera: Camera,
  ) {
    this.cos = Math.cos(tilt);
    this.sin = Math.sin(tilt);
    this.z = camera.zoom;
  }

  /** The picture point of product point (x, y). */
  pt(x: number, y: number): [number, number] {
    const px = (this.mirror ? -x : x) * this.w;
    const py = y * this.h;
    return [
      this.camera.u(this.cx + px * this.cos - py * this.sin),
      this.camera.v(this.cy + px * this.sin + py * this.cos),
    ];
  }

  /** Picture coordinates of the untilted box, for what stands under the product (podium, shadow). */
  u(x: number): number {
    return this.camera.u(this.cx + (this.mirror ? -x : x) * this.w);
  }

  v(y: number): number {
    return this.camera.v(this.cy + y * this.h);
  }

  poly(...contours: number[][]): Shape {
    return new Polygon(contours.map((pts) => this.map(pts)));
  }

  private map(pts: readonly number[]): number[] {
    const out: number[] = [];
    for (let i = 0; i + 1 < pts.length; i += 2) out.push(...this.pt(pts[i] ?? 0, pts[i + 1] ?? 0));
    return out;
  }

  ellipse(x: number, y: number, rx: number, ry: number, rotation = 0): Shape {
    const [u, v] = this.pt(x, y);
    return new Ellipse(
      u,
      v,
      rx * this.w * this.z,
      ry * this.h * this.z,
      (this.mirror ? -rotation : rotation) + this.tilt,
    );
  }

  /** A rectangle with corners rounded by `radius` (units of the box's smaller side). */
  rect(x0: number, y0: number, x1: number, y1: number, radius = 0): Shape {
    const r = radius * Math.min(this.w, this.h);
    if (this.tilt === 0) {
      const [ua, va] = this.pt(x0, y0);
      const [ub, vb] = this.pt(x1, y1);
      return new RoundRect(ua, va, ub, vb, r * this.z);
    }
    // Tilted: an outline with a few points per corner.
    const rx = Math.min(r / this.w, Math.abs(x1 - x0) / 2);
    const ry = Math.min(r / this.h, Math.abs(y1 - y0) / 2);
    const [xa, xb] = [Math.min(x0, x1), Math.max(x0, x1)];
    const [ya, yb] = [Math.min(y0, y1), Math.max(y0, y1)];
    const pts: number[] = [];
    const corners: [number, number, number][] = [
      [xb - rx, ya + ry, -Math.PI / 2],
      [xb - rx, yb - ry, 0],
      [xa + rx, yb - ry, Math.PI / 2],
      [xa + rx, ya + ry, Math.PI],
    ];
    for (const [cx, cy, start] of corners) {
      for (let k = 0; k <= 3; k++) {
        const a = start + (k / 3) * (Math.PI / 2);
        pts.push(cx + Math.cos(a) * rx, cy + Math.sin(a) * ry);
      }
    }
    return this.poly(pts);
  }

  ring(x: number, y: number, rx: number, ry: number, thickness: number): Shape {
    return new Cut(this.ellipse(x, y, rx, ry), this.ellipse(x, y, rx - thickness, ry - thickness * (this.w / this.h)));
  }

  /** The picture-aligned bounds of the product's box, a little enlarged, for patterns. */
  private bounds(): [number, number, number, number] {
    const corners = [this.pt(-0.6, -0.6), this.pt(0.6, -0.6), this.pt(0.6, 0.6), this.pt(-0.6, 0.6)];
    const us = corners.map((c) => c[0]);
    const vs = corners.map((c) => c[1]);
    return [Math.min(...us), Math.min(...vs), Math.max(...us), Math.max(...vs)];
  }

  /** Parallel bands over the product's box, to be clipped to a part of it. */
  stripes(angle: number, period: number, duty: number, phase = 0): Shape {
    const a = (this.mirror ? Math.PI - angle : angle) + this.tilt;
    const [u0, v0, u1, v1] = this.bounds();
    return new Stripes(u0, v0, u1, v1, a, period * this.h * this.z, duty, phase);
  }

  /** Polka dots of radius `r` every `step` over the product's box (units of the box height). */
  dots(step: number, r: number): Shape {
    const [u0, v0, u1, v1] = this.bounds();
    const s = step * this.h * this.z;
    return new Dots(u0, v0, u1, v1, s, s, r * this.h * this.z, r * this.h * this.z);
  }

  /** Round shading lit from the top-left (top-right when mirrored): light `from`, dark `to`. */
  shade(base: Rgb, strength = 1, x = 0, y = 0, size = 1): Paint {
    const light = mix(base, WHITE, 0.3 * strength);
    const dark = mix(base, BLACK, 0.42 * strength);
    const s = size * Math.max(this.w, this.h) * this.z;
    const [lu, lv] = this.pt(x - 0.3 * size * (this.h / this.w), y - 0.32 * size);
    return { from: light, to: dark, t0: 0.15, tu: 0, tv: 0, tr: 1.1 / (s * s), cx: lu, cy: lv, alpha: 1, fade: null };
  }
}

class Camera {
  constructor(
    /** The point of the scene shown at the centre of the picture, and the magnification. */
    readonly px = 0.5,
    readonly py = 0.5,
    readonly zoom = 1,
  ) {}

  u(x: number): number {
    return 0.5 + (x - this.px) * this.zoom;
  }

  v(y: number): number {
    return 0.5 + (y - this.py) * this.zoom;
  }
}

type Silhouette = 'dress' | 'shirt' | 'shoe' | 'bag' | 'pot' | 'phone' | 'toy' | 'ball';

const SILHOUETTES: Record<string, Silhouette> = {
  'womens-clothing': 'dress',
  'mens-clothing': 'shirt',
  shoes: 'shoe',
  'bags-luggage': 'bag',
  'home-kitchen': 'pot',
  'electronics-accessories': 'phone',
  'toys-baby': 'toy',
  'sports-outdoor': 'ball',
};
const SILHOUETTE_LIST: Silhouette[] = ['dress', 'shirt', 'shoe', 'bag', 'pot', 'phone', 'toy', 'ball'];

/** Width over height of each silhouette's box. */
const ASPECT: Record<Silhouette, number> = {
  dress: 0.72,
  shirt: 0.95,
  shoe: 1.55,
  bag: 1.0,
  pot: 1.15,
  phone: 0.52,
  toy: 0.85,
  ball: 1.0,
};

function silhouetteOf(topCategory: string): Silhouette {
  const known = SILHOUETTES[topCategory];
  if (known) return known;
  return new Rng('silhouette', topCategory).pick(SILHOUETTE_LIST);
}

interface Product {
  kind: Silhouette;
  productType: string;
  shapeSeed: number;
  rgb: Rgb;
  accent: Rgb;
}

/** The random streams a product is drawn with. */
interface Draw {
  /** Per product type: proportions and details shared by all goods of the type. */
  type: Rng;
  /** Per good. */
  design: Rng;
  rgb: Rgb;
  accent: Rgb;
}

export function buildScene(spec: ImageSpec): Scene {
  const view = Math.max(0, Math.min(3, Math.trunc(spec.view)));
  const design = new Rng('ponte-image', spec.imageSeed, 'design');
  const kind = silhouetteOf(spec.topCategory);
  const layers: Layer[] = [];

  // Backdrop: a soft two-tone gradient, sometimes a table top, then a few decorations.
  const hue = design.float() * 360;
  const bgLight = 0.62 + 0.33 * design.float();
  const bgSat = 0.04 + 0.4 * design.float();
  const near = hsl(hue, bgSat, bgLight);
  const far = hsl(hue + design.int(-50, 50), bgSat * (0.5 + design.float()), bgLight - 0.08 - 0.3 * design.float());
  const angle = design.float() * Math.PI * 2 + (view === 1 ? Math.PI * 0.5 : 0);
  const reach = 0.5 + 0.3 * design.float();
  const background = linear(
    near,
    far,
    [0.5 - Math.cos(angle) * reach, 0.5 - Math.sin(angle) * reach],
    [0.5 + Math.cos(angle) * reach, 0.5 + Math.sin(angle) * reach],
  );

  const productX = 0.5 + (design.float() - 0.5) * 0.2;
  const productY = 0.54 + (design.float() - 0.5) * 0.1;
  const productSize = 0.5 + 0.26 * design.float();
  const tiltAmount = (design.float() - 0.5) * 0.5;
  const tilt = design.chance(0.55) ? tiltAmount : 0;
  const detailX = productX + (design.float() - 0.5) * 0.1;
  const camera = view === 2 ? new Camera(detailX, productY - productSize * 0.18, 2.1) : new Camera();
  const mirrorAll = view === 1;
  const flipU = (u: number) => camera.u(mirrorAll ? 1 - u : u);
  const mapV = (v: number) => camera.v(v);
  const z = camera.zoom;

  if (design.chance(0.5)) {
    const horizon = 0.6 + 0.25 * design.float();
    const table = hsl(hue + design.int(-90, 90), design.float() * 0.35, 0.35 + 0.5 * design.float());
    layers.push({
      shape: new RoundRect(camera.u(-1), mapV(horizon), camera.u(2), mapV(2)),
      paint: linear(table, mix(table, BLACK, 0.25), [0.5, mapV(horizon)], [0.5, mapV(1.1)]),
    });
  }

  const decorations = design.int(2, 5);
  for (let i = 0; i < decorations; i++) {
    const dHue = design.chance(0.5) ? hue + design.int(-30, 30) : design.float() * 360;
    const colour = hsl(dHue, 0.1 + 0.5 * design.float(), 0.3 + 0.6 * design.float());
    const alpha = 0.3 + 0.55 * design.float();
    const x = design.float();
    const y = design.float();
    const size = 0.08 + 0.35 * design.float();
    const pick = design.int(0, 5);
    let shape: Shape;
    if (pick === 0) {
      shape = new Ellipse(flipU(x), mapV(y), size * z, size * z * (0.7 + 0.6 * design.float()));
    } else if (pick === 1) {
      const w = size * (0.6 + design.float());
      shape = new RoundRect(flipU(x - w), mapV(y - size), flipU(x + w), mapV(y + size), size * 0.3 * z);
    } else if (pick === 2) {
      const w = 0.15 + 0.4 * design.float();
      const h = 0.15 + 0.4 * design.float();
      const stripeAngle = design.pick([0, 0.5, 0.25, 0.75, design.float()]) * Math.PI;
      shape = new Stripes(
        Math.min(flipU(x - w), flipU(x + w)),
        mapV(y - h),
        Math.max(flipU(x - w), flipU(x + w)),
        mapV(y + h),
        mirrorAll ? Math.PI - stripeAngle : stripeAngle,
        (0.03 + 0.06 * design.float()) * z,
        0.3 + 0.4 * design.float(),
      );
    } else if (pick === 3) {
      const t = size * (0.1 + 0.2 * design.float());
      shape = new Cut(
        new Ellipse(flipU(x), mapV(y), size * z, size * z),
        new Ellipse(flipU(x), mapV(y), (size - t) * z, (size - t) * z),
      );
    } else if (pick === 4) {
      const pts: number[] = [];
      const corners = design.int(3, 5);
      const turn = design.float() * Math.PI * 2;
      for (let k = 0; k < corners; k++) {
        const a = turn + (k / corners) * Math.PI * 2;
        pts.push(flipU(x + Math.cos(a) * size), mapV(y + Math.sin(a) * size));
      }
      shape = new Polygon([pts]);
    } else {
      // A scatter of dots, one layer each.
      const dots = design.int(3, 7);
      for (let k = 0; k < dots; k++) {
        const r = size * (0.08 + 0.15 * design.float());
        const dx = (design.float() - 0.5) * size * 2;
        const dy = (design.float() - 0.5) * size * 2;
        layers.push({ shape: new Ellipse(flipU(x + dx), mapV(y + dy), r * z, r * z), paint: flat(colour, alpha) });
      }
      continue;
    }
    layers.push({ shape, paint: flat(colour, alpha) });
  }

  // A prop beside the product (a plant, gift boxes, a vase, a ball of wool), as stylists do.
  const propKind = design.int(0, 5);
  const propSide = productX < 0.5 ? 1 : -1;
  const propX = 0.5 + propSide * (0.3 + 0.08 * design.float());
  const propSize = 0.2 + 0.18 * design.float();
  const propColour = hsl(design.float() * 360, 0.2 + 0.5 * design.float(), 0.3 + 0.5 * design.float());
  const propSeed = design.int(0, 0x3fffffff);
  if (propKind < 4) {
    const f = new Frame(
      mirrorAll ? 1 - propX : propX,
      productY + 0.3 - propSize / 2,
      propSize,
      propSize,
      mirrorAll,
      0,
      camera,
    );
    drawProp(layers, f, propKind, propColour, new Rng('ponte-image-prop', propSeed));
  }

  // A podium under the product, as in studio shots.
  const podium = design.chance(0.3);
  const podiumColour = hsl(hue + design.int(-60, 60), 0.1 + 0.3 * design.float(), 0.45 + 0.45 * design.float());

  // A shop's sticker in a corner, with bars where its text would be.
  const sticker = design.chance(0.35);
  const stickerColour = hsl(
    design.pick([0, 8, 20, 35, 50, 350]),
    0.75 + 0.2 * design.float(),
    0.45 + 0.1 * design.float(),
  );
  const stickerRight = design.chance(0.5);
  const stickerRound = design.chance(0.5);
  const textBars = design.chance(0.3);
  const textX = design.float() < 0.5 ? 0.06 : 0.6;
  const textY = 0.06 + 0.1 * design.float();
  const textColour = design.chance(0.5) ? hsl(hue, 0.3, 0.2) : hsl(design.float() * 360, 0.7, 0.45);

  const shapeSeed = design.int(0, 0x3fffffff);
  const rgb: Rgb = [spec.rgb[0], spec.rgb[1], spec.rgb[2]];
  const accentHue = design.float() * 360;
  const accent = design.chance(0.5) ? contrast(rgb, 0.45) : hsl(accentHue, 0.6, luma(rgb) > 0.5 ? 0.35 : 0.7);
  const product: Product = { kind, productType: spec.productType, shapeSeed, rgb, accent };

  const aspect = ASPECT[kind] * (0.9 + 0.2 * design.float());
  let h = productSize;
  let w = productSize * aspect;
  if (w > 0.82) {
    h *= 0.82 / w;
    w = 0.82;
  }
  const frames: Frame[] = [];
  if (view === 3) {
    // A pair shot: the product and a second one turned away, side by side.
    frames.push(new Frame(0.32, productY + 0.04, w * 0.58, h * 0.58, false, tilt, camera));
    frames.push(new Frame(0.7, productY - 0.02, w * 0.62, h * 0.62, true, -tilt, camera));
  } else {
    const turned = view === 1;
    const x = turned ? 1 - productX : productX;
    frames.push(new Frame(x, productY, turned ? w * 0.86 : w, h, turned, turned ? -tilt : tilt, camera));
  }

  for (const f of frames) {
    if (podium) {
      const top = 0.5 + 0.02 * ASPECT[kind];
      layers.push({
        shape: new RoundRect(f.u(-0.62), f.v(top), f.u(0.62), f.v(0.9), 0.02),
        paint: linear(podiumColour, mix(podiumColour, BLACK, 0.3), [f.u(-0.6), 0], [f.u(0.6), 0]),
      });
      layers.push({ shape: f.ellipse(0, top, 0.62, 0.06), paint: flat(mix(podiumColour, WHITE, 0.25)) });
    }
    const bottom = kind === 'ball' ? 0.5 : 0.48;
    layers.push({
      shape: f.ellipse(0, bottom, 0.52, 0.05),
      paint: {
        ...flat([20, 20, 25], 0.45),
        fade: { cx: f.u(0), cy: f.v(bottom), rx: 0.52 * f.w * z, ry: 0.05 * f.h * z },
      },
    });
    drawProduct(layers, f, product);
  }

  if (sticker && view !== 2) {
    const sx = stickerRight ? 0.8 : 0.03;
    const shape = stickerRound
      ? new Ellipse(sx + 0.085, 0.115, 0.085, 0.085)
      : new RoundRect(sx, 0.03, sx + 0.17, 0.16, 0.02);
    layers.push({ shape, paint: flat(stickerColour) });
    layers.push({ shape: new RoundRect(sx + 0.04, 0.085, sx + 0.13, 0.1, 0.007), paint: flat(WHITE) });
    layers.push({ shape: new RoundRect(sx + 0.055, 0.115, sx + 0.115, 0.128, 0.006), paint: flat(WHITE, 0.85) });
  }
  if (textBars && view === 0) {
    for (let i = 0; i < 3; i++) {
      const len = 0.14 + 0.2 * ((design.int(0, 9) + 1) / 10);
      const y = textY + i * 0.045;
      layers.push({ shape: new RoundRect(textX, y, textX + len, y + 0.022, 0.008), paint: flat(textColour, 0.9) });
    }
  }
  return { background, layers };
}

function drawProp(layers: Layer[], f: Frame, kind: number, colour: Rgb, rng: Rng): void {
  if (kind === 0) {
    // A potted plant.
    const leaf = hsl(90 + rng.int(0, 60), 0.35 + 0.3 * rng.float(), 0.25 + 0.2 * rng.float());
    const leaves = rng.int(3, 6);
    for (let i = 0; i < leaves; i++) {
      const a = -Math.PI / 2 + (i / (leaves - 1) - 0.5) * 1.8;
      layers.push({
        shape: f.ellipse(Math.cos(a) * 0.22, -0.05 + Math.sin(a) * 0.3, 0.09, 0.26, a + Math.PI / 2),
        paint: f.shade(leaf, 0.8, 0, -0.2, 0.8),
      });
    }
    layers.push({
      shape: f.poly([-0.22, 0.1, 0.22, 0.1, 0.17, 0.5, -0.17, 0.5]),
      paint: f.shade(colour, 1, 0, 0.3, 0.5),
    });
  } else if (kind === 1) {
    // Gift boxes, one or two, with a ribbon.
    const two = rng.chance(0.6);
    const boxes: [number, number, number, number][] = two
      ? [
          [-0.4, 0.05, 0.3, 0.5],
          [-0.25, -0.3, 0.15, 0.05],
        ]
      : [[-0.35, -0.05, 0.35, 0.5]];
    const ribbon = hsl(rng.float() * 360, 0.6, 0.55);
    for (const [x0, y0, x1, y1] of boxes) {
      layers.push({
        shape: f.rect(x0, y0, x1, y1, 0.03),
        paint: f.shade(colour, 0.8, (x0 + x1) / 2, (y0 + y1) / 2, 0.8),
      });
      const mid = (x0 + x1) / 2;
      layers.push({ shape: f.rect(mid - 0.04, y0, mid + 0.04, y1), paint: flat(ribbon) });
    }
  } else if (kind === 2) {
    // A vase.
    layers.push({ shape: f.rect(-0.2, -0.45, 0.2, 0.5, 0.3), paint: f.shade(colour, 1, 0, 0, 0.7) });
    layers.push({ shape: f.ellipse(0, -0.45, 0.12, 0.03), paint: flat(mix(colour, BLACK, 0.5)) });
  } else {
    // A ball of wool or a fruit.
    layers.push({ shape: f.ellipse(0, 0.22, 0.28, 0.28), paint: f.shade(colour, 1.1, 0, 0.22, 0.6) });
    layers.push({
      shape: new Clip(f.stripes(rng.float() * Math.PI, 0.08, 0.25), f.ellipse(0, 0.22, 0.28, 0.28)),
      paint: flat(mix(colour, BLACK, 0.25), 0.5),
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Products

function drawProduct(layers: Layer[], f: Frame, p: Product): void {
  // Fresh streams for each frame, so a pair shot draws the same product twice.
  const q: Draw = {
    type: new Rng('ponte-image-type', p.productType),
    design: new Rng('ponte-image-shape', p.shapeSeed),
    rgb: p.rgb,
    accent: p.accent,
  };
  DRAW[p.kind](layers, f, q);
}

const DRAW: Record<Silhouette, (layers: Layer[], f: Frame, p: Draw) => void> = {
  dress,
  shirt,
  shoe,
  bag,
  pot,
  phone,
  toy,
  ball,
};

/** A pattern on a part of the product: stripes, dots or nothing. */
function pattern(layers: Layer[], f: Frame, part: Shape, p: Draw, stripeAngle: number): void {
  const pick = p.design.int(0, 3);
  if (pick === 0) {
    layers.push({
      shape: new Clip(f.stripes(stripeAngle, 0.05 + 0.07 * p.design.float(), 0.3 + 0.3 * p.design.float()), part),
      paint: flat(p.accent, 0.55),
    });
  } else if (pick === 1) {
    const r = 0.02 + 0.025 * p.design.float();
    const step = r * (3 + 2 * p.design.float());
    layers.push({ shape: new Clip(f.dots(step, r), part), paint: flat(p.accent, 0.7) });
  }
}

function dress(layers: Layer[], f: Frame, p: Draw): void {
  const t = p.type;
  const d = p.design;
  const neck = 0.1 + 0.06 * t.float();
  const shoulder = 0.17 + 0.05 * t.float();
  const waistY = -0.12 + 0.1 * t.float() + 0.04 * d.float();
  const waist = 0.12 + 0.04 * d.float();
  const hem = 0.36 + 0.14 * d.float();
  const sleeve = t.chance(0.5) ? 0.08 + 0.08 * d.float() : 0;
  const right = [neck, -0.5, shoulder, -0.47];
  if (sleeve > 0) right.push(shoulder + sleeve, -0.38, shoulder + sleeve - 0.03, -0.3);
  right.push(shoulder - 0.02, -0.3, waist, waistY);
  const curve: number[] = [];
  for (let i = 0; i <= 6; i++) {
    const x = hem - (2 * hem * i) / 6;
    curve.push(x, 0.46 + 0.04 * (1 - (x / hem) ** 2));
  }
  const left: number[] = [];
  for (let i = right.length - 2; i >= 0; i -= 2) left.push(-(right[i] ?? 0), right[i + 1] ?? 0);
  const body = f.poly([...right, ...curve, ...left, 0, -0.5 + 0.06 + 0.08 * d.float()]);
  layers.push({ shape: body, paint: f.shade(p.rgb) });
  const skirt = new Clip(body, f.rect(-0.6, waistY, 0.6, 0.6));
  pattern(layers, f, skirt, p, Math.PI / 2);
  layers.push({
    shape: f.rect(-waist - 0.01, waistY - 0.025, waist + 0.01, waistY + 0.02, 0.2),
    paint: flat(p.accent),
  });
  // Folds of the skirt.
  for (let i = -2; i <= 2; i++) {
    if (i === 0) continue;
    const x = (i / 3) * hem;
    layers.push({
      shape: f.poly([x * 0.3 - 0.008, waistY + 0.04, x * 0.3 + 0.008, waistY + 0.04, x + 0.015, 0.46, x - 0.015, 0.46]),
      paint: flat(mix(p.rgb, BLACK, 0.25), 0.35),
    });
  }
}

function shirt(layers: Layer[], f: Frame, p: Draw): void {
  const t = p.type;
  const d = p.design;
  const long = t.chance(0.45);
  const shoulder = 0.28 + 0.04 * t.float();
  const hemW = 0.26 + 0.06 * d.float();
  const neck = 0.1 + 0.04 * t.float();
  const right = [neck, -0.5, shoulder, -0.46];
  if (long) right.push(0.48, 0.3, 0.36, 0.34, shoulder, -0.12);
  else right.push(0.5, -0.18, 0.39, -0.08, shoulder, -0.2);
  right.push(hemW, 0.5);
  const left: number[] = [];
  for (let i = right.length - 2; i >= 0; i -= 2) left.push(-(right[i] ?? 0), right[i + 1] ?? 0);
  const body = f.poly([...right, ...left, 0, -0.42 + 0.04 * d.float()]);
  layers.push({ shape: body, paint: f.shade(p.rgb) });
  pattern(layers, f, body, p, d.chance(0.5) ? 0 : Math.PI / 2);
  // Collar and placket.
  const collarDark = mix(p.rgb, BLACK, 0.35);
  layers.push({ shape: f.ellipse(0, -0.47, neck * 1.05, 0.07), paint: flat(collarDark) });
  if (t.chance(0.5)) {
    layers.push({ shape: f.rect(-0.012, -0.42, 0.012, 0.48), paint: flat(collarDark, 0.6) });
    for (let y = -0.36; y < 0.45; y += 0.12)
      layers.push({ shape: f.ellipse(0, y, 0.015, 0.014), paint: flat(p.accent) });
  } else if (d.chance(0.6)) {
    // A print on the chest.
    const r = 0.08 + 0.08 * d.float();
    const shape = d.chance(0.5)
      ? f.ellipse(0, -0.08, r, r * (f.w / f.h))
      : f.poly([-r, -0.08 + r, r, -0.08 + r, 0, -0.08 - r]);
    layers.push({ shape, paint: flat(p.accent) });
  }
  if (d.chance(0.5)) layers.push({ shape: f.rect(0.08, -0.3, 0.2, -0.14, 0.1), paint: flat(collarDark, 0.35) });
  layers.push({ shape: f.rect(-hemW, 0.45, hemW, 0.5), paint: flat(collarDark, 0.3) });
}

function shoe(layers: Layer[], f: Frame, p: Draw): void {
  const t = p.type;
  const d = p.design;
  const shaft = t.chance(0.3) ? -0.5 : -0.15 - 0.15 * t.float();
  const heel = t.chance(0.2) ? 0.2 : 0;
  const toeY = 0.1 + 0.1 * d.float();
  const upper = f.poly([
    -0.47,
    0.36 - heel,
    -0.48,
    shaft + 0.05,
    -0.42,
    shaft,
    -0.12,
    shaft + 0.02,
    -0.08,
    shaft + 0.18,
    0.12,
    toeY - 0.05,
    0.38,
    toeY + 0.05,
    0.48,
    0.2,
    0.5,
    0.34,
    0.3,
    0.36,
  ]);
  layers.push({ shape: upper, paint: f.shade(p.rgb, 1, 0.05, 0) });
  pattern(layers, f, upper, p, Math.PI * 0.3);
  const soleColour: Rgb = d.chance(0.6) ? [238, 236, 230] : mix(p.rgb, BLACK, 0.6);
  if (heel > 0) {
    layers.push({
      shape: f.poly([-0.47, 0.16, -0.34, 0.16, -0.38, 0.46, -0.45, 0.46]),
      paint: flat(mix(soleColour, BLACK, 0.1)),
    });
    layers.push({
      shape: f.poly([-0.34, 0.16, 0.05, 0.3, 0.5, 0.32, 0.5, 0.4, 0.1, 0.4, -0.34, 0.24]),
      paint: flat(soleColour),
    });
  } else {
    layers.push({ shape: f.rect(-0.49, 0.32, 0.5, 0.46, 0.25), paint: flat(soleColour) });
    layers.push({ shape: f.rect(-0.45, 0.36, 0.47, 0.38), paint: flat(mix(soleColour, BLACK, 0.2), 0.5) });
  }
  layers.push({ shape: f.ellipse(-0.27, shaft + 0.03, 0.15, 0.035), paint: flat(mix(p.rgb, BLACK, 0.6)) });
  if (t.chance(0.6)) {
    for (let i = 0; i < 4; i++) {
      const x = -0.06 + i * 0.06;
      const y = shaft + 0.22 + i * 0.05 - (shaft + 0.22 - toeY) * (i / 6);
      layers.push({ shape: f.rect(x - 0.03, y - 0.012, x + 0.03, y + 0.012, 0.3), paint: flat(p.accent) });
    }
  }
  if (d.chance(0.6)) layers.push({ shape: f.ellipse(0.02, 0.2, 0.18, 0.05, -0.3), paint: flat(p.accent, 0.8) });
}

function bag(layers: Layer[], f: Frame, p: Draw): void {
  const t = p.type;
  const d = p.design;
  const tall = t.chance(0.4);
  const top = tall ? -0.42 : -0.12 - 0.1 * d.float();
  const taper = t.chance(0.5) ? 0.06 : 0;
  const handle = mix(p.rgb, BLACK, 0.3);
  layers.push({ shape: f.ring(0, top, 0.22 + 0.1 * d.float(), tall ? 0.1 : 0.3, 0.04), paint: flat(handle) });
  const bodyTop = top;
  const body = f.poly([
    -0.42 + taper,
    bodyTop,
    0.42 - taper,
    bodyTop,
    0.46,
    0.4,
    0.42,
    0.48,
    0.3,
    0.5,
    -0.3,
    0.5,
    -0.42,
    0.48,
    -0.46,
    0.4,
  ]);
  layers.push({ shape: body, paint: f.shade(p.rgb) });
  pattern(layers, f, body, p, 0);
  const pick = d.int(0, 2);
  if (pick === 0) {
    const flapEnd = bodyTop + (0.5 - bodyTop) * (0.4 + 0.2 * d.float());
    layers.push({
      shape: f.poly([
        -0.43 + taper,
        bodyTop,
        0.43 - taper,
        bodyTop,
        0.42,
        flapEnd - 0.05,
        0,
        flapEnd + 0.04,
        -0.42,
        flapEnd - 0.05,
      ]),
      paint: f.shade(mix(p.rgb, BLACK, 0.15), 1, 0, bodyTop),
    });
    layers.push({ shape: f.rect(-0.04, flapEnd - 0.03, 0.04, flapEnd + 0.05, 0.2), paint: flat([212, 175, 80]) });
  } else if (pick === 1) {
    layers.push({ shape: f.rect(-0.3, 0.1, 0.3, 0.42, 0.1), paint: flat(mix(p.rgb, BLACK, 0.2), 0.8) });
    layers.push({ shape: f.rect(-0.3, 0.1, 0.3, 0.13), paint: flat(p.accent) });
  } else {
    layers.push({ shape: f.rect(-0.42, bodyTop + 0.04, 0.42, bodyTop + 0.07), paint: flat(p.accent) });
  }
}

function pot(layers: Layer[], f: Frame, p: Draw): void {
  const t = p.type;
  const d = p.design;
  const rimY = -0.2 + 0.15 * t.float();
  const wide = 0.36 + 0.06 * d.float();
  const metal: Rgb = [120, 120, 125];
  if (t.chance(0.5)) {
    layers.push({
      shape: f.rect(wide - 0.05, rimY + 0.02, 0.5, rimY + 0.08, 0.3),
      paint: flat(mix(metal, BLACK, 0.4)),
    });
  } else {
    layers.push({ shape: f.rect(-0.5, rimY + 0.05, 0.5, rimY + 0.12, 0.3), paint: flat(mix(p.accent, BLACK, 0.3)) });
  }
  const body = f.poly([
    -wide,
    rimY,
    wide,
    rimY,
    wide - 0.04,
    0.42,
    wide - 0.1,
    0.5,
    -wide + 0.1,
    0.5,
    -wide + 0.04,
    0.42,
  ]);
  layers.push({ shape: body, paint: f.shade(p.rgb, 1, 0, 0.1) });
  pattern(layers, f, new Clip(body, f.rect(-0.6, rimY + 0.12, 0.6, 0.35)), p, 0);
  layers.push({ shape: f.ellipse(0, rimY, wide, 0.09), paint: flat(mix(p.rgb, WHITE, 0.35)) });
  layers.push({ shape: f.ellipse(0, rimY + 0.005, wide - 0.04, 0.065), paint: flat(mix(p.rgb, BLACK, 0.55)) });
  if (d.chance(0.5)) layers.push({ shape: f.rect(-wide + 0.03, 0.15, wide - 0.05, 0.2), paint: flat(p.accent, 0.8) });
}

function phone(layers: Layer[], f: Frame, p: Draw): void {
  const t = p.type;
  const d = p.design;
  const radius = 0.1 + 0.1 * t.float();
  layers.push({ shape: f.rect(-0.5, -0.5, 0.5, 0.5, radius), paint: f.shade(p.rgb) });
  const back = d.chance(0.5);
  if (back) {
    // The back: a camera block and a logo.
    layers.push({ shape: f.rect(-0.38, -0.42, 0.02, -0.18, 0.3), paint: flat(mix(p.rgb, BLACK, 0.3)) });
    for (const [x, y] of [
      [-0.26, -0.36],
      [-0.1, -0.36],
      [-0.26, -0.24],
    ] as const) {
      layers.push({ shape: f.ellipse(x, y, 0.07, 0.035), paint: flat([25, 25, 30]) });
    }
    layers.push({ shape: f.ellipse(0, 0.05, 0.12, 0.06), paint: flat(p.accent, 0.8) });
    pattern(layers, f, f.rect(-0.42, 0.15, 0.42, 0.42, 0.05), p, Math.PI / 4);
  } else {
    const screen = f.rect(-0.43, -0.45, 0.43, 0.45, radius * 0.8);
    layers.push({
      shape: screen,
      paint: linear(
        hsl(d.float() * 360, 0.5, 0.25),
        hsl(d.float() * 360, 0.6, 0.5),
        f.pt(-0.4, -0.45),
        f.pt(0.4, 0.45),
      ),
    });
    for (let i = 0; i < 3; i++) {
      const y = -0.25 + i * 0.22;
      layers.push({ shape: f.rect(-0.3, y, 0.3, y + 0.12, 0.2), paint: flat(WHITE, 0.35) });
    }
    layers.push({ shape: f.ellipse(0, -0.42, 0.06, 0.012), paint: flat([15, 15, 15]) });
  }
  layers.push({ shape: f.rect(0.5, -0.25, 0.53, -0.1, 0.3), paint: flat(mix(p.rgb, BLACK, 0.3)) });
}

function toy(layers: Layer[], f: Frame, p: Draw): void {
  const t = p.type;
  const d = p.design;
  const head = 0.2 + 0.04 * t.float();
  const headY = -0.5 + head * 1.05;
  const dark = mix(p.rgb, BLACK, 0.3);
  const light = mix(p.rgb, WHITE, 0.45);
  const ear = 0.08 + 0.03 * d.float();
  for (const s of [-1, 1])
    layers.push({ shape: f.ellipse(s * head * 0.8, headY - head * 0.75, ear, ear), paint: flat(dark) });
  for (const s of [-1, 1])
    layers.push({ shape: f.ellipse(s * 0.27, 0.42, 0.13, 0.09), paint: f.shade(p.rgb, 1, s * 0.27, 0.42, 0.3) });
  const bodyY = 0.15;
  layers.push({ shape: f.ellipse(0, bodyY, 0.3, 0.3), paint: f.shade(p.rgb, 1, 0, bodyY, 0.6) });
  layers.push({ shape: f.ellipse(0, bodyY + 0.04, 0.17, 0.18), paint: flat(light) });
  for (const s of [-1, 1]) {
    layers.push({
      shape: f.ellipse(s * 0.32, bodyY - 0.05, 0.1, 0.16, s * 0.5),
      paint: f.shade(p.rgb, 1, s * 0.32, 0, 0.3),
    });
  }
  layers.push({ shape: f.ellipse(0, headY, head, head * 0.92), paint: f.shade(p.rgb, 1, 0, headY, 0.5) });
  layers.push({ shape: f.ellipse(0, headY + head * 0.35, head * 0.45, head * 0.3), paint: flat(light) });
  for (const s of [-1, 1]) {
    layers.push({ shape: f.ellipse(s * head * 0.38, headY - head * 0.1, 0.035, 0.03), paint: flat([20, 18, 18]) });
  }
  layers.push({ shape: f.ellipse(0, headY + head * 0.25, 0.04, 0.025), paint: flat([30, 20, 20]) });
  if (d.chance(0.6)) {
    // A bow tie or a scarf in the accent colour.
    const y = headY + head * 0.95;
    layers.push({ shape: f.poly([-0.12, y - 0.05, 0, y, -0.12, y + 0.05]), paint: flat(p.accent) });
    layers.push({ shape: f.poly([0.12, y - 0.05, 0, y, 0.12, y + 0.05]), paint: flat(p.accent) });
  }
}

function ball(layers: Layer[], f: Frame, p: Draw): void {
  const d = p.design;
  const t = p.type;
  const ballShape = f.ellipse(0, 0, 0.5, 0.5);
  layers.push({ shape: ballShape, paint: f.shade(p.rgb, 1.2, 0, 0, 0.9) });
  const seam = mix(p.rgb, BLACK, 0.5);
  const pick = (t.int(0, 2) + d.int(0, 1)) % 3;
  if (pick === 0) {
    // Panels of a football.
    const pts: number[] = [];
    for (let k = 0; k < 5; k++) {
      const a = -Math.PI / 2 + (k / 5) * Math.PI * 2;
      pts.push(Math.cos(a) * 0.13, Math.sin(a) * 0.13);
    }
    layers.push({ shape: f.poly(pts), paint: flat(p.accent) });
    for (let k = 0; k < 5; k++) {
      const a = Math.PI / 2 + (k / 5) * Math.PI * 2;
      const x = Math.cos(a) * 0.38;
      const y = Math.sin(a) * 0.38;
      layers.push({ shape: new Clip(f.ellipse(x, y, 0.11, 0.11), ballShape), paint: flat(p.accent) });
    }
  } else if (pick === 1) {
    // Seams of a basketball.
    layers.push({ shape: new Clip(f.rect(-0.5, -0.012, 0.5, 0.012), ballShape), paint: flat(seam) });
    layers.push({ shape: new Clip(f.rect(-0.012, -0.5, 0.012, 0.5), ballShape), paint: flat(seam) });
    for (const s of [-1, 1]) {
      layers.push({ shape: new Clip(f.ring(s * 0.55, 0, 0.38, 0.46, 0.025), ballShape), paint: flat(seam) });
    }
  } else {
    // Bands of a volleyball.
    const turn = d.float() * Math.PI;
    layers.push({ shape: new Clip(f.stripes(turn, 0.33, 0.4), ballShape), paint: flat(p.accent, 0.85) });
  }
  layers.push({ shape: f.ellipse(-0.17, -0.2, 0.1, 0.07, -0.6), paint: flat(WHITE, 0.35) });
}
