// Type definitions for channelwise (Node.js bindings of the Rust core).
//
// Data in: plain objects of columns (`number[]` or `Float64Array` for numbers).
// Data out: plain objects (one per channel for attribution), camelCase.

/** Every `code` a channelwise error can carry. */
export type ErrorCode =
  | 'out_of_range'
  | 'non_finite'
  | 'not_enough_data'
  | 'invalid_path'
  | 'invalid_record'
  | 'invalid_parameter'
  | 'length_mismatch'
  | 'not_converged'
  | 'io'
  | 'internal'
  | 'cancelled';

/**
 * What every channelwise function throws (or rejects with): a plain `Error` whose `message` is
 * the core's message and whose `code` is stable across releases. Match on `code`, not on the
 * wording. `internal` means a bug in channelwise: please report it.
 */
export interface ChannelwiseError extends Error {
  code: ErrorCode;
}

/** Every `code` a channelwise error can carry, in the core's order. */
export declare const ERROR_CODES: readonly ErrorCode[];

/** A column of numbers. */
export type Numbers = number[] | Float64Array;

/**
 * A path table: one row per path (duplicates add up). `path` holds channels joined by a
 * separator (`'>'` unless `options.sep` says otherwise); surrounding whitespace is trimmed.
 */
export interface PathTableInput {
  /** Paths, e.g. `'search > display > email'`. */
  path: string[];
  /** Converting journeys per row. */
  conversions: Numbers;
  /** Non-converting journeys per row (default: zeros). */
  nulls?: Numbers | null;
  /** Total conversion value per row (default: zeros). */
  value?: Numbers | null;
}

/** The path separator option shared by every function that reads a path table. */
export interface SepOption {
  /** Separator between channels in `path` (default `'>'`). */
  sep?: string;
}

/** Bootstrap intervals: `true` for the defaults, or the parameters. */
export type CiOption =
  | boolean
  | {
      /** Resampled tables (default 200, at least 10). */
      replicates?: number;
      /** Two-sided percentile interval level (default 0.95, in (0, 1)). */
      level?: number;
      /** Seed of the ChaCha8 stream (default 0): same seed, same intervals. */
      seed?: number;
    };

/** Touchpoint columns (one entry per touch; `null` in an optional column means none). */
export interface TouchpointColumns {
  /** The user (or any journey key). */
  userId: string[];
  /** Unix seconds (UTC), whole numbers. */
  timestamp: Numbers;
  /** Channel name. */
  channel: string[];
  /** Campaign within the channel. */
  campaign?: (string | null)[] | null;
  /** Cost of the touch. */
  cost?: (number | null)[] | Float64Array | null;
  /** Unique event id: a resent copy is dropped. */
  eventId?: (string | null)[] | null;
}

/** Conversion columns. */
export interface ConversionColumns {
  /** The user (same key as the touchpoints). */
  userId: string[];
  /** Unix seconds (UTC), whole numbers. */
  timestamp: Numbers;
  /** Conversion value (default: zeros). */
  value?: Numbers | null;
  /** Unique event id: a resent copy is dropped. */
  eventId?: (string | null)[] | null;
  /** Event kind (`'purchase'`, `'lead'`, ...); see `leadKind`. */
  type?: (string | null)[] | null;
}

/** How event logs are cut into journeys. */
export interface JourneyOptions {
  /** Seconds before a conversion in which a touch still counts (default 2 592 000, 30 days). */
  lookback?: number;
  /** Collapse consecutive touches of the same node at most this many seconds apart (default none). */
  sessionGap?: number | null;
  /** `'channel'` (default) or `'channel_campaign'` (nodes named `'channel | campaign'`). */
  level?: 'channel' | 'channel_campaign';
  /** A conversion of this `type` is a lead: it marks the journey's key touch instead of ending it. */
  leadKind?: string | null;
}

/** What building journeys did with the events (nothing is dropped silently). */
export interface BuildReport {
  journeys: number;
  conversions: number;
  unattributedConversions: number;
  unattributedValue: number;
  duplicatesDropped: number;
  duplicateConversions: number;
  touchesOutsideLookback: number;
  touchesCollapsed: number;
  leads: number;
}

/** A path table as columns (feed it to `attribution.*`). */
export interface PathTableColumns {
  path: string[];
  conversions: Float64Array;
  nulls: Float64Array;
  value: Float64Array;
  /** Index of the key (lead-creation) touch per row, or `null`. */
  keyTouch: (number | null)[];
  report: BuildReport;
}

