// Clinic colours, made readable. A clinic picks its brand colour; the widget
// works out text colours that keep WCAG AA contrast (4.5:1) on top of it and
// a darker shade for links and outlines on white, so no configuration can
// make the widget hard to read.

const HEX = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i;
export const AA = 4.5;
// The conversation's background: links and chips must read on it (and so on white too).
const CANVAS = "#f4f7f8";

/** "#rrggbb" for a valid hex colour, else null (only hex: no CSS can slip in). */
export function parseHex(value) {
  if (typeof value !== "string" || !HEX.test(value.trim())) return null;
  let hex = value.trim().slice(1).toLowerCase();
  if (hex.length === 3) hex = [...hex].map((c) => c + c).join("");
  return "#" + hex;
}

function channels(hex) {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
}

function toHex(rgb) {
  return "#" + rgb.map((v) => Math.round(Math.min(255, Math.max(0, v))).toString(16).padStart(2, "0")).join("");
}

export function luminance(hex) {
  const [r, g, b] = channels(hex).map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** White or near-black, whichever reads better on `background`. */
export function textOn(background) {
  const light = "#ffffff";
  const dark = "#14171a";
  return contrast(light, background) >= contrast(dark, background) ? light : dark;
}

/** `color` darkened just enough to reach AA on `background` (white by default). */
export function readableOn(color, background = "#ffffff") {
  let rgb = channels(color);
  for (let i = 0; i < 40 && contrast(toHex(rgb), background) < AA; i += 1) {
    rgb = rgb.map((v) => v * 0.9);
  }
  return toHex(rgb);
}

/** The CSS custom properties of a theme built from the clinic's colours. */
export function theme(primary, accent) {
  let brand = parseHex(primary) || "#0f5e6e";
  if (contrast(textOn(brand), brand) < AA) {
    // A mid-tone no text reads well on: darken it until white text does.
    brand = readableOn(brand, "#ffffff");
  }
  const ink = readableOn(parseHex(accent) || brand, CANVAS);
  return {
    "--bcw-brand": brand,
    "--bcw-on-brand": textOn(brand),
    "--bcw-ink": ink,
  };
}
