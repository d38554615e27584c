// Charts drawn on the server as inline SVG, for pages that must work with JavaScript off: a line
// chart over months, horizontal bars with a target marker, and 100% stacked bars. Each SVG is one
// image to assistive technology (role="img", <title>, <desc>) and comes with its data as a table.
// The drawings are sized for a 360 px phone (about 14 px text) and grow up to a cap on wide
// screens. Series and states differ by line dash, marker shape and fill pattern as well as colour,
// and every colour keeps 3:1 against white (WCAG 1.4.11).
import { html, raw, type Html } from './html.ts';
import type { Lang } from '../i18n/index.ts';

const shareFormats: Record<Lang, Intl.NumberFormat> = {
  vi: new Intl.NumberFormat('vi-VN', { style: 'percent', maximumFractionDigits: 1 }),
  en: new Intl.NumberFormat('en-GB', { style: 'percent', maximumFractionDigits: 1 }),
};

/** A share (0–1) as a percentage with at most one decimal: "72,5%" in Vietnamese. */
export function formatShare(lang: Lang, value: number): string {
  return shareFormats[lang].format(value);
}

/** A table of the figures a chart draws, with the first column as row headers. */
export type TableData = { caption: string; head: string[]; rows: string[][] };

export type ChartBase = {
  /** Unique on the page: prefixes the ids of the title, description and patterns. */
  id: string;
  title: string;
  /** What the chart shows, in a sentence or two, for people who cannot see it. */
  desc: string;
  table: TableData;
  /** The label of the disclosure that holds the table ("Bảng số liệu"). */
  tableLabel: string;
  /** Said instead of drawing when there is nothing to draw. */
  empty: string;
};

// Colours: text #0b0c0c; series and bars ≥ 4.5:1 on white.
const ink = '#0b0c0c';
const grid = '#b1b4b6';
const palette = ['#1d4ed8', '#00703c', '#a50e0e'] as const;
const dashes = ['', '7 4', '2 3'] as const;
const width = 340;
const font = 'font-family="system-ui, sans-serif" font-size="14"';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const n = (v: number) => Number(v.toFixed(2));

/** Shortens a label to what fits one line of the 340-unit drawing at 14 px. */
function fit(label: string, chars = 44): string {
  return label.length <= chars ? label : `${label.slice(0, chars - 1).trimEnd()}…`;
}

export function dataTable(t: TableData, captionId?: string): Html {
  return html`<table class="data-table">
  <caption${captionId ? html` id="${captionId}"` : ''}>${t.caption}</caption>
  <thead><tr>${t.head.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
  <tbody>${t.rows.map((r) => html`<tr>${r.map((c, i) => (i === 0 ? html`<th scope="row">${c}</th>` : html`<td>${c}</td>`))}</tr>`)}</tbody>
</table>`;
}

function figure(c: ChartBase, svg: string | null, legend: Html | string = ''): Html {
  return html`<figure class="chart" id="${c.id}">
  ${svg === null ? html`<p class="chart-empty">${c.empty}</p>` : html`${raw(svg)}${legend}`}
  <details class="chart-data"${svg === null ? html` open` : ''}>
    <summary>${c.tableLabel}<span class="visually-hidden">: ${c.title}</span></summary>
    <div class="table-scroll" role="region" tabindex="0" aria-label="${c.table.caption}">${dataTable(c.table)}</div>
  </details>
</figure>`;
}

function svgOpen(c: ChartBase, height: number, extraClass = ''): string {
  return `<svg class="chart-svg${extraClass}" viewBox="0 0 ${width} ${n(height)}" role="img" aria-labelledby="${c.id}-title ${c.id}-desc" ${font} fill="${ink}">`
    + `<title id="${c.id}-title">${esc(c.title)}</title><desc id="${c.id}-desc">${esc(c.desc)}</desc>`;
}

/** A marker of a series' shape at a point: circle, square, triangle. */
function marker(shape: number, x: number, y: number, colour: string): string {
  if (shape === 1) return `<rect x="${n(x - 3.5)}" y="${n(y - 3.5)}" width="7" height="7" fill="${colour}"/>`;
  if (shape === 2) return `<path d="M${n(x)} ${n(y - 4.5)}L${n(x + 4.5)} ${n(y + 3.5)}L${n(x - 4.5)} ${n(y + 3.5)}Z" fill="${colour}"/>`;
  return `<circle cx="${n(x)}" cy="${n(y)}" r="4" fill="${colour}"/>`;
}