/** One channel's credit under every rule-based model. */
export interface HeuristicRow {
  channel: string;
  firstTouchConversions: number;
  firstTouchValue: number;
  lastTouchConversions: number;
  lastTouchValue: number;
  linearConversions: number;
  linearValue: number;
  uShapedConversions: number;
  uShapedValue: number;
  wShapedConversions: number;
  wShapedValue: number;
}

/** Bootstrap interval columns, present when `ci` was asked for. */
export interface IntervalColumns {
  conversionsLo?: number;
  conversionsHi?: number;
  conversionsStdError?: number;
  valueLo?: number;
  valueHi?: number;
  valueStdError?: number;
}

/** One channel's Markov removal effect and credit. */
export interface MarkovRow extends IntervalColumns {
  channel: string;
  /** Share of conversions lost without the channel, in [0, 1]. */
  removalEffect: number;
  /** Share of value lost without the channel. */
  removalEffectValue: number;
  /** Credited conversions (removal effects scaled to total conversions). */
  conversions: number;
  /** Credited value. */
  value: number;
}

/** One channel's credit (Shapley, time decay). */
export interface CreditRow extends IntervalColumns {
  channel: string;
  conversions: number;
  value: number;
}

/** One channel's ordered-Shapley credit by touch position. */
export interface OrderedRow {
  channel: string;
  /** Credited conversions at touch position 0, 1, ... */
  conversions: number[];
  /** Credited value at touch position 0, 1, ... */
  value: number[];
}

/** One nonzero transition of a fitted chain. */
export interface TransitionRow {
  /** `'(start)'` or the state's channels joined by `','`. */
  from: string;
  /** A channel state, `'(conversion)'` or `'(null)'`. */
  to: string;
  probability: number;
}

export interface HeuristicsOptions extends SepOption {
  /** U-shaped shares of first and last touch (default `[0.4, 0.4]`). */
  uShaped?: [number, number] | number[];
  /** W-shaped shares of first, key and last touch (default `[0.3, 0.3, 0.3]`). */
  wShaped?: [number, number, number] | number[];
}

export interface MarkovSpec {
  /** Touches per state, 1..=64 (default 1). */
  order?: number;
  /**
   * `null`/absent: the exact infinite-horizon answer; a number T: journeys longer than T channel
   * states are dropped (ChannelAttribution's `max_step`); `'ca'`: ChannelAttribution's default cap.
   */
  horizon?: number | 'ca' | null;
  /** Whether non-converting journeys enter the chain (default `true`). */
  useNulls?: boolean;
}

export interface MarkovOptions extends MarkovSpec, SepOption {
  /** Bootstrap intervals (adds `conversionsLo`, `conversionsHi`, ... to each row). */
  ci?: CiOption;
}

export interface ShapleyOptions extends SepOption {
  /** Bootstrap intervals (adds `conversionsLo`, `conversionsHi`, ... to each row). */
  ci?: CiOption;
}

export interface MarkovShapleyOptions {
  /** `'exact'` enumerates every coalition (up to 20 channels, default); `'sampled'` samples permutations. */
  method?: 'exact' | 'sampled';
  /** Permutations to sample (default 1000, at least 2). */
  permutations?: number;
  /** Seed (default 0): same seed, same numbers on every machine and thread count. */
  seed?: number;
}

export interface TimeDecayOptions extends JourneyOptions {
  /** Half-life in seconds (default 604 800, 7 days). */
  halfLifeSeconds?: number;
}

/** A fitted Markov chain (from `new Markov(spec).fit(table)`). */
export declare class FittedMarkov {
  /** Not for direct use: always throws (`invalid_parameter`). */
  private constructor();
  /** Removal effects and credit, one row per channel. */
  credit(): MarkovRow[];
  /** The nonzero transitions, rows in state order. */
  transitions(): TransitionRow[];
  /** Shapley credit of the Markov game (standard errors when sampled). */
  shapley(options?: MarkovShapleyOptions): CreditRow[];
  /** Channel names, in table order. */
  readonly channels: string[];
  /** The order the chain was fitted with. */
  readonly order: number;
  /** The step cap used, or `null` for the exact answer. */
  readonly horizonSteps: number | null;
  /** Number of channel states. */
  readonly nStates: number;
  /** Probability that a journey from `(start)` converts (within the horizon). */
  readonly conversionProbability: number;
  /** Removal effect of each channel, in `channels` order. */
  readonly removalEffects: number[];
  /** Removal effect of each channel on value, in `channels` order. */
  readonly removalEffectsValue: number[];
}

/** Markov-chain attribution spec. */
export declare class Markov {
  constructor(spec?: MarkovSpec);
  /** Builds and solves the chain. */
  fit(table: PathTableInput, options?: SepOption): FittedMarkov;
}

