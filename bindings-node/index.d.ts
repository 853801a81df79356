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
  | 'internal';

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

/** Forecasting: accuracy metrics and rolling-origin evaluation. */
export declare const forecast: {
  readonly metrics: ForecastMetrics;
  RollingOrigin: typeof RollingOrigin;
};
