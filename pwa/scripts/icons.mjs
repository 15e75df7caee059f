// Draws the app icons into public/icons/ (run `npm run icons`; the PNGs are committed).
// No image tools needed: shapes are distance functions, sampled 4×4 per pixel for smooth
// edges, and written as PNG with node's zlib. The same drawing is in public/icons/icon.svg.
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const OUT = new URL('../public/icons/', import.meta.url);
const BRAND = [11, 85, 99];      // #0b5563, the theme colour
const WHITE = [255, 255, 255];
const ACCENT = [255, 207, 74];   // #ffcf4a
const SAMPLES = 4;

// The glyph in a unit square: a house (roof and walls) with a check mark inside.
const STROKE = 0.09;
const GLYPH = [
  { colour: WHITE, width: STROKE, path: [[0.1, 0.5], [0.5, 0.13], [0.9, 0.5]] },
  { colour: WHITE, width: STROKE, path: [[0.21, 0.42], [0.21, 0.88], [0.79, 0.88], [0.79, 0.42]] },
  { colour: ACCENT, width: STROKE, path: [[0.35, 0.65], [0.47, 0.76], [0.67, 0.54]] },
];

// Icon kinds: `any` has rounded corners and a large glyph; `maskable` is full bleed with the
// glyph inside the safe circle (radius 40 %) that launchers may crop to.
const ICONS = [
  { name: 'icon-192.png', size: 192, corner: 0.22, glyph: 0.66 },
  { name: 'icon-512.png', size: 512, corner: 0.22, glyph: 0.66 },
  { name: 'maskable-192.png', size: 192, corner: 0, glyph: 0.52 },
  { name: 'maskable-512.png', size: 512, corner: 0, glyph: 0.52 },
  { name: 'apple-touch-icon.png', size: 180, corner: 0, glyph: 0.62 },
];

function segmentDistance(px, py, [ax, ay], [bx, by]) {
  const dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}

function insideRoundedSquare(x, y, r) {
  if (r === 0) return true;
  const cx = Math.min(Math.max(x, r), 1 - r), cy = Math.min(Math.max(y, r), 1 - r);
  return Math.hypot(x - cx, y - cy) <= r;
}

// Colour at a point of the icon (unit coordinates), or null outside it.
function sample(x, y, { corner, glyph }) {
  if (!insideRoundedSquare(x, y, corner)) return null;
  const gx = (x - 0.5) / glyph + 0.5, gy = (y - 0.5) / glyph + 0.5;
  let colour = BRAND;
  for (const stroke of GLYPH) {
    for (let i = 1; i < stroke.path.length; i++) {
      if (segmentDistance(gx, gy, stroke.path[i - 1], stroke.path[i]) <= stroke.width / 2) {
        colour = stroke.colour;
      }
    }
  }
  return colour;
}

function render(icon) {
  const { size } = icon;
  const pixels = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    const row = y * (size * 4 + 1);
    pixels[row] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const c = sample((x + (sx + 0.5) / SAMPLES) / size, (y + (sy + 0.5) / SAMPLES) / size, icon);
          if (c) { r += c[0]; g += c[1]; b += c[2]; a += 1; }
        }
      }
      const at = row + 1 + x * 4;
      if (a) { pixels[at] = r / a; pixels[at + 1] = g / a; pixels[at + 2] = b / a; }
      pixels[at + 3] = Math.round((255 * a) / (SAMPLES * SAMPLES));
    }
  }
  return png(size, size, pixels);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

function png(width, height, rows) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

mkdirSync(OUT, { recursive: true });
for (const icon of ICONS) {
  writeFileSync(new URL(icon.name, OUT), render(icon));
  console.log(`public/icons/${icon.name} (${icon.size}×${icon.size})`);
}