/** Multi-touch attribution. */
export declare const attribution: {
  /** Rule-based credit (first/last touch, linear, U- and W-shaped), one row per channel. */
  heuristics(table: PathTableInput, options?: HeuristicsOptions): HeuristicRow[];
  /** `heuristics` on a worker thread. */
  heuristicsAsync(table: PathTableInput, options?: HeuristicsOptions): Promise<HeuristicRow[]>;
  /** Markov-chain removal effects and credit, one row per channel. */
  markov(table: PathTableInput, options?: MarkovOptions): MarkovRow[];
  /** `markov` on a worker thread (the main thread stays free). */
  markovAsync(table: PathTableInput, options?: MarkovOptions): Promise<MarkovRow[]>;
  /** Shapley credit of the subset game (closed form), one row per channel. */
  shapley(table: PathTableInput, options?: ShapleyOptions): CreditRow[];
  /** `shapley` on a worker thread. */
  shapleyAsync(table: PathTableInput, options?: ShapleyOptions): Promise<CreditRow[]>;
  /** Shapley credit split by touch position. */
  orderedShapley(table: PathTableInput, options?: SepOption): OrderedRow[];
  /** Time-decay credit from event columns (needs timestamps). */
  timeDecay(touchpoints: TouchpointColumns, conversions: ConversionColumns, options?: TimeDecayOptions): CreditRow[];
  Markov: typeof Markov;
  FittedMarkov: typeof FittedMarkov;
};

/** Journeys: from event logs to path tables. */
export declare const journey: {
  /** Groups events into journeys and aggregates them to path-table columns. */
  pathTable(
    touchpoints: TouchpointColumns,
    conversions: ConversionColumns,
    options?: JourneyOptions & SepOption,
  ): PathTableColumns;
};

/** A correlation coefficient with its two-sided p-value (as scipy's result objects). */
export interface Correlation {
  /** Pearson's r, Spearman's rho or Kendall's tau-b. */
  statistic: number;
  /** Two-sided p-value of no association. */
  pValue: number;
  /** Number of pairs. */
  n: number;
}

/** Correlation at each lag `-maxLag..=maxLag`. */
export interface CrossCorrelation {
  /** Lags, ascending. */
  lags: number[];
  /** Correlation of `x[t + k]` with `y[t]` at each lag `k` (a peak at `k > 0`: `x` follows `y`). */
  values: number[];
}

/** Direction reported by the Mann-Kendall test. */
export type Trend = 'increasing' | 'decreasing' | 'no trend';

/** The Mann-Kendall trend test (fields as pymannkendall's `original_test`). */
export interface MannKendall {
  /** Direction of a significant trend, or `'no trend'`. */
  trend: Trend;
  /** Whether no-trend is rejected at level `alpha`. */
  h: boolean;
  /** Two-sided p-value. */
  p: number;
  /** Normal score of `s` with continuity correction. */
  z: number;
  /** Kendall's tau-a of the series against time. */
  tau: number;
  /** The Mann-Kendall score (increasing minus decreasing pairs). */
  s: number;
  /** Variance of `s` under no trend, corrected for ties. */
  varS: number;
  /** Series length. */
  n: number;
}

/** The Theil-Sen line with a `1 - alpha` confidence interval of the slope. */
export interface TheilSen {
  slope: number;
  intercept: number;
  lowSlope: number;
  highSlope: number;
}

/** Significance level of a test (default 0.05). */
export interface AlphaOption {
  alpha?: number;
}

/**
 * Classical statistics. Series are `number[] | Float64Array`; values must be finite
 * (`non_finite` names `x[i]` / `y[i]`), paired series equally long (`length_mismatch`), and a
 * series too short or constant for the statistic is `not_enough_data` (where scipy gives NaN).
 */
export declare const stats: {
  /** Pearson's product-moment correlation (`scipy.stats.pearsonr`); at least 3 pairs. */
  pearson(x: Numbers, y: Numbers): Correlation;
  /** Spearman's rank correlation (`scipy.stats.spearmanr`). */
  spearman(x: Numbers, y: Numbers): Correlation;
  /** Kendall's tau-b (`scipy.stats.kendalltau`: exact p without ties for small n). */
  kendall(x: Numbers, y: Numbers): Correlation;
  /** Correlation of `x[t + k]` with `y[t]` for `k = -maxLag..=maxLag` (R's `ccf`); `maxLag < n`. */
  crossCorrelation(x: Numbers, y: Numbers, maxLag: number): CrossCorrelation;
  /** The Mann-Kendall test for a monotone trend (`pymannkendall.original_test`); at least 3 values. */
  mannKendall(x: Numbers, options?: AlphaOption): MannKendall;
  /** Theil-Sen slope of `y` against `x` (`scipy.stats.theilslopes`); `alpha` in (0, 0.5]. */
  theilSen(x: Numbers, y: Numbers, options?: AlphaOption): TheilSen;
};

