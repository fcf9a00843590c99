/**
 * The spend dashboard's charts (recharts). Colours come from the theme's CSS
 * variables, so light and dark follow the rest of the app.
 */
import { useMemo, useState, type ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { SpendRow } from '../../shared/contract';
import { formatDate } from '../lib/format';
import { costPerRun, fillDays, formatUsd, scatterSeries, type LatencyAxis } from '../lib/spend';
import type { SpendData } from '../store/spendSlice';

export const CHART_COLORS = Array.from({ length: 8 }, (_, i) => `var(--chart-${i + 1})`);
const HEIGHT = 220;
const TOP_N = 10;
const RUNS_SHOWN = 60;

const tick = { fill: 'var(--text-muted)', fontSize: 11 };
const grid = { stroke: 'var(--border)', strokeDasharray: '3 3' };
const tooltip = {
  contentStyle: { background: 'var(--bg-elev)', border: '1px solid var(--border-strong)', borderRadius: 6, color: 'var(--text)', fontSize: 12 },
  labelStyle: { color: 'var(--text)', fontWeight: 600 },
  itemStyle: { color: 'var(--text)' },
  cursor: { fill: 'var(--bg-hover)' },
};
/** Axis ticks: two significant digits are enough to read a scale, and they fit the axis. */
export function usdTick(v: number): string {
  if (v === 0) return '$0';
  if (v >= 100) return `$${Math.round(v)}`;
  const [whole, frac = ''] = Number(v.toPrecision(2)).toFixed(12).replace(/0+$/, '').split('.');
  return `$${whole}.${frac.padEnd(2, '0')}`;
}
const tokensTick = (v: number): string => (v >= 1_000_000 ? `${Number((v / 1e6).toFixed(1))}M` : v >= 1000 ? `${Number((v / 1000).toFixed(1))}K` : String(v));
const usdValue = (v: unknown): string => (typeof v === 'number' ? formatUsd(v) : String(v));

function ChartCard({ title, testId, note, children, wide }: { title: string; testId: string; note?: ReactNode; children: ReactNode; wide?: boolean }) {
  return (
    <figure className={`chart-card${wide ? ' chart-wide' : ''}`} data-testid={testId}>
      <figcaption>
        <span className="chart-title">{title}</span>
        {note && <span className="chart-note muted">{note}</span>}
      </figcaption>
      {children}
    </figure>
  );
}

function addUnpriced(a: SpendRow, b: SpendRow): Pick<SpendRow, 'unpriced'> {
  if (!a.unpriced && !b.unpriced) return {};
  const x = a.unpriced ?? { columns: 0, inputTokens: 0, outputTokens: 0 };
  const y = b.unpriced ?? { columns: 0, inputTokens: 0, outputTokens: 0 };
  return { unpriced: { columns: x.columns + y.columns, inputTokens: x.inputTokens + y.inputTokens, outputTokens: x.outputTokens + y.outputTokens } };
}

/** Who used tokens at no known price: counted beside the spend, never added to it. */
function UnpricedCard({ rows }: { rows: SpendRow[] }) {
  const unpriced = rows.filter((r) => r.unpriced);
  if (unpriced.length === 0) return null;
  return (
    <ChartCard title="Unpriced usage" testId="chart-unpriced" note="tokens of endpoints with no known price">
      <table className="table spend-unpriced">
        <thead>
          <tr>
            <th scope="col">provider</th>
            <th scope="col">columns</th>
            <th scope="col">tokens in</th>
            <th scope="col">tokens out</th>
            <th scope="col">cost</th>
          </tr>
        </thead>
        <tbody>
          {unpriced.map((r) => (
            <tr key={r.key} data-testid="unpriced-row" data-key={r.key}>
              <td className="mono">{r.key}</td>
              <td>{r.unpriced!.columns}</td>
              <td>{r.unpriced!.inputTokens.toLocaleString('en-US')}</td>
              <td>{r.unpriced!.outputTokens.toLocaleString('en-US')}</td>
              <td className="muted">unpriced</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ChartCard>
  );
}

/** Horizontal bars for the biggest keys (providers, models); the rest are summed as "other". */
export function topRows(rows: SpendRow[], n = TOP_N): SpendRow[] {
  if (rows.length <= n) return rows;
  const rest = rows.slice(n - 1).reduce<SpendRow>((s, r) => ({ ...s, usd: s.usd + r.usd, runs: s.runs + r.runs, inputTokens: s.inputTokens + r.inputTokens, outputTokens: s.outputTokens + r.outputTokens, ...addUnpriced(s, r) }), {
    key: `${rows.length - n + 1} others`,
    usd: 0,
    runs: 0,
    inputTokens: 0,
    outputTokens: 0,
  });
  return [...rows.slice(0, n - 1), rest];
}

function RankBars({ rows, testId, title }: { rows: SpendRow[]; testId: string; title: string }) {
  // A key that only used unpriced endpoints has no bar to show: its name says why.
  const data = topRows(rows).map((r) => (r.runs === 0 && r.unpriced ? { ...r, key: `${r.key} (unpriced)` } : r));
  return (
    <ChartCard title={title} testId={testId}>
      <ResponsiveContainer width="100%" height={Math.max(120, 28 * data.length + 40)}>
        <BarChart data={data} layout="vertical" margin={{ top: 4, right: 16, bottom: 4, left: 4 }}>
          <CartesianGrid {...grid} horizontal={false} />
          <XAxis type="number" tick={tick} tickFormatter={usdTick} stroke="var(--border-strong)" />
          <YAxis type="category" dataKey="key" tick={tick} width={150} stroke="var(--border-strong)" interval={0} />
          <Tooltip {...tooltip} formatter={(v) => [usdValue(v), 'spend']} />
          <Bar dataKey="usd" name="spend" fill="var(--chart-1)" isAnimationActive={false} radius={[0, 3, 3, 0]} maxBarSize={22} />
        </BarChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}

export function SpendCharts({ data, now }: { data: SpendData; now: number }) {
  const [axis, setAxis] = useState<LatencyAxis>('totalMs');
  const days = useMemo(
    () => fillDays(data.byDay, data.sinceMs, now).map((d) => ({ ...d, unpricedIn: d.unpriced?.inputTokens ?? 0, unpricedOut: d.unpriced?.outputTokens ?? 0 })),
    [data.byDay, data.sinceMs, now],
  );
  const anyUnpriced = days.some((d) => d.unpriced);
  const runs = useMemo(
    () =>
      costPerRun(data.entries)
        .slice(-RUNS_SHOWN)
        .map((r) => ({ ...r, label: formatDate(r.at).slice(5) })),
    [data.entries],
  );
  const series = useMemo(() => scatterSeries(data.entries, axis), [data.entries, axis]);
  const dayTick = (k: string): string => k.slice(5);

  return (
    <div className="chart-grid">
      <ChartCard title="Spend by day" testId="chart-spend-by-day" note="UTC days">
        <ResponsiveContainer width="100%" height={HEIGHT}>
          <BarChart data={days} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid {...grid} vertical={false} />
            <XAxis dataKey="key" tick={tick} tickFormatter={dayTick} stroke="var(--border-strong)" minTickGap={12} />
            <YAxis tick={tick} tickFormatter={usdTick} width={76} stroke="var(--border-strong)" />
            <Tooltip {...tooltip} formatter={(v) => [usdValue(v), 'spend']} />
            <Bar dataKey="usd" name="spend" fill="var(--chart-1)" isAnimationActive={false} radius={[3, 3, 0, 0]} maxBarSize={40} />
          </BarChart>
        </ResponsiveContainer>
      </ChartCard>

      <ChartCard title="Tokens by day" testId="chart-tokens-by-day" note={anyUnpriced ? 'input and output, unpriced included (marked)' : 'input and output'}>
        <ResponsiveContainer width="100%" height={HEIGHT}>
          <BarChart data={days} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid {...grid} vertical={false} />
            <XAxis dataKey="key" tick={tick} tickFormatter={dayTick} stroke="var(--border-strong)" minTickGap={12} />
            <YAxis tick={tick} tickFormatter={tokensTick} width={50} stroke="var(--border-strong)" />
            <Tooltip {...tooltip} formatter={(v, name) => [typeof v === 'number' ? v.toLocaleString('en-US') : String(v), name]} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            <Bar dataKey="inputTokens" name="input" stackId="t" fill="var(--chart-2)" isAnimationActive={false} maxBarSize={40} />
            <Bar dataKey="outputTokens" name="output" stackId="t" fill="var(--chart-3)" isAnimationActive={false} maxBarSize={40} />
            {anyUnpriced && <Bar dataKey="unpricedIn" name="input (unpriced)" stackId="t" fill="var(--chart-5)" isAnimationActive={false} maxBarSize={40} />}
            {anyUnpriced && <Bar dataKey="unpricedOut" name="output (unpriced)" stackId="t" fill="var(--chart-6)" isAnimationActive={false} maxBarSize={40} />}
          </BarChart>
        </ResponsiveContainer>
      </ChartCard>

      <RankBars rows={data.byProvider} testId="chart-by-provider" title="Spend by provider" />
      <RankBars rows={data.byModel} testId="chart-by-model" title="Spend by model" />
      <UnpricedCard rows={data.byProvider} />

      <ChartCard title="Cost per run" testId="chart-cost-per-run" note={runs.length >= RUNS_SHOWN ? `last ${RUNS_SHOWN} runs` : `${runs.length} run${runs.length === 1 ? '' : 's'}`}>
        <ResponsiveContainer width="100%" height={HEIGHT}>
          <BarChart data={runs} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid {...grid} vertical={false} />
            <XAxis dataKey="label" tick={tick} stroke="var(--border-strong)" minTickGap={16} />
            <YAxis tick={tick} tickFormatter={usdTick} width={76} stroke="var(--border-strong)" />
            <Tooltip
              {...tooltip}
              labelFormatter={(_l, payload) => {
                const r = payload?.[0]?.payload as (typeof runs)[number] | undefined;
                return r ? `run ${r.runId.slice(0, 10)} · ${r.columns} column${r.columns === 1 ? '' : 's'}` : '';
              }}
              formatter={(v) => [usdValue(v), 'cost']}
            />
            <Bar dataKey="usd" name="cost" fill="var(--chart-4)" isAnimationActive={false} radius={[3, 3, 0, 0]} maxBarSize={40} />
          </BarChart>
        </ResponsiveContainer>
      </ChartCard>

      <ChartCard
        title="Cost versus latency"
        testId="chart-cost-latency"
        note={
          <label className="chart-axis">
            <span className="sr-only">Latency axis</span>
            <select className="input" data-testid="scatter-axis" value={axis} onChange={(e) => setAxis(e.target.value as LatencyAxis)}>
              <option value="totalMs">total time</option>
              <option value="ttftMs">time to first token</option>
            </select>
          </label>
        }
      >
        <ResponsiveContainer width="100%" height={HEIGHT}>
          <ScatterChart margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
            <CartesianGrid {...grid} />
            <XAxis type="number" dataKey="x" name={axis === 'totalMs' ? 'total' : 'TTFT'} unit=" ms" tick={tick} stroke="var(--border-strong)" />
            <YAxis type="number" dataKey="y" name="cost" tick={tick} tickFormatter={usdTick} width={76} stroke="var(--border-strong)" />
            <Tooltip {...tooltip} cursor={{ stroke: 'var(--border-strong)' }} formatter={(v, name) => (name === 'cost' ? [usdValue(v), name] : [`${String(v)} ms`, name])} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            {series.map((s, i) => (
              <Scatter key={s.name} name={s.name} data={s.points} fill={CHART_COLORS[i % CHART_COLORS.length]} isAnimationActive={false} />
            ))}
          </ScatterChart>
        </ResponsiveContainer>
      </ChartCard>
    </div>
  );
}