/** A small drawing of a series for the legend: its dash and marker. */
function lineSample(i: number): string {
  const colour = palette[i % palette.length]!;
  return `<svg class="legend-sample" aria-hidden="true" focusable="false" width="32" height="14" viewBox="0 0 32 14">`
    + `<line x1="1" y1="7" x2="31" y2="7" stroke="${colour}" stroke-width="3"${dashes[i % dashes.length] ? ` stroke-dasharray="${dashes[i % dashes.length]}"` : ''}/>${marker(i % 3, 16, 7, colour)}</svg>`;
}

export type LineChart = ChartBase & {
  /** The labels along the x axis (months), drawn sparsely when many; the table has them all. */
  categories: string[];
  series: Array<{ name: string; values: Array<number | null> }>;
  /** Shares 0–1: the y axis runs from 0 to 100%. */
  format: (v: number) => string;
  /** Reference lines across the chart, e.g. a target. */
  references?: Array<{ value: number; label: string }>;
};

/** Lines over months, each series with its own dash and marker; a missing value breaks the line. */
export function lineChart(c: LineChart): Html {
  const points = c.series.flatMap((s) => s.values).filter((v): v is number => v !== null);
  if (!points.length || !c.categories.length) return figure(c, null);
  const left = 46;
  const right = 12;
  const top = 14;
  const plotH = 170;
  const plotW = width - left - right;
  const height = top + plotH + 30;
  const x = (i: number) => left + (c.categories.length === 1 ? plotW / 2 : (i * plotW) / (c.categories.length - 1));
  const y = (v: number) => top + plotH - Math.max(0, Math.min(1, v)) * plotH;
  let svg = svgOpen(c, height);
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    svg += `<line x1="${left}" y1="${n(y(t))}" x2="${width - right}" y2="${n(y(t))}" stroke="${grid}" stroke-width="1"/>`;
    svg += `<text x="${left - 6}" y="${n(y(t) + 5)}" text-anchor="end">${esc(c.format(t))}</text>`;
  }
  const step = Math.ceil(c.categories.length / 5);
  c.categories.forEach((label, i) => {
    if (i % step !== 0) return;
    const anchor = c.categories.length === 1 ? 'middle' : i === 0 ? 'start' : i === c.categories.length - 1 ? 'end' : 'middle';
    svg += `<line x1="${n(x(i))}" y1="${top + plotH}" x2="${n(x(i))}" y2="${top + plotH + 5}" stroke="${ink}"/>`;
    svg += `<text x="${n(x(i))}" y="${top + plotH + 21}" text-anchor="${anchor}">${esc(label)}</text>`;
  });
  for (const r of c.references ?? []) {
    svg += `<line x1="${left}" y1="${n(y(r.value))}" x2="${width - right}" y2="${n(y(r.value))}" stroke="${ink}" stroke-width="1.5" stroke-dasharray="1 4" stroke-linecap="round"/>`;
    svg += `<text x="${width - right}" y="${n(y(r.value) - 5)}" text-anchor="end" font-size="12">${esc(r.label)}</text>`;
  }
  c.series.forEach((s, si) => {
    const colour = palette[si % palette.length]!;
    const runs: string[] = [];
    let run = '';
    s.values.forEach((v, i) => {
      if (v === null) {
        if (run) runs.push(run);
        run = '';
        return;
      }
      run += `${run ? 'L' : 'M'}${n(x(i))} ${n(y(v))}`;
    });
    if (run) runs.push(run);
    const dash = dashes[si % dashes.length];
    for (const d of runs) svg += `<path d="${d}" fill="none" stroke="${colour}" stroke-width="2.5" stroke-linejoin="round"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`;
    s.values.forEach((v, i) => {
      if (v !== null) svg += marker(si % 3, x(i), y(v), colour);
    });
  });
  svg += `<line x1="${left}" y1="${top + plotH}" x2="${width - right}" y2="${top + plotH}" stroke="${ink}" stroke-width="1.5"/></svg>`;
  const legend = html`<ul class="chart-legend">${c.series.map((s, i) => html`<li>${raw(lineSample(i))}${s.name}</li>`)}${(c.references ?? []).length
    ? html`<li>${raw(`<svg class="legend-sample" aria-hidden="true" focusable="false" width="32" height="14" viewBox="0 0 32 14"><line x1="2" y1="7" x2="30" y2="7" stroke="${ink}" stroke-width="2" stroke-dasharray="1 4" stroke-linecap="round"/></svg>`)}${c.references!.map((r) => r.label).join('; ')}</li>`
    : ''}</ul>`;
  return figure(c, svg, legend);
}