/** Errors of a rolling-origin evaluation, by fold and by horizon. */
export interface RollingOriginErrors {
  /** Forecast origin of each fold (the length of its training window). */
  origins: number[];
  /** `errors[fold][h]` is `actual - forecast` at `h + 1` steps ahead. */
  errors: number[][];
  /** Mean absolute error at each horizon `1..=horizon`, over folds. */
  mae: number[];
  /** Root mean squared error at each horizon, over folds. */
  rmse: number[];
}

/** A forecasting model for rolling-origin evaluation: `horizon` forecasts from a training window. */
export type FitPredict = (train: Float64Array, horizon: number) => Numbers;

/**
 * Rolling-origin (time-series) cross-validation: fold `i` trains on
 * `y[0 .. initial + i * step]` and tests on the next `horizon` points. Each argument is at
 * least 1 (`out_of_range`).
 */
export declare class RollingOrigin {
  constructor(initial: number, horizon: number, step?: number);
  readonly initial: number;
  readonly horizon: number;
  readonly step: number;
  /** Number of folds for a series of length `n` (0 if `n < initial + horizon`). */
  nFolds(n: number): number;
  /**
   * Calls `fitPredict(train, horizon)` synchronously on every fold (`train` is a copy) and
   * collects the errors. An exception it throws propagates unchanged; a wrong number of
   * forecasts is `length_mismatch`, a non-finite one `non_finite` (`forecast[h]`); a series
   * shorter than `initial + horizon` is `not_enough_data`.
   */
  evaluate(y: Numbers, fitPredict: FitPredict): RollingOriginErrors;
}

/**
 * Forecast accuracy. Every metric takes `actual` first; lengths must match, values be finite,
 * and none returns NaN (MAPE at a zero actual is `invalid_record`, MASE on a flat history
 * `invalid_parameter`). Percentage metrics are fractions (0.05 is 5%).
 */
export interface ForecastMetrics {
  /** Mean absolute error. */
  mae(actual: Numbers, predicted: Numbers): number;
  /** Root mean squared error. */
  rmse(actual: Numbers, predicted: Numbers): number;
  /** Mean absolute percentage error, a fraction. */
  mape(actual: Numbers, predicted: Numbers): number;
  /** Symmetric MAPE in [0, 2]: `mean 2|a - p| / (|a| + |p|)` (M3/M4 without the factor 100). */
  smape(actual: Numbers, predicted: Numbers): number;
  /** MAE over the in-sample MAE of the seasonal naive forecast of period `m` (default 1). */
  mase(actual: Numbers, predicted: Numbers, insample: Numbers, options?: { m?: number }): number;
  /** Fraction of actuals inside `[lower, upper]` (ends included). */
  coverage(actual: Numbers, lower: Numbers, upper: Numbers): number;
  /** Mean Winkler score of `1 - alpha` intervals (`alpha` in (0, 1), e.g. 0.05 for 95%). */
  winkler(actual: Numbers, lower: Numbers, upper: Numbers, alpha: number): number;
  RollingOrigin: typeof RollingOrigin;
}

/** ETS error component: additive or multiplicative (needs positive data). */
export type EtsError = 'A' | 'M';
/** ETS trend component: none or additive (`damped: true` for the damped `Ad`). */
export type EtsTrend = 'N' | 'A';
/** ETS seasonal component: none, additive or multiplicative (needs positive data). */
export type EtsSeason = 'N' | 'A' | 'M';
/** Information criterion `AutoEts` minimises. */
export type InformationCriterion = 'aic' | 'aicc' | 'bic';

/**
 * One ETS model with fixed components. Every field is optional.
 *
 * | Name | Default | Meaning | Range |
 * |---|---|---|---|
 * | `error` | `'A'` | error component | `'A'`, `'M'` |
 * | `trend` | `'N'` | trend component | `'N'`, `'A'` |
 * | `damped` | `false` | damp the trend by `phi` | needs `trend: 'A'` |
 * | `season` | `'N'` | seasonal component | `'N'`, `'A'`, `'M'` |
 * | `seasonLength` | `1` | observations per season | `>= 1`; `> 1` for a season |
 * | `seed` | `0` | seed of simulated prediction intervals | whole number `>= 0` |
 */
