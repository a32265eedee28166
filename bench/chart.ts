// One SVG bar chart per figure group: for each figure a bar for ours and, when there is one,
// a bar for the peer, on a linear scale from zero to the group's largest value. Hand-written:
// no chart library is installed, and a few rectangles do not justify one.
import type { Row } from './table.ts';
import { num } from './table.ts';

const BAR = 14, GAP = 10, LABEL = 300, WIDTH = 820, PLOT = WIDTH - LABEL - 120;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function groupChart(group: string, rows: readonly Row[]): string {
  const max = Math.max(...rows.flatMap((r) => [r.ours, r.peer?.value ?? 0]), Number.MIN_VALUE);
  const unit = rows[0]?.unit ?? '';
  const parts: string[] = [];
  let y = 40;
  for (const r of rows) {
    const bars = [{ label: 'ours', value: r.ours, colour: r.verdict === 'missed' ? '#c0392b' : '#2e86c1' }];
    if (r.peer) bars.push({ label: r.peer.name, value: r.peer.value, colour: '#95a5a6' });
    parts.push(`<text x="${LABEL - 8}" y="${y + BAR - 3}" text-anchor="end">${esc(r.name)}</text>`);
    for (const b of bars) {
      const w = Math.max(1, (b.value / max) * PLOT);
      parts.push(`<rect x="${LABEL}" y="${y}" width="${w.toFixed(1)}" height="${BAR}" fill="${b.colour}"><title>${esc(`${b.label}: ${num(b.value)} ${unit}`)}</title></rect>`);
      parts.push(`<text x="${(LABEL + w + 4).toFixed(1)}" y="${y + BAR - 3}">${esc(`${num(b.value)} ${b.label === 'ours' ? '' : `(${b.label})`}`)}</text>`);
      y += BAR + 2;
    }
    y += GAP;
  }
  const height = y + 10;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="20" font-size="14" font-weight="bold">${esc(`${group} (${unit}; blue: ours, red: ours missing its target, grey: peer)`)}</text>`,
    ...parts,
    '</svg>',
  ].join('\n') + '\n';
}

/** A file name for a group's chart: lower case, words joined by dashes. */
export function chartFileName(group: string): string {
  return `${group.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}.svg`;
}
