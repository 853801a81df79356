// Compiled by `tsc -p test/tsconfig.json` (types.test.mjs): index.d.ts accepts the documented
// calls and rejects wrong ones (each @ts-expect-error must be an error, or tsc fails).
import cw = require('../index.js');
import type {
  ChannelwiseError, Correlation, CreditRow, CrossCorrelation, ErrorCode, HeuristicRow, MannKendall, MarkovRow,
  PathTableColumns, RollingOriginErrors, TheilSen, Trend,
  EtsParams, EtsPrediction, FittedEts, ResidualAlert, StlDecomposition, MstlDecomposition, FittedIsolationForest,
  MadOutliers, HampelResult, EsdTest, SeasonalEsdTest, EsdDirection,
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
// tables as rows: each row's cells typed from the columns
const fromRows: PathTableColumns = cw.journey.pathTable(
  [{ userId: 'u', timestamp: 0, channel: 'a', campaign: null }, { userId: 'u', timestamp: 5, channel: 'b', cost: 2 }],
  [{ userId: 'u', timestamp: 9, value: 3 }],
);
const rowsCredit: HeuristicRow[] = cw.attribution.heuristics([{ path: 'a>b', conversions: 1 }, { path: 'b', conversions: 0, nulls: 2 }]);
// lead attributes as records: any key is an attribute, a cell one string, number or null
const scored: cw.LeadScore[] = cw.leads.score({ lead: ['a'], timestamp: [0], event: ['visit'] }, {}, 0, [{ lead: 'a', title: 'VP', employees: null }]);
// timestamps as Dates, in columns and in rows
const dated: PathTableColumns = cw.journey.pathTable(
  { userId: ['u'], timestamp: [new Date(0)], channel: ['a'] },
  [{ userId: 'u', timestamp: new Date(1000), value: 1 }],
);
const scoredAt: cw.LeadScore[] = cw.leads.score({ lead: ['a'], timestamp: [new Date(0)], event: ['visit'] }, {}, new Date());
const mergedRows: cw.PathTableData = cw.journey.merge([[{ path: 'a>b', conversions: 1 }], { path: ['b'], conversions: [2] }]);
void [fromRows, rowsCredit, scored, dated, scoredAt, mergedRows];
// @ts-expect-error a time is a number or a Date, not a string
cw.journey.pathTable([{ userId: 'u', timestamp: '2024-01-01', channel: 'a' }], []);
// @ts-expect-error an attribute is one value, not a list
cw.leads.score({ lead: ['a'], timestamp: [0], event: ['visit'] }, {}, 0, [{ lead: 'a', title: ['VP'] }]);
// @ts-expect-error a row's channel is one string
cw.journey.pathTable([{ userId: 'u', timestamp: 0, channel: ['a'] }], []);
// @ts-expect-error a row has no report (the whole table's)
cw.attribution.heuristics([{ path: 'a', conversions: 1, report: null }]);
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

// ETS, decomposition and anomaly detection.
const y = [30, 21, 29, 31, 40, 48, 53, 47, 37, 39, 31, 29];
const auto: FittedEts = new cw.forecast.AutoEts({ seasonLength: 4, model: 'ZZZ', damped: null, restrict: true, ic: 'bic', seed: 1 }).fit(y);
const ets: FittedEts = new cw.forecast.Ets({ error: 'M', trend: 'A', damped: true, season: 'M', seasonLength: 4, seed: 0 }).fit(new Float64Array(y));
const etsAsync: Promise<FittedEts> = new cw.forecast.Ets().fitAsync(y);
const autoAsync: Promise<FittedEts> = new cw.forecast.AutoEts().fitAsync(y);
const name: string = auto.model;
const crit: number = auto.aic + auto.aicc + auto.bic + auto.logLik + auto.sigma2 + auto.nParams;
const ep: EtsParams = ets.params;
const phi: number | null = ep.phi;
const season0: number[] | null = ep.initialSeasonal;
const series: Float64Array[] = [auto.fitted, auto.residuals, auto.innovations];
const pred: EtsPrediction = auto.predict(4, { level: [80, 95] });
const pred1: EtsPrediction = auto.predict(4, { level: 90 });
const lo80: Float64Array | undefined = pred.intervals[0]?.lower;
const sim: boolean = pred.simulated;
const al: ResidualAlert[] = auto.alerts({ level: 99 });
const side: 'above' | 'below' | undefined = al[0]?.direction;
const d: StlDecomposition = cw.forecast.stl(y, { period: 4, seasonal: 7, trend: null, robust: true, innerIter: 2, outerIter: 15 });
const fs: number = d.seasonalStrength + d.trendStrength;
const md: MstlDecomposition = cw.forecast.mstl(y, { periods: [2, 4], windows: [7, 11], iterate: 2, lmbda: 0.5, robust: false });
const weekly: Float64Array | undefined = md.seasonal[1];
const forest = new cw.anomaly.IsolationForest({ nEstimators: 50, maxSamples: { fraction: 0.5 }, contamination: 0.1, maxFeatures: { count: 1 }, bootstrap: true, seed: 3 });
const fitted2: FittedIsolationForest = forest.fit([[0, 1], [1, 0], [9, 9]]);
const fittedAsync: Promise<FittedIsolationForest> = new cw.anomaly.IsolationForest({ maxSamples: 'auto', contamination: 'auto', maxFeatures: 0.5 }).fitAsync(new Float64Array(6), 2);
const sc: Float64Array = fitted2.scoreSamples(new Float64Array([0, 1]));
const scRows: Float64Array = fitted2.scoreSamples([new Float64Array([0, 1])]);
const df: Float64Array = fitted2.decisionFunction([[0, 1]]);
const pr8: Int8Array = fitted2.predict([0, 1, 2, 3], 2);
const off: number = fitted2.offset;
const apl: number = cw.anomaly.averagePathLength(256);
const madv: number = cw.anomaly.mad(y);
const mo: MadOutliers = cw.anomaly.madOutliers(y, { threshold: 3 });
const hp: HampelResult = cw.anomaly.hampel(y, { halfWindow: 2, nSigmas: 3 });
const dir: EsdDirection = 'neg';
const es: EsdTest = cw.anomaly.esd(y, { maxAnoms: 0.2, alpha: 0.05, direction: dir });
const ses: SeasonalEsdTest = cw.anomaly.seasonalEsd(y, { period: 4, direction: 'both' });
const ra: ResidualAlert[] = cw.anomaly.residualAlerts({ actual: y, expected: y, lower: y, upper: y }, { level: 80 });
void [scRows, name, crit, phi, season0, series, pred1, lo80, sim, side, fs, weekly, etsAsync, autoAsync, fittedAsync, sc, df, pr8, off, apl, madv, mo, hp, es, ses, ra];

// @ts-expect-error trend is 'N' or 'A' (damped is its own option)
new cw.forecast.Ets({ trend: 'Ad' });
// @ts-expect-error options are camelCase
new cw.forecast.AutoEts({ season_length: 12 });
// @ts-expect-error ic is one of three names
new cw.forecast.AutoEts({ ic: 'hqic' });
// @ts-expect-error a fitted model comes from fit
new cw.forecast.FittedEts();
// @ts-expect-error fitted values are read-only
auto.fitted = new Float64Array(1);
// @ts-expect-error logLik is camelCase
auto.loglik;
// @ts-expect-error stl needs a period
cw.forecast.stl(y, { seasonal: 7 });
// @ts-expect-error mstl needs periods
cw.forecast.mstl(y, { windows: [7] });
// @ts-expect-error maxSamples is 'auto', a count or { fraction }
new cw.anomaly.IsolationForest({ maxSamples: 'all' });
// @ts-expect-error a fitted forest comes from fit
new cw.anomaly.FittedIsolationForest();
// @ts-expect-error direction is 'pos', 'neg' or 'both'
cw.anomaly.esd(y, { direction: 'up' });
// @ts-expect-error seasonalEsd needs a period
cw.anomaly.seasonalEsd(y, {});
// @ts-expect-error residualAlerts takes the four series in one object
cw.anomaly.residualAlerts(y, y, y, y);

// Response curves and the media mix model.
const hill = new cw.optimize.Saturation({ kind: 'hill', slope: 2, kappa: 100, beta: 50 });
const hv: Float64Array = hill.value(10);
const hm: Float64Array = hill.inverseMarginal([0.1, 0.2]);
const hillSpec: cw.SaturationSpec = hill.spec;
const sShaped: boolean = hill.isSShaped;
const robyn: cw.Saturation = cw.optimize.Saturation.robynHill(2, 0.5, y);
const geo = new cw.optimize.Adstock({ kind: 'geometric', alpha: 0.5, lMax: 4, normalize: false });
const carried: Float64Array = geo.apply(y, [1, 2]);
const mmmSpec = new cw.optimize.MMM({ lMax: 4, uncertainty: 'bootstrap', replicates: 50, priors: { 'tv.adstock.alpha': { dist: 'beta', alpha: 2, beta: 2 } } });
const mmmData = { target: y, channels: { tv: y, search: new Float64Array(y.length) }, days: ['2024-01-07'] };
const mmm: cw.FittedMMM = mmmSpec.fit(mmmData);
const mmmAsync: Promise<cw.FittedMMM> = mmmSpec.fitAsync(mmmData, { onProgress: (p) => p.done, signal: new AbortController().signal });
const shareLo: number = mmm.summary()[0].shareLo;
const tvParts: Float64Array = mmm.contributions().channels.tv;
const steady: cw.Saturation | null = mmm.steadyStateCurve('tv');
const mmmBack: cw.FittedMMM = cw.optimize.FittedMMM.fromJSON(JSON.stringify(mmm));
const r2: number = mmm.diagnostics.r2;
// @ts-expect-error a saturation kind's parameters are its own
new cw.optimize.Saturation({ kind: 'hill', lam: 1, beta: 1 });
// @ts-expect-error uncertainty is 'laplace', 'bootstrap' or 'none'
new cw.optimize.MMM({ uncertainty: 'mcmc' });
// @ts-expect-error fit needs the target
mmmSpec.fit({ channels: { tv: y } });

// platform.*
const hashed: cw.UserData = cw.platform.hashUserData({ em: ['a@b.co'], ph: '+16505551212' }, { vendor: 'meta', googleEmail: 'sdk' });
const phone: string = cw.platform.normalize('ph', '+1 650 555 1212', { vendor: 'google' });
const valid: boolean = cw.platform.verifyWebhook({ scheme: 'shopify', secret: 's', body: new TextEncoder().encode('{}'), header: 'h', now: 1, toleranceSeconds: Infinity });
const verdict: cw.TimestampedVerdict = cw.platform.checkTimestamped({ scheme: 'timestamped', secret: 's', body: '{}', header: 't=1,v1=00' });
const signed: string = cw.platform.signWebhook({ scheme: 'meta', secret: new Uint8Array([1]), body: '{}' });
const market = new cw.platform.SimMarket({ seed: 1, faults: { timeout: 0.1 } });
const rows: cw.PlatformResult<cw.MetricsRow[]> = market.readMetrics({ from: '2026-01-05', to: '2026-01-06', entities: ['search'] });
const spent: number = rows.ok ? rows.value[0].spend : 0;
const results = market.applyChanges([{ key: 'k', entity: 'search', action: { kind: 'budget', daily: 100 } }]);
const plan: cw.Disposition = results.ok ? { action: 'retry' } : cw.platform.classify(results.error, market.nowMs, { throttleWaitMs: 1000 });
// @ts-expect-error the scheme is one of three
cw.platform.verifyWebhook({ scheme: 'github', secret: 's', body: '{}', header: 'h' });
// @ts-expect-error a change action is a budget, bid or status
market.applyChanges([{ key: 'k', entity: 'search', action: { kind: 'budget', amount: 1 } }]);

// platform.* request bodies and report readers
const capi: cw.VendorBody[] = cw.platform.metaCapiEvents([{ event_name: 'Purchase', event_time: 1, action_source: 'website', user_data: { em: 'a@b.co' }, custom_data: { currency: 'USD', value: 1 } }], { nowMs: 1000, batchSize: 500 });
const metaChange: cw.VendorRequest = cw.platform.metaChangeRequest({ key: 'k', entity: '1', action: { kind: 'bid', amount: 0.5 } }, 'USD');
const gaBodies: cw.VendorBody[] = cw.platform.ga4Requests({ client_id: '1.2', events: [{ name: 'purchase', params: { value: 1 } }] }, { ga360: true });
const uploads: cw.VendorRequest[] = cw.platform.googleAdsClickConversions([{ gclid: 'g', conversion_action: 'customers/1/conversionActions/2', conversion_date_time: cw.platform.googleAdsDateTime(0, 60) }], { customerId: '1', validateOnly: true });
const mutate: cw.VendorRequest[] = cw.platform.googleAdsMutate([{ key: 'k', entity: 'customers/1/campaigns/2', action: { kind: 'status', status: 'paused' } }], { partialFailure: false });
const report: cw.MetricsReport = cw.platform.metaInsights({ data: [] }, { timeZone: 'UTC', conversionActionTypes: ['lead'] });
const reportRows: cw.MetricsRow[] = cw.platform.googleAdsMetrics([], { timeZone: 'UTC' }).rows.concat(cw.platform.ga4RunReport({}, { entity: 'campaignId' }).rows);
// @ts-expect-error the action source is one of Meta's
cw.platform.metaCapiEvents([{ event_name: 'Lead', event_time: 1, action_source: 'fax' }]);
// @ts-expect-error the customer id is required
cw.platform.googleAdsClickConversions([], {});

// experiment.*
const zt: cw.ZTestResult = cw.experiment.ztest({ n: 100, successes: 10 }, [1, 0, 1], { alpha: 0.1, alternative: 'larger' });
const rel: number | undefined = zt.relative?.estimate;
const wt: cw.WelchResult = cw.experiment.welch({ n: 10, sum: 5, sumSquares: 9 }, new Float64Array([1, 2, 3]));
const post: cw.BayesResult = cw.experiment.bayes({ n: 10, mean: 1, variance: 2 }, { n: 10, successes: 3 }, { prior: { mean: 0, variance: 0.1 }, relative: false });
const bb: cw.BetaBinomialResult = cw.experiment.betaBinomial({ n: 10, successes: 3 }, { n: 10, successes: 4 }, { prior: { alpha: 2, beta: 8 } });
const pw: cw.PowerResult = cw.experiment.power({ p1: 0.1, p2: 0.12, power: 0.8, ratio: 2 });
const cu: cw.CupedResult = cw.experiment.cuped({ n: 3, sum: 1, sumSquares: 1, preSum: 1, preSumSquares: 1, sumProducts: 1 }, { n: 3, sum: 1, sumSquares: 1, preSum: 1, preSumSquares: 1, sumProducts: 1 });
const look: cw.SequentialResult = cw.experiment.sequential(cu.a, cu.b, { tuning: 2000 });
const looks: cw.GroupSequentialLook[] = cw.experiment.groupSequential([0.5, 1], { spending: { power: { rho: 2 } }, twoSided: false });
const chi: number = cw.experiment.chisq([{ n: 10, successes: 1 }, { n: 10, successes: 2 }]).pValue;
const bandit = new cw.experiment.Bandit({ policy: { name: 'lin_ucb', dim: 2 }, arms: ['a', 'b'], seed: 1, discount: 0.99 });
const chosen: string = bandit.choose([1, 0], ['a']);
bandit.update(chosen, 1, new Float64Array([1, 0]));
bandit.updateBatch([{ arm: 'a', reward: 0, context: [0, 1] }]);
const weights: cw.ArmWeight[] = bandit.weights({ context: [1, 1], draws: 100 });
const armsSeen: cw.BanditArm[] = bandit.summary();
const resumed: InstanceType<typeof cw.experiment.Bandit> = cw.experiment.Bandit.fromJSON(JSON.stringify(bandit));
const decisions: number = resumed.decisions;
// @ts-expect-error a linear policy needs its dim
new cw.experiment.Bandit({ policy: { name: 'lin_ucb' } });
// @ts-expect-error the alternative is one of three
cw.experiment.ztest({ n: 1, successes: 0 }, { n: 1, successes: 0 }, { alternative: 'greater' });

// decide.*
const risk: cw.Risk = cw.decide.assessRisk({ kind: 'budget', entity: 'search', from: 100, to: 110, confidence: 0.9 }, { lowChange: 0.3 });
const level: cw.RiskLevel = cw.decide.riskLevel(risk.change, risk.spend, risk.confidence);
const staged: cw.DecisionValue[] = cw.decide.stages({ firstStage: 0.4 }, 100, 300);
const gv: cw.Verdict = cw.decide.checkGuardrails({ accountDailyCap: 300, campaignDailyCap: { search: 200 } }, { entity: 'search', kind: 'budget', current: 100, target: 180, exposures: { search: { dailyBudget: 100, active: true } } });
if (gv.verdict === 'defer') gv.untilMs.toFixed();
const full: Required<cw.Policy> = cw.decide.validatePolicy({ autoApprove: 'medium' });
const adapter: cw.DecideAdapter = {
  applyChanges: (changes) => changes.map((c) => ({ key: c.key, entity: c.entity, outcome: { status: 'failed' as const, error: { kind: 'timeout' as const } } })),
  readEntity: (entity) => ({ entity, dailyBudget: 100, bid: null, status: 'active', updatedMs: 0 }),
  readMetrics: () => [],
  nowMs: () => Date.now(),
};
const eng = new cw.decide.Engine({ store: ':memory:', policy: full, adapters: Math.random() > 2 ? adapter : new cw.platform.SimMarket({ seed: 1 }) });
const dec: cw.Decision = eng.propose({ kind: 'budget', entity: 'search', from: 100, to: 110, confidence: 0.9 });
const out: cw.ExecOutcome = eng.execute(dec.id);
if (out.outcome === 'blocked') out.guardrail.length;
const chain: cw.ChainSummary = eng.verify();
const entries: cw.AuditEntry[] = eng.audit();
void [level, staged, chain, entries, eng.pending(), eng.runDue().map((r) => r.id), eng.stopped()?.by];
