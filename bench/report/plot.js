// The scale-curve plot as a standalone SVG: one panel per figure (time to all Ready, idle RSS)
// versus N, one line with point markers per operator, axes with ticks and labels, a legend.
// Hand-written (no plotting dependency); pure, tested by plot.test.ts.

const PANEL = { width: 360, height: 260, left: 58, right: 14, top: 30, bottom: 46 };
const LEGEND_HEIGHT = 28;
const COLORS = ['#1f77b4', '#2ca02c', '#d62728', '#9467bd', '#ff7f0e', '#8c564b'];

/** Ticks from 0 to a round value ≥ `max`, about `target` of them, at 1, 2 or 5 × 10^k steps. */
export function niceTicks(max, target = 5) {
  if (!(max > 0)) return [0, 1];
  const rough = max / target;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((factor) => factor * magnitude).find((candidate) => candidate >= rough);
  const ticks = [];
  for (let index = 0; ticks.at(-1) === undefined || ticks.at(-1) < max; index++)
    ticks.push(Number((index * step).toPrecision(12)));
  return ticks;
}

/** The linear map from `[domainStart, domainEnd]` onto `[rangeStart, rangeEnd]`. */
export function linearScale([domainStart, domainEnd], [rangeStart, rangeEnd]) {
  return (value) => rangeStart + ((value - domainStart) / (domainEnd - domainStart)) * (rangeEnd - rangeStart);
}

/** A tick label: thousands as `5k`, other values with at most two decimals. */
export function tickLabel(value) {
  if (value >= 1000 && value % 1000 === 0) return `${value / 1000}k`;
  return String(Number(value.toFixed(2)));
}

const escapeXml = (text) =>
  String(text).replace(/[<>&"]/g, (char) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[char]);
const round = (value) => Number(value.toFixed(1));

/** One panel at horizontal offset `offsetX`: `figure` of every curve's points versus their count. */
function panel({ curves, figure, title, unit, offsetX }) {
  const points = curves.flatMap((curve) => curve.points.filter((point) => point[figure] !== undefined));
  const xTicks = niceTicks(Math.max(0, ...points.map((point) => point.count)));
  const yTicks = niceTicks(Math.max(0, ...points.map((point) => point[figure])));
  const { width, height, left, right, top, bottom } = PANEL;
  const x = linearScale([0, xTicks.at(-1)], [offsetX + left, offsetX + width - right]);
  const y = linearScale([0, yTicks.at(-1)], [height - bottom, top]);
  const parts = [
    `<text x="${offsetX + left}" y="${top - 12}" font-weight="bold">${escapeXml(title)}</text>`,
    `<g class="axis" stroke="#444">`,
    `<line x1="${x(0)}" y1="${y(0)}" x2="${x(xTicks.at(-1))}" y2="${y(0)}"/>`,
    `<line x1="${x(0)}" y1="${y(0)}" x2="${x(0)}" y2="${y(yTicks.at(-1))}"/>`,
    `</g>`,
  ];
  for (const tick of xTicks)
    parts.push(
      `<line x1="${round(x(tick))}" y1="${y(0)}" x2="${round(x(tick))}" y2="${y(0) + 4}" stroke="#444"/>`,
      `<text class="x-tick" x="${round(x(tick))}" y="${y(0) + 16}" text-anchor="middle">${tickLabel(tick)}</text>`,
    );
  for (const tick of yTicks)
    parts.push(
      `<line x1="${x(0)}" y1="${round(y(tick))}" x2="${x(xTicks.at(-1))}" y2="${round(y(tick))}" stroke="#e4e4e4"/>`,
      `<text class="y-tick" x="${x(0) - 6}" y="${round(y(tick)) + 4}" text-anchor="end">${tickLabel(tick)}</text>`,
    );
  parts.push(
    `<text x="${round((x(0) + x(xTicks.at(-1))) / 2)}" y="${height - 10}" text-anchor="middle">N (Widgets)</text>`,
    `<text transform="translate(${offsetX + 14} ${round((y(0) + top) / 2)}) rotate(-90)" text-anchor="middle">${escapeXml(unit)}</text>`,
  );
  for (const [index, curve] of curves.entries()) {
    const own = curve.points.filter((point) => point[figure] !== undefined).sort((a, b) => a.count - b.count);
    if (own.length === 0) continue;
    const color = COLORS[index % COLORS.length];
    const coordinates = own.map((point) => `${round(x(point.count))},${round(y(point[figure]))}`);
    parts.push(
      `<path class="series" data-operator="${escapeXml(curve.name)}" d="M ${coordinates.join(' L ')}" fill="none" stroke="${color}" stroke-width="2"/>`,
      ...coordinates.map((xy) => {
        const [cx, cy] = xy.split(',');
        return `<circle cx="${cx}" cy="${cy}" r="3" fill="${color}"/>`;
      }),
    );
  }
  return parts;
}

/**
 * The SVG document: `panels` (`[{ figure, title, unit }]`, `figure` a key of the points) side by
 * side over `curves` (`[{ name, points: [{ count, …figures }] }]`, one colour each), a legend below.
 */
export function scalePlotSvg({ curves, panels, caption }) {
  const width = PANEL.width * panels.length;
  const height = PANEL.height + LEGEND_HEIGHT + (caption ? 18 : 0);
  const legend = curves.map((curve, index) => {
    const lx = 16 + index * 150;
    const ly = PANEL.height + 14;
    const color = COLORS[index % COLORS.length];
    return `<line x1="${lx}" y1="${ly}" x2="${lx + 22}" y2="${ly}" stroke="${color}" stroke-width="2"/><circle cx="${lx + 11}" cy="${ly}" r="3" fill="${color}"/><text class="legend" x="${lx + 28}" y="${ly + 4}">${escapeXml(curve.name)}${curve.points.length === 0 ? ' (no run)' : ''}</text>`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    ...panels.flatMap((spec, index) => panel({ curves, ...spec, offsetX: index * PANEL.width })),
    ...legend,
    ...(caption ? [`<text x="16" y="${height - 8}" fill="#555">${escapeXml(caption)}</text>`] : []),
    '</svg>',
    '',
  ].join('\n');
}