export interface EtsOptions {
  error?: EtsError;
  trend?: EtsTrend;
  damped?: boolean;
  season?: EtsSeason;
  seasonLength?: number;
  seed?: number;
}

/**
 * Automatic ETS (R's `ets`, statsforecast's `AutoETS`). Every field is optional.
 *
 * | Name | Default | Meaning | Range |
 * |---|---|---|---|
 * | `seasonLength` | `1` | observations per season | `>= 1` (1: non-seasonal) |
 * | `model` | `'ZZZ'` | error, trend, season letters; `Z` = choose | error `A M Z`, trend `N A Z`, season `N A M Z` |
 * | `damped` | `null` | `null` tries both, a boolean forces | `boolean \| null` |
 * | `restrict` | `true` | exclude additive error with multiplicative season | `boolean` |
 * | `ic` | `'aicc'` | criterion minimised | `'aic'`, `'aicc'`, `'bic'` |
 * | `seed` | `0` | seed of simulated prediction intervals | whole number `>= 0` |
 */
export interface AutoEtsOptions {
  seasonLength?: number;
  model?: string;
  damped?: boolean | null;
  restrict?: boolean;
  ic?: InformationCriterion;
  seed?: number;
}

/** Smoothing parameters and initial states of a fitted ETS model (`null` for absent components). */
export interface EtsParams {
  /** Level smoothing. */
  alpha: number;
  /** Trend smoothing. */
  beta: number | null;
  /** Seasonal smoothing. */
  gamma: number | null;
  /** Damping. */
  phi: number | null;
  /** Initial level. */
  initialLevel: number;
  /** Initial trend. */
  initialTrend: number | null;
  /** Initial seasonal states in time order (`initialSeasonal[k]` applies to `y[k]`). */
  initialSeasonal: number[] | null;
}

/** A prediction interval at one level. */
export interface EtsInterval {
  /** Level in percent. */
  level: number;
  /** Lower bound at each step. */
  lower: Float64Array;
  /** Upper bound at each step. */
  upper: Float64Array;
}

/** Point forecasts and prediction intervals. */
export interface EtsPrediction {
  /** Point forecast at each step `1..=h`. */
  mean: Float64Array;
  /** One interval per requested level, in the order given. */
  intervals: EtsInterval[];
  /** Whether the intervals come from simulated paths (no analytic variance for the model). */
  simulated: boolean;
}

/** Interval level(s) in percent, each strictly between 0 and 100 (`out_of_range`). */
export interface LevelOption {
  level?: number | Numbers;
}

/** One actual outside its prediction interval. */
export interface ResidualAlert {
  /** Position in the series. */
  index: number;
  actual: number;
  expected: number;
  lower: number;
  upper: number;
  /** Interval level in percent. */
  level: number;
  /** Standardised residual (signed; infinite when the crossed side has zero width). */
  score: number;
  direction: 'above' | 'below';
  /** A sentence saying why, e.g. `observed 310 is above the 95% interval [240.1, 290.3] around 265.2 (z = 3.4)`. */
  reason: string;
}

/**
 * A fitted ETS model (from `Ets.fit` / `AutoEts.fit`).
 *
 * @example
 * const fit = new forecast.AutoEts({ seasonLength: 12 }).fit(y);
 * fit.model; // 'ETS(M,A,M)'
 * const { mean, intervals } = fit.predict(12, { level: [80, 95] });
 */
export declare class FittedEts {
  /** Not for direct use: always throws (`invalid_parameter`). */
  private constructor();
  /** The model's name, e.g. `'ETS(M,Ad,M)'`. */
  readonly model: string;
  readonly aic: number;
  readonly aicc: number;
  readonly bic: number;
  /** Log-likelihood (R / statsforecast convention). */
  readonly logLik: number;
  /** Innovation variance, `SSE / (n - nParams - 1)`. */
  readonly sigma2: number;
  /** Parameters counted in the criteria. */
  readonly nParams: number;
  readonly params: EtsParams;
  /** One-step-ahead in-sample forecasts. */
  readonly fitted: Float64Array;
  /** `y - fitted`. */
  readonly residuals: Float64Array;
  /** Residuals (additive error) or relative residuals (multiplicative error). */
  readonly innovations: Float64Array;
  /** Forecasts `h` steps ahead with intervals at `options.level` (default `[80, 95]`). */
  predict(h: number, options?: LevelOption): EtsPrediction;
  /** In-sample points outside the one-step-ahead interval at `options.level` (default 95). */
  alerts(options?: { level?: number }): ResidualAlert[];
}

