import { describe, expect, it } from 'vitest';
import { linearScale, niceTicks, scalePlotSvg, tickLabel } from './plot.js';

describe('niceTicks', () => {
  it('steps by 1, 2 or 5 × 10^k from 0 up to the first tick at or above the maximum', () => {
    expect(niceTicks(20000)).toEqual([0, 5000, 10000, 15000, 20000]);
    expect(niceTicks(23)).toEqual([0, 5, 10, 15, 20, 25]);
    expect(niceTicks(0.7)).toEqual([0, 0.2, 0.4, 0.6, 0.8]);
    expect(niceTicks(90)).toEqual([0, 20, 40, 60, 80, 100]);
  });

  it('has an axis even with no data', () => {
    expect(niceTicks(0)).toEqual([0, 1]);
  });
});

describe('linearScale', () => {
  it('maps the domain onto the range, inverted ranges included (SVG y grows downwards)', () => {
    const y = linearScale([0, 100], [250, 50]);
    expect(y(0)).toBe(250);
    expect(y(100)).toBe(50);
    expect(y(25)).toBe(200);
  });
});

describe('tickLabel', () => {
  it('writes whole thousands as k and trims decimals', () => {
    expect(tickLabel(20000)).toBe('20k');
    expect(tickLabel(1500)).toBe('1500');
    expect(tickLabel(0.2)).toBe('0.2');
  });
});

const curves = [
  {
    name: 'kubeforge',
    points: [
      { count: 1000, createReadyS: 10, idleRssMiB: 60 },
      { count: 5000, createReadyS: 30, idleRssMiB: 80 },
      { count: 20000, createReadyS: 120, idleRssMiB: 200 },
    ],
  },
  {
    name: 'go',
    points: [
      { count: 5000, createReadyS: 28, idleRssMiB: 70 },
      { count: 1000, createReadyS: 9, idleRssMiB: 40 },
    ],
  },
  { name: 'fluent-client', points: [] },
];
const svg = scalePlotSvg({
  curves,
  panels: [
    { figure: 'createReadyS', title: 'create: time to all Ready', unit: 's' },
    { figure: 'idleRssMiB', title: 'idle RSS', unit: 'MiB' },
  ],
  caption: 'quick <run>',
});
const paths = [...svg.matchAll(/<path class="series" data-operator="([^"]+)" d="([^"]+)"/g)].map(([, name, d]) => ({
  name,
  points: d
    .slice(2)
    .split(' L ')
    .map((xy) => xy.split(',').map(Number)),
}));

describe('scalePlotSvg', () => {
  it('draws one line per operator with points in each panel, none for an operator without points', () => {
    expect(paths.map((path) => path.name)).toEqual(['kubeforge', 'go', 'kubeforge', 'go']);
    expect(paths.map((path) => path.points.length)).toEqual([3, 2, 3, 2]);
    expect(svg).toContain('fluent-client (no run)');
  });

  it('orders each line by N and puts larger figures higher', () => {
    for (const { points } of paths) {
      const xs = points.map(([x]) => x);
      expect(xs).toEqual([...xs].sort((a, b) => a - b));
    }
    const [kubeforgeTime] = paths;
    const ys = kubeforgeTime.points.map(([, y]) => y);
    expect(ys[0]).toBeGreaterThan(ys[1]);
    expect(ys[1]).toBeGreaterThan(ys[2]);
  });

  it('places points on the axes scales: same N at the same x in a panel, x proportional to N', () => {
    const [kubeforgeTime, goTime] = paths;
    expect(goTime.points[0][0]).toBe(kubeforgeTime.points[0][0]);
    const [x1000, x5000, x20000] = kubeforgeTime.points.map(([x]) => x);
    const origin = x1000 - (x20000 - x1000) / 19;
    expect((x5000 - origin) / (x20000 - origin)).toBeCloseTo(0.25, 2);
  });

  it('labels the ticks of both axes and escapes text', () => {
    const xTicks = [...svg.matchAll(/class="x-tick"[^>]*>([^<]+)</g)].map(([, label]) => label);
    expect(xTicks).toEqual(['0', '5k', '10k', '15k', '20k', '0', '5k', '10k', '15k', '20k']);
    const yTicks = [...svg.matchAll(/class="y-tick"[^>]*>([^<]+)</g)].map(([, label]) => label);
    expect(yTicks).toEqual(['0', '50', '100', '150', '0', '50', '100', '150', '200']);
    expect(svg).toContain('quick &lt;run&gt;');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  });
});
