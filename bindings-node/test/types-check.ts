// Compiled by `tsc -p test/tsconfig.json` (types.test.mjs): index.d.ts accepts the documented
// calls and rejects wrong ones (each @ts-expect-error must be an error, or tsc fails).
import cw = require('../index.js');
import type {
  ChannelwiseError, Correlation, CreditRow, CrossCorrelation, ErrorCode, HeuristicRow, MannKendall, MarkovRow,
  PathTableColumns, RollingOriginErrors, TheilSen, Trend,
} from '../index.js';

const table = { path: ['a>b', 'b'], conversions: new Float64Array([1, 2]), nulls: [0, 1] };

const h: HeuristicRow[] = cw.attribution.heuristics(table, { uShaped: [0.4, 0.4], wShaped: [0.3, 0.3, 0.3], sep: '>' });
const m: MarkovRow[] = cw.attribution.markov(table, { order: 2, horizon: 'ca', useNulls: false, ci: { replicates: 50, level: 0.9, seed: 1 } });
const lo: number | undefined = m[0]?.conversionsLo;
const p: Promise<MarkovRow[]> = cw.attribution.markovAsync(table, { horizon: null, ci: true });
const s: CreditRow[] = cw.attribution.shapley(table, { ci: false });
const o = cw.attribution.orderedShapley(table);
const first: number[] = o[0]?.conversions ?? [];
const fitted = new cw.attribution.Markov({ order: 1 }).fit(table, { sep: '>' });
const pc: number = fitted.conversionProbability;
const steps: number | null = fitted.horizonSteps;
const tr: { from: string; to: string; probability: number }[] = fitted.transitions();
const sh: CreditRow[] = fitted.shapley({ method: 'sampled', permutations: 100, seed: 2 });
const pt: PathTableColumns = cw.journey.pathTable(
  { userId: ['u'], timestamp: [0], channel: ['a'], campaign: [null], cost: [1], eventId: ['t'] },
  { userId: ['u'], timestamp: [1], value: [2], type: ['purchase'] },
  { lookback: 86400, sessionGap: null, level: 'channel_campaign', leadKind: 'lead', sep: ' > ' },
);
const again: MarkovRow[] = cw.attribution.markov(pt);
const td: CreditRow[] = cw.attribution.timeDecay({ userId: [], timestamp: [], channel: [] }, { userId: [], timestamp: [] }, { halfLifeSeconds: 3600 });
const codes: readonly ErrorCode[] = cw.ERROR_CODES;

const k: Correlation = cw.stats.kendall([1, 2, 3], new Float64Array([3, 1, 2]));
const pv: number = k.pValue;
const pr: Correlation = cw.stats.pearson([1, 2, 3], [1, 2, 4]);
const sp: Correlation = cw.stats.spearman([1, 2, 3], [1, 2, 4]);
const cc: CrossCorrelation = cw.stats.crossCorrelation([1, 2, 3], [1, 3, 2], 1);
const mk: MannKendall = cw.stats.mannKendall([1, 2, 3, 5], { alpha: 0.1 });
const trend: Trend = mk.trend;
const varS: number = mk.varS;
const ts: TheilSen = cw.stats.theilSen([0, 1, 2], [1, 2, 4]);
const hi: number = ts.highSlope;
const errs: number[] = [
  cw.forecast.metrics.mae([1], [1]),
  cw.forecast.metrics.rmse([1], [1]),
  cw.forecast.metrics.mape([1], [1]),
  cw.forecast.metrics.smape([1], [1]),
  cw.forecast.metrics.mase([1], [1], [1, 2], { m: 1 }),
  cw.forecast.metrics.coverage([1], [0], [2]),
  cw.forecast.metrics.winkler([1], [0], [2], 0.05),
];
const cv = new cw.forecast.RollingOrigin(5, 2);
const folds: number = cv.nFolds(10) + cv.initial + cv.horizon + cv.step;
const ro: RollingOriginErrors = cv.evaluate([1, 2, 3, 4, 5, 6, 7], (train, h) => new Array<number>(h).fill(train[train.length - 1] ?? 0));
const ro2: RollingOriginErrors = new cw.forecast.metrics.RollingOrigin(2, 1, 1).evaluate(new Float64Array(4), (train) => train.subarray(0, 1));
const byFold: number[][] = ro.errors;

try {
  cw.attribution.markov(table);
} catch (e) {
  const code: ErrorCode = (e as ChannelwiseError).code;
  void code;
}

// @ts-expect-error path must be string[]
cw.attribution.markov({ path: 'a>b', conversions: [1] });
// @ts-expect-error conversions are required
cw.attribution.markov({ path: ['a'] });
// @ts-expect-error order is a number
cw.attribution.markov(table, { order: '2' });
// @ts-expect-error options are camelCase
cw.attribution.markov(table, { use_nulls: true });
// @ts-expect-error horizon is null, a number or 'ca'
cw.attribution.markov(table, { horizon: 'forever' });
// @ts-expect-error a fitted chain comes from Markov.fit
new cw.attribution.FittedMarkov();
// @ts-expect-error level is 'channel' or 'channel_campaign'
cw.journey.pathTable({ userId: [], timestamp: [], channel: [] }, { userId: [], timestamp: [] }, { level: 'campaign' });

void [h, lo, p, s, first, pc, steps, tr, sh, again, td, codes];
// @ts-expect-error pValue is camelCase
cw.stats.kendall([1], [1]).p_value;
// @ts-expect-error series are numbers
cw.stats.kendall(['1'], [1]);
// @ts-expect-error maxLag is required
cw.stats.crossCorrelation([1], [1]);
// @ts-expect-error alpha goes in an options object
cw.stats.mannKendall([1, 2, 3], 0.05);
// @ts-expect-error trend is one of three labels
const badTrend: Trend = 'up';
// @ts-expect-error winkler needs alpha
cw.forecast.metrics.winkler([1], [0], [2]);
// @ts-expect-error the callback returns numbers
cv.evaluate([1, 2, 3], () => 'naive');
// @ts-expect-error the model is a callback, not a name
cv.evaluate([1, 2, 3], 'naive');
