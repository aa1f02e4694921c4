/** A score distribution as a small inline SVG histogram (no library, no network). */
import { escapeHtml } from './html-escape.ts';

/** Ten bins over [0, 1] (values outside are clamped), bars scaled to the fullest bin. */
export function svgHistogram(values: readonly number[], label: string, bins = 10): string {
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.max(0, Math.floor(v * bins)))]!++;
  const max = Math.max(1, ...counts);
  const w = 200;
  const h = 60;
  const bw = w / bins;
  const bars = counts
    .map((c, i) => {
      const bh = (c / max) * (h - 12);
      const range = `${(i / bins).toFixed(1)}–${((i + 1) / bins).toFixed(1)}`;
      return `<rect x="${(i * bw + 1).toFixed(1)}" y="${(h - 12 - bh).toFixed(1)}" width="${(bw - 2).toFixed(1)}" height="${bh.toFixed(1)}"><title>${range}: ${c}</title></rect>`;
    })
    .join('');
  return `<svg class="hist" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${escapeHtml(label)} distribution">${bars}<text x="0" y="${h - 1}">0</text><text x="${w - 8}" y="${h - 1}">1</text></svg>`;
}