export type BarRow = { label: string; value: number; valueText: string; target?: number | null };

export type BarChart = ChartBase & {
  rows: BarRow[];
  /** The value a full-width bar stands for (1 for shares). */
  max: number;
  /** The legend's words, when rows carry targets. */
  legend?: { met: string; below: string; target: string };
  /** For shares: formats the axis labels 0, 50% and 100% drawn under the bars. */
  axis?: (v: number) => string;
};

const barColour = palette[0];

function hatch(id: string, colour: string): string {
  return `<pattern id="${id}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/><rect width="3" height="6" fill="${colour}"/></pattern>`;
}

/**
 * Horizontal bars, the label on its own line above each bar so long names fit a phone. With a
 * target, a black tick marks it, and a bar below its target is hatched instead of solid.
 */
export function barChart(c: BarChart): Html {
  if (!c.rows.length) return figure(c, null);
  const valueW = 62;
  const plotW = width - valueW;
  const rowH = 48;
  const top = 4;
  const height = top + c.rows.length * rowH + (c.axis ? 22 : 4);
  const x = (v: number) => (c.max > 0 ? (Math.max(0, Math.min(c.max, v)) / c.max) * plotW : 0);
  const hatchId = `${c.id}-below`;
  const targets = c.rows.some((r) => r.target !== undefined && r.target !== null);
  let svg = svgOpen(c, height) + (targets ? `<defs>${hatch(hatchId, barColour)}</defs>` : '');
  if (c.axis) {
    for (const t of [0, 0.5, 1]) {
      const gx = n(Math.min(x(t), plotW - 0.75) + 0.75);
      svg += `<line x1="${gx}" y1="${top}" x2="${gx}" y2="${top + c.rows.length * rowH}" stroke="${grid}" stroke-width="1"/>`;
      svg += `<text x="${gx}" y="${height - 4}" text-anchor="${t === 0 ? 'start' : t === 1 ? 'end' : 'middle'}" font-size="12">${esc(c.axis(t))}</text>`;
    }
  }
  c.rows.forEach((r, i) => {
    const y0 = top + i * rowH;
    const barY = y0 + 22;
    const w = Math.max(x(r.value), r.value > 0 ? 2 : 0);
    const below = r.target !== undefined && r.target !== null && r.value < r.target;
    svg += `<text x="0" y="${y0 + 15}">${esc(fit(r.label))}</text>`;
    svg += `<rect x="0.75" y="${barY}" width="${n(Math.max(w, 0.5))}" height="18" fill="${below ? `url(#${hatchId})` : barColour}" stroke="${barColour}" stroke-width="1.5"/>`;
    svg += `<text x="${n(Math.min(w + 6, plotW + 6))}" y="${barY + 14}" font-weight="700">${esc(r.valueText)}</text>`;
    if (r.target !== undefined && r.target !== null) {
      const tx = n(Math.max(x(r.target), 1.5));
      svg += `<line x1="${tx}" y1="${barY - 4}" x2="${tx}" y2="${barY + 22}" stroke="${ink}" stroke-width="3"/>`;
    }
  });
  svg += '</svg>';
  const legend = targets && c.legend
    ? html`<ul class="chart-legend">
  <li>${raw(`<svg class="legend-sample" aria-hidden="true" focusable="false" width="32" height="14" viewBox="0 0 32 14"><rect x="1" y="1" width="30" height="12" fill="${barColour}" stroke="${barColour}" stroke-width="1.5"/></svg>`)}${c.legend.met}</li>
  <li>${raw(`<svg class="legend-sample" aria-hidden="true" focusable="false" width="32" height="14" viewBox="0 0 32 14"><defs>${hatch(`${hatchId}-key`, barColour)}</defs><rect x="1" y="1" width="30" height="12" fill="url(#${hatchId}-key)" stroke="${barColour}" stroke-width="1.5"/></svg>`)}${c.legend.below}</li>
  <li>${raw(`<svg class="legend-sample" aria-hidden="true" focusable="false" width="32" height="14" viewBox="0 0 32 14"><line x1="16" y1="0" x2="16" y2="14" stroke="${ink}" stroke-width="3"/></svg>`)}${c.legend.target}</li>
</ul>`
    : '';
  return figure(c, svg, legend);
}

/** The fills of the parts of a stacked bar: colour and pattern differ together. */
const partFills = [
  { colour: '#a50e0e', pattern: 'cross' },
  { colour: '#b45309', pattern: 'diagonal' },
  { colour: '#505a5f', pattern: 'dots' },
  { colour: '#00703c', pattern: 'horizontal' },
  { colour: '#0b3d22', pattern: 'solid' },
] as const;

function partPattern(id: string, i: number): string {
  const { colour, pattern } = partFills[i % partFills.length]!;
  const base = `<rect width="8" height="8" fill="${colour}"/>`;
  const line = (d: string) => `<path d="${d}" stroke="#fff" stroke-width="1.5"/>`;
  const body = pattern === 'cross' ? line('M0 0L8 8M8 0L0 8')
    : pattern === 'diagonal' ? line('M0 8L8 0M-2 2L2 -2M6 10L10 6')
      : pattern === 'dots' ? '<circle cx="4" cy="4" r="1.4" fill="#fff"/>'
        : pattern === 'horizontal' ? line('M0 4H8')
          : '';
  return `<pattern id="${id}" width="8" height="8" patternUnits="userSpaceOnUse">${base}${body}</pattern>`;
}

export type StackedBarChart = ChartBase & {
  /** The parts, in the order they are stacked from the left (e.g. ratings 1 to 5). */
  parts: string[];
  rows: Array<{ label: string; values: number[]; note: string; emptyText?: string }>;
};

/** 100% stacked bars, one per row, each part with its own colour and pattern; a row with no data says so. */
export function stackedBarChart(c: StackedBarChart): Html {
  if (!c.rows.some((r) => r.values.some((v) => v > 0))) return figure(c, null);
  const rowH = 50;
  const height = c.rows.length * rowH + 4;
  const plotW = width - 1.5;
  let svg = svgOpen(c, height) + `<defs>${c.parts.map((_, i) => partPattern(`${c.id}-part-${i}`, i)).join('')}</defs>`;
  c.rows.forEach((r, ri) => {
    const y0 = ri * rowH;
    const barY = y0 + 22;
    const total = r.values.reduce((a, b) => a + b, 0);
    svg += `<text x="0" y="${y0 + 15}">${esc(fit(`${r.label} · ${r.note}`, 46))}</text>`;
    if (!total) {
      svg += `<rect x="0.75" y="${barY}" width="${n(plotW)}" height="20" fill="#fff" stroke="${grid}" stroke-width="1.5" stroke-dasharray="4 3"/>`;
      if (r.emptyText) svg += `<text x="8" y="${barY + 15}" font-size="12">${esc(r.emptyText)}</text>`;
      return;
    }
    let at = 0.75;
    r.values.forEach((v, i) => {
      if (v <= 0) return;
      const w = (v / total) * plotW;
      svg += `<rect x="${n(at)}" y="${barY}" width="${n(w)}" height="20" fill="url(#${c.id}-part-${i})" stroke="#fff" stroke-width="1"/>`;
      at += w;
    });
  });
  svg += '</svg>';
  const legend = html`<ul class="chart-legend">${c.parts.map((p, i) => html`<li>${raw(
    `<svg class="legend-sample" aria-hidden="true" focusable="false" width="32" height="14" viewBox="0 0 32 14"><defs>${partPattern(`${c.id}-key-${i}`, i)}</defs><rect x="1" y="1" width="30" height="12" fill="url(#${c.id}-key-${i})"/></svg>`,
  )}${p}</li>`)}</ul>`;
  return figure(c, svg, legend);
}