/**
 * One ETS model with fixed components.
 *
 * @example
 * const fit = new forecast.Ets({ error: 'M', trend: 'A', damped: true, season: 'M', seasonLength: 12 }).fit(y);
 */
export declare class Ets {
  /** Bad options throw (`invalid_parameter`: an unknown key, a letter outside its set, `damped` without a trend). */
  constructor(options?: EtsOptions);
  /**
   * Fits by maximum likelihood. `non_finite` names `y[i]`; `invalid_record` the first
   * `y[i] <= 0` of a multiplicative model; `not_enough_data` below 4 values or too few for the
   * parameters; `invalid_parameter` a season with `seasonLength: 1`.
   */
  fit(y: Numbers): FittedEts;
  /** `fit` on a worker thread; errors reject. */
  fitAsync(y: Numbers): Promise<FittedEts>;
}

/**
 * Automatic ETS: fits every admissible candidate, keeps the lowest information criterion.
 *
 * @example
 * const fit = new forecast.AutoEts({ seasonLength: 4 }).fit([30, 21, 29, 31, 40, 48, 53, 47, 37, 39, 31, 29]);
 * fit.predict(4).mean; // Float64Array(4)
 */
export declare class AutoEts {
  /** Bad options throw (`invalid_parameter`). */
  constructor(options?: AutoEtsOptions);
  /** Fits every candidate; `invalid_parameter` for a malformed or excluded `model`, else as `Ets.fit`. */
  fit(y: Numbers): FittedEts;
  /** `fit` on a worker thread; errors reject. */
  fitAsync(y: Numbers): Promise<FittedEts>;
}

/**
 * STL parameters shared by `stl` and `mstl` (statsmodels' names in camelCase; windows are odd
 * numbers >= 3, degrees 0 or 1, jumps >= 1; `null` or absent means statsmodels' default).
 */
export interface StlSharedOptions {
  /** Trend window (default: the smallest odd number >= 1.5 period / (1 - 1.5 / seasonal)). */
  trend?: number | null;
  /** Low-pass window (default: the smallest odd number > period). */
  lowPass?: number | null;
  seasonalDeg?: number;
  trendDeg?: number;
  lowPassDeg?: number;
  /** Robust fitting with bisquare weights (default false). */
  robust?: boolean;
  seasonalJump?: number;
  trendJump?: number;
  lowPassJump?: number;
  /** Inner iterations (default 2 if robust, else 5). */
  innerIter?: number | null;
  /** Outer (robustness) iterations (default 15 if robust, else 0). */
  outerIter?: number | null;
}

/** `stl` options: `period` is required. */
export interface StlOptions extends StlSharedOptions {
  /** Seasonal cycle length, >= 2; the series needs at least `2 * period` values. */
  period: number;
  /** Seasonal window (odd, >= 3; default 7). */
  seasonal?: number;
}

/** `mstl` options: `periods` is required. */
export interface MstlOptions extends StlSharedOptions {
  /** Seasonal periods (each with `2 * period < n`). */
  periods: number[];
  /** Seasonal windows, one per period in the order given (default `7 + 4 i`). */
  windows?: number[];
  /** Passes over the seasonal components (default 2). */
  iterate?: number;
  /** Box-Cox lambda applied first (default: none; needs positive data). */
  lmbda?: number | null;
}

/** An STL decomposition: `y = trend + seasonal + resid`. */
export interface StlDecomposition {
  trend: Float64Array;
  seasonal: Float64Array;
  resid: Float64Array;
  /** Robustness weights (all 1 unless `robust`). */
  weights: Float64Array;
  /** `max(0, 1 - var(resid) / var(seasonal + resid))` (Hyndman's F_S). */
  seasonalStrength: number;
  /** `max(0, 1 - var(resid) / var(trend + resid))` (F_T). */
  trendStrength: number;
}

/** An MSTL decomposition: `y = trend + sum(seasonal) + resid` (Box-Cox scale with `lmbda`). */
export interface MstlDecomposition {
  /** The periods, ascending: the order of `seasonal` and `seasonalStrengths`. */
  periods: number[];
  trend: Float64Array;
  /** One seasonal component per period. */
  seasonal: Float64Array[];
  resid: Float64Array;
  /** Robustness weights of the last STL fit. */
  weights: Float64Array;
  seasonalStrengths: number[];
  trendStrength: number;
}

/** Forecasting: accuracy metrics, rolling-origin evaluation, ETS models and decomposition. */
export declare const forecast: {
  readonly metrics: ForecastMetrics;
  RollingOrigin: typeof RollingOrigin;
  Ets: typeof Ets;
  AutoEts: typeof AutoEts;
  FittedEts: typeof FittedEts;
  /**
   * STL decomposition (statsmodels' `STL`). `not_enough_data` below `2 * period` values;
   * `out_of_range` / `invalid_parameter` for bad windows, degrees or jumps; `non_finite` names `y[i]`.
   *
   * @example
   * const d = forecast.stl(y, { period: 12, robust: true });
   * d.seasonalStrength; // in [0, 1]
   */
  stl(y: Numbers, options: StlOptions): StlDecomposition;
  /**
   * MSTL decomposition for several seasonal periods (statsmodels' `MSTL`).
   *
   * @example
   * const d = forecast.mstl(hourly, { periods: [24, 168] });
   * d.seasonal[1]; // the weekly component
   */
  mstl(y: Numbers, options: MstlOptions): MstlDecomposition;
};

/** A matrix: rows (`number[][]` or `Float64Array[]`), or flat row-major `number[] | Float64Array` with `nFeatures`. */
export type Matrix = Numbers[] | Numbers;

/**
 * Isolation forest parameters (scikit-learn's, camelCase). Every field is optional.
 *
 * | Name | Default | Meaning | Range |
 * |---|---|---|---|
 * | `nEstimators` | `100` | trees | `>= 1` |
 * | `maxSamples` | `'auto'` | rows per tree: `'auto'` = min(256, n), a count, or `{ fraction }` | count `>= 1` (capped at n); fraction in (0, 1] |
 * | `contamination` | `'auto'` | share of outliers setting `offset`: `'auto'` = -0.5 | (0, 0.5] |
 * | `maxFeatures` | `1.0` | features per tree: a fraction, or `{ count }` | fraction in (0, 1]; count in 1..=nFeatures |
 * | `bootstrap` | `false` | draw rows with replacement | `boolean` |
 * | `seed` | `0` | random seed | whole number `>= 0` |
 */
export interface IsolationForestOptions {
  nEstimators?: number;
  maxSamples?: 'auto' | number | { fraction: number };
  contamination?: 'auto' | number;
  maxFeatures?: number | { count: number };
  bootstrap?: boolean;
  seed?: number;
}

/**
 * A fitted isolation forest. Scoring takes rows, or a flat matrix with `nFeatures` (default:
 * the training data's); a different column count is `length_mismatch`.
 */
export declare class FittedIsolationForest {
  /** Not for direct use: always throws (`invalid_parameter`). */
  private constructor();
  /** scikit-learn's `score_samples`: in [-1, 0], lower is more abnormal. */
  scoreSamples(x: Matrix, nFeatures?: number): Float64Array;
  /** `scoreSamples - offset`: negative for outliers. */
  decisionFunction(x: Matrix, nFeatures?: number): Float64Array;
  /** `1` for an inlier, `-1` for an outlier. */
  predict(x: Matrix, nFeatures?: number): Int8Array;
  /** Threshold on the scores: -0.5 with `contamination: 'auto'`, else the training scores' percentile. */
  readonly offset: number;
}

/**
 * Isolation forest (Liu, Ting and Zhou 2008; scikit-learn's parameters and score signs).
 *
 * @example
 * const forest = new anomaly.IsolationForest({ nEstimators: 200, seed: 1 }).fit(rows);
 * forest.predict(rows); // Int8Array of 1 / -1
 */
export declare class IsolationForest {
  /** Bad options throw (`invalid_parameter`). */
  constructor(options?: IsolationForestOptions);
  /**
   * Grows the forest. `not_enough_data` for no rows, `length_mismatch` for ragged rows (or a
   * flat length not a multiple of `nFeatures`), `non_finite` names `x[row r, column c]`,
   * `out_of_range` for parameters outside their range.
   */
  fit(x: Matrix, nFeatures?: number): FittedIsolationForest;
  /** `fit` on a worker thread; errors reject. */
  fitAsync(x: Matrix, nFeatures?: number): Promise<FittedIsolationForest>;
}

/** Robust z-scores and the points beyond the threshold. */
export interface MadOutliers {
  median: number;
  /** Normal-consistent MAD (may be 0). */
  mad: number;
  /** What the scores divide by: `mad`, or when it is 0 the mean absolute deviation about the median times sqrt(pi / 2) (0 for a constant series). */
  scale: number;
  /** `(x - median) / scale` for every point. */
  scores: Float64Array;
  /** Indices with `|score| > threshold`, ascending. */
  outliers: number[];
}

/** What the Hampel filter finds. */
export interface HampelResult {
  /** The series with each outlier replaced by its window median. */
  filtered: Float64Array;
  /** Outlier indices, ascending. */
  outliers: number[];
  isOutlier: boolean[];
  /** Rolling (truncated-window) median per point. */
  medians: Float64Array;
  /** Rolling normal-consistent MAD per point. */
  scales: Float64Array;
}

/** One anomaly of an ESD test. */
export interface EsdAnomaly {
  index: number;
  value: number;
  /** What the test expected there (centre, plus seasonal and median for the seasonal test). */
  expected: number;
  /** The statistic of the step that removed it. */
  score: number;
  /** The ESD step (0-based) that removed it. */
  step: number;
}

/** A generalized ESD test's result. */
export interface EsdTest {
  /** The anomalies, by ascending index. */
  anomalies: EsdAnomaly[];
  indices: number[];
  nAnomalies: number;
  /** Statistic `R_i` of each step run. */
  statistics: Float64Array;
  /** Critical value `lambda_i` of each step run. */
  criticalValues: Float64Array;
  /** Index removed at each step run (anomalous or not). */
  removed: number[];
}

/** The seasonal ESD test's result: the test on the residual and what was removed. */
export interface SeasonalEsdTest extends EsdTest {
  seasonal: Float64Array;
  median: number;
  /** `x - seasonal - median`, the series tested. */
  resid: Float64Array;
}

/** Which side of the centre counts: above (`'pos'`), below (`'neg'`) or both. */
export type EsdDirection = 'pos' | 'neg' | 'both';

/** ESD options (Twitter AnomalyDetection's names, camelCase). */
export interface EsdOptions {
  /** Largest anomalous share, in (0, 0.5] (default 0.1). */
  maxAnoms?: number;
  /** Significance level, in (0, 1) (default 0.05). */
  alpha?: number;
  /** Default `'both'`. */
  direction?: EsdDirection;
}

/** The series of `residualAlerts`, all of one length. */
export interface ResidualSeries {
  actual: Numbers;
  expected: Numbers;
  lower: Numbers;
  upper: Numbers;
}

/**
 * Anomaly detection. Series are `number[] | Float64Array`; values must be finite
 * (`non_finite` names `x[i]`), and an empty series is `not_enough_data`.
 */
export declare const anomaly: {
  IsolationForest: typeof IsolationForest;
  FittedIsolationForest: typeof FittedIsolationForest;
  /** `c(n)`, the average path length of an unsuccessful BST search among `n` points (0 for n <= 1). */
  averagePathLength(n: number): number;
  /**
   * Normal-consistent median absolute deviation.
   *
   * @example
   * anomaly.mad([1, 2, 3, 4, 100]); // 1.4826
   */
  mad(x: Numbers): number;
  /**
   * Robust z-scores and the points with `|z| > threshold` (default 3.5; `out_of_range` if negative).
   *
   * @example
   * anomaly.madOutliers([1, 2, 3, 4, 100]).outliers; // [4]
   */
  madOutliers(x: Numbers, options?: { threshold?: number }): MadOutliers;
  /**
   * The Hampel filter (`halfWindow` >= 1, default 3; `nSigmas` >= 0, default 3).
   *
   * @example
   * anomaly.hampel([1, 1.1, 0.9, 8, 1, 1.2, 0.8], { halfWindow: 2 }).outliers; // [3]
   */
  hampel(x: Numbers, options?: { halfWindow?: number; nSigmas?: number }): HampelResult;
  /**
   * Rosner's generalized ESD test (`invalid_parameter` for a bad `direction`, `maxAnoms` of 0 or
   * `alpha` of 0 or 1; `out_of_range` beyond their ranges).
   *
   * @example
   * anomaly.esd(series, { maxAnoms: 0.05, direction: 'pos' }).indices;
   */
  esd(x: Numbers, options?: EsdOptions): EsdTest;
  /**
   * Seasonal hybrid ESD (Twitter's AnomalyDetection): ESD on the residual of a robust
   * periodic STL of cycle `period` (>= 2, at least two cycles of data).
   *
   * @example
   * anomaly.seasonalEsd(hourly, { period: 24 }).anomalies;
   */
  seasonalEsd(x: Numbers, options: EsdOptions & { period: number }): SeasonalEsdTest;
  /**
   * Actuals outside `[lower, upper]` at `level` percent (default 95), each with a score and a
   * reason. `length_mismatch` for series of different lengths.
   *
   * @example
   * anomaly.residualAlerts({ actual: [1, 9], expected: [1, 1], lower: [0, 0], upper: [2, 2] });
   */
  residualAlerts(series: ResidualSeries, options?: { level?: number }): ResidualAlert[];
};
