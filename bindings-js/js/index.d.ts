// Type definitions for channelwise, generated from the Rust declarations in bindings-js
// (cargo test -p channelwise-js checks this file; UPDATE_DTS=1 rewrites it). Do not edit.
//
// Data in: plain objects of columns (`number[]` or typed arrays for numbers).
// Data out: plain objects, camelCase; long numeric results are Float64Arrays.

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

/** A column of numbers (any typed array of numbers is read too). */
export type Numbers = number[] | Float64Array;

/**
 * A column of times: whole unix seconds (UTC), or `Date`s, read as their unix seconds with the
 * fraction of a second dropped (as Python reads datetimes).
 */
export type Timestamps = Numbers | (number | Date)[];

/**
 * A path table: one row per path (duplicates add up). `path` holds channels joined by a
 * separator (`'>'` unless `options.sep` says otherwise); surrounding whitespace is trimmed.
 * Any other key is an error naming it (a misspelt column is never left out unseen).
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
  /** Each row's key (lead-creation) touch for W-shaped credit, an index into its path, as `journey.pathTable` gives it (default, and `null`: none, so the middle touch). */
  keyTouch?: (number | null)[] | null;
  /** `journey.pathTable`'s build report, passed along with its table; not read. */
  report?: BuildReport | null;
}

/** What every long `...Async` call also takes in its options. */
export interface AsyncOptions {
  /** Called with the progress while the call runs (at most every 50 ms, and once at the end). */
  onProgress?: ((progress: ProgressReport) => void) | null;
  /** Cancels the call: the promise rejects with code `cancelled` (never a partial result). */
  signal?: AbortSignal | null;
}

/** Touchpoint columns (one entry per touch; `null` in an optional column means none; any other key is an error naming it). */
export interface TouchpointColumns {
  /** The user (or any journey key). */
  userId: string[];
  /** Unix seconds (UTC), whole numbers, or `Date`s. */
  timestamp: Timestamps;
  /** Channel name. */
  channel: string[];
  /** Campaign within the channel. */
  campaign?: (string | null)[] | null;
  /** Cost of the touch. */
  cost?: (number | null)[] | Float64Array | null;
  /** Unique event id: a resent copy is dropped. */
  eventId?: (string | null)[] | null;
}

/** Conversion columns (any other key is an error naming it). */
export interface ConversionColumns {
  /** The user (same key as the touchpoints). */
  userId: string[];
  /** Unix seconds (UTC), whole numbers, or `Date`s. */
  timestamp: Timestamps;
  /** Conversion value (default: zeros). */
  value?: Numbers | null;
  /** Unique event id: a resent copy is dropped. */
  eventId?: (string | null)[] | null;
  /** Event kind (`'purchase'`, `'lead'`, ...); see `leadKind`. */
  type?: (string | null)[] | null;
}

/**
 * One row of a table `T` that may be given as rows: each of the columns `C` as one cell.
 * `[{ userId: 'u1', timestamp: 1700000000, channel: 'search' }, ...]` is read as the columns
 * `{ userId: ['u1', ...], timestamp: [1700000000, ...], channel: ['search', ...] }`. A row may
 * leave out an optional column: it has the column's default there (`nulls`, `value`: 0;
 * `weights`: 1) or none (`campaign`, `cost`, `keyTouch`, `reason`; `monetaryValue` is given on
 * every row or on none). Any other key is an error naming its row (`touchpoints[3].chanel`), as
 * is a bad cell (`touchpoints[3].channel`); in a `LeadAttributeRow` any key is an attribute, and
 * one left out is missing. At least one row (an array whose first item is no object is not read
 * as rows): an empty table is given as columns.
 */
export type Row<T, C extends keyof T> = {
  [K in keyof Pick<T, C>]: NonNullable<T[K]> extends ArrayLike<infer E> ? E : never;
};

/** One row of a `PathTableInput` given as rows. */
export type PathTableRow = Row<PathTableInput, 'path' | 'conversions' | 'nulls' | 'value' | 'keyTouch'>;

/** One row of a `TouchpointColumns` given as rows. */
export type TouchpointRow = Row<TouchpointColumns, 'userId' | 'timestamp' | 'channel' | 'campaign' | 'cost' | 'eventId'>;

/** One row of a `ConversionColumns` given as rows. */
export type ConversionRow = Row<ConversionColumns, 'userId' | 'timestamp' | 'value' | 'eventId' | 'type'>;

/** One row of a `ClvHistories` given as rows. */
export type ClvHistoryRow = Row<ClvHistories, 'frequency' | 'recency' | 'T' | 'weights'>;

/** One row of a `ClvPeriods` given as rows. */
export type ClvPeriodsRow = Row<ClvPeriods, 'frequency' | 'recency' | 'nPeriods' | 'weights'>;

/** One row of a `ClvSpend` given as rows. */
export type ClvSpendRow = Row<ClvSpend, 'frequency' | 'monetaryValue' | 'weights'>;

/** One row of a `ClvCustomers` given as rows. */
export type ClvCustomerRow = Row<ClvCustomers, 'frequency' | 'recency' | 'T' | 'monetaryValue'>;

/** One row of a `RfmLog` given as rows. */
export type RfmLogRow = Row<RfmLog, 'customerId' | 'datetime' | 'monetaryValue'>;

/** One row of a `LeadEvents` given as rows. */
export type LeadEventRow = Row<LeadEvents, 'lead' | 'timestamp' | 'event' | 'value'>;

/** One row of a `StageLog` given as rows. */
export type StageLogRow = Row<StageLog, 'lead' | 'timestamp' | 'stage' | 'reason'>;

/** One row of a `LeadAttributes` given as rows. */
export type LeadAttributeRow = Row<LeadAttributes, keyof LeadAttributes>;

/** Bootstrap intervals: resample the journeys, refit, take percentiles. */
export interface CiOptions {
  /** Bootstrap replicates (default 200, at least 10). */
  replicates?: number | null;
  /** Interval level in (0, 1) (default 0.95). */
  level?: number | null;
  /** Seed of the resampling (default 0). */
  seed?: number | null;
}

/** Options of `attribution.heuristics`. */
export interface HeuristicsOptions {
  /** Path separator (default `">"`). */
  sep?: string | null;
  /** U-shaped weights of the first and last touch (default `[0.4, 0.4]`). */
  uShaped?: number[] | null;
  /** W-shaped weights of the first, key and last touch (default `[0.3, 0.3, 0.3]`). */
  wShaped?: number[] | null;
}

/** Options of `attribution.markov`. */
export interface MarkovOptions {
  /** Path separator (default `">"`). */
  sep?: string | null;
  /** Markov order, 1 to 64 (default 1). */
  order?: number | null;
  /** `null` exact (default), a step cap, or `"ca"` (ChannelAttribution's step cap). */
  horizon?: number | 'ca' | null;
  /** Count non-converting journeys (default true). */
  useNulls?: boolean | null;
  /** Bootstrap intervals. */
  ci?: boolean | CiOptions | null;
}

/** The spec of `new attribution.Markov(spec)`. */
export interface MarkovSpec {
  /** Markov order, 1 to 64 (default 1). */
  order?: number | null;
  /** `null` exact (default), a step cap, or `"ca"` (ChannelAttribution's step cap). */
  horizon?: number | 'ca' | null;
  /** Count non-converting journeys (default true). */
  useNulls?: boolean | null;
}

/** The path separator option. */
export interface SepOption {
  /** Path separator (default `">"`). */
  sep?: string | null;
}

/** Options of `attribution.shapley`. */
export interface ShapleyOptions {
  /** Path separator (default `">"`). */
  sep?: string | null;
  /** Bootstrap intervals. */
  ci?: boolean | CiOptions | null;
}

/** Options of `FittedMarkov.shapley`. */
export interface MarkovShapleyOptions {
  /** `"exact"` (default) or `"sampled"` permutations. */
  method?: string | null;
  /** Sampled permutations (default 1000). */
  permutations?: number | null;
  /** Seed of the sampling (default 0). */
  seed?: number | null;
}

/** Options of `attribution.timeDecay`. */
export interface TimeDecayOptions {
  /** Half-life of a touch's weight, in seconds (default 604800, a week). */
  halfLifeSeconds?: number | null;
  /** Lookback window in seconds. */
  lookback?: number | null;
  /** Touches closer than this many seconds to the previous one are merged. */
  sessionGap?: number | null;
  /** `"channel"` (default) or `"channel_campaign"`. */
  level?: 'channel' | 'channel_campaign' | null;
  /** Conversion type that marks the lead-creation (key) touch. */
  leadKind?: string | null;
}

/** Options of `attribution.parsePathCsv`. */
export interface PathCsvOptions {
  /** Path separator (default `">"`). */
  sep?: string | null;
  /** CSV delimiter, one ASCII character (default `","`). */
  delimiter?: string | null;
}

/** One channel's credit under every rule-based model. */
export interface HeuristicRow {
  /** Channel name. */
  channel: string;
  /** First touch: conversions. */
  firstTouchConversions: number;
  /** First touch: value. */
  firstTouchValue: number;
  /** Last touch: conversions. */
  lastTouchConversions: number;
  /** Last touch: value. */
  lastTouchValue: number;
  /** Linear: conversions. */
  linearConversions: number;
  /** Linear: value. */
  linearValue: number;
  /** U-shaped: conversions. */
  uShapedConversions: number;
  /** U-shaped: value. */
  uShapedValue: number;
  /** W-shaped: conversions. */
  wShapedConversions: number;
  /** W-shaped: value. */
  wShapedValue: number;
}

/**
 * One channel's Markov removal effect and credit, with bootstrap intervals when asked for
 * (`ci`).
 */
export interface MarkovRow {
  /** Channel name. */
  channel: string;
  /** Share of conversions lost without the channel. */
  removalEffect: number;
  /** Share of value lost without the channel. */
  removalEffectValue: number;
  /** Credited conversions. */
  conversions: number;
  /** Credited value. */
  value: number;
  /** Lower end of the conversions interval (with `ci`). */
  conversionsLo?: number;
  /** Upper end of the conversions interval (with `ci`). */
  conversionsHi?: number;
  /** Bootstrap standard error of the conversions (with `ci`). */
  conversionsStdError?: number;
  /** Lower end of the value interval (with `ci`). */
  valueLo?: number;
  /** Upper end of the value interval (with `ci`). */
  valueHi?: number;
  /** Bootstrap standard error of the value (with `ci`). */
  valueStdError?: number;
}

/**
 * One channel's credit (Shapley, time decay), with intervals or standard errors when asked
 * for.
 */
export interface CreditRow {
  /** Channel name. */
  channel: string;
  /** Credited conversions. */
  conversions: number;
  /** Credited value. */
  value: number;
  /** Lower end of the conversions interval (with `ci`). */
  conversionsLo?: number;
  /** Upper end of the conversions interval (with `ci`). */
  conversionsHi?: number;
  /** Standard error of the conversions (with `ci`, or sampled Shapley). */
  conversionsStdError?: number;
  /** Lower end of the value interval (with `ci`). */
  valueLo?: number;
  /** Upper end of the value interval (with `ci`). */
  valueHi?: number;
  /** Standard error of the value (with `ci`, or sampled Shapley). */
  valueStdError?: number;
}

/** One channel's ordered-Shapley credit by touch position. */
export interface OrderedRow {
  /** Channel name. */
  channel: string;
  /** Credited conversions at touch position 0, 1, ... */
  conversions: number[];
  /** Credited value at touch position 0, 1, ... */
  value: number[];
}

/** One nonzero transition of a fitted chain. */
export interface TransitionRow {
  /** Source state: `"(start)"` or the state's channels joined by `","`. */
  from: string;
  /** Target state: a channel state, `"(conversion)"` or `"(null)"`. */
  to: string;
  /** Transition probability. */
  probability: number;
}

/**
 * A path table as columns (from `parsePathCsv` or `journey.merge`), ready for
 * `attribution.*`.
 */
export interface PathTableData {
  /** Paths, channels joined by `sep`. */
  path: string[];
  /** Converting journeys per row. */
  conversions: Float64Array;
  /** Non-converting journeys per row. */
  nulls: Float64Array;
  /** Conversion value per row. */
  value: Float64Array;
  /** Index of the key (lead-creation) touch per row, or `null`. */
  keyTouch: (number | null)[];
}

/** Options of `journey.pathTable`. */
export interface JourneyOptions {
  /** Lookback window in seconds: older touches are dropped. */
  lookback?: number | null;
  /** Touches closer than this many seconds to the previous one are merged. */
  sessionGap?: number | null;
  /** `"channel"` (default) or `"channel_campaign"` (nodes named `"channel | campaign"`). */
  level?: 'channel' | 'channel_campaign' | null;
  /** Conversion type that marks the lead-creation (key) touch. */
  leadKind?: string | null;
  /** Separator the paths are joined with (default `">"`). */
  sep?: string | null;
}

/** Options of `journey.merge`. */
export interface MergeOptions {
  /** Separator the paths are split on and joined with (default `">"`). */
  sep?: string | null;
}

/** What building the journeys did with the events (nothing is dropped silently). */
export interface BuildReport {
  /** Journeys built (converting and null). */
  journeys: number;
  /** Converting journeys. */
  conversions: number;
  /** Conversions with no touch inside their lookback. */
  unattributedConversions: number;
  /** Total value of the unattributed conversions. */
  unattributedValue: number;
  /** Events dropped because their `eventId` was seen before. */
  duplicatesDropped: number;
  /** How many of `duplicatesDropped` were conversions. */
  duplicateConversions: number;
  /** Touches dropped because they were older than the lookback. */
  touchesOutsideLookback: number;
  /** Touches merged into the previous one by `sessionGap`. */
  touchesCollapsed: number;
  /** Lead events (conversions of kind `leadKind`). */
  leads: number;
}

/** A path table as columns, ready for `attribution.*`. */
export interface PathTableColumns {
  /** Paths, channels joined by `sep`. */
  path: string[];
  /** Converting journeys per row. */
  conversions: Float64Array;
  /** Non-converting journeys per row. */
  nulls: Float64Array;
  /** Conversion value per row. */
  value: Float64Array;
  /** Index of the key (lead-creation) touch per row, or `null`. */
  keyTouch: (number | null)[];
  /** What the build did with the events. */
  report: BuildReport;
}

/** How far a long call has got (`onProgress`'s argument): `done` of `total` units. */
export interface ProgressReport {
  /** Units finished. */
  done: number;
  /** Units in the whole call (0 before the first report). */
  total: number;
  /** What a unit is: `'replicates'`, `'permutations'`, `'coalitions'`, `'series'`. */
  stage: string;
}

/** Direction of a significant trend, or `'no trend'`. */
export type Trend = 'increasing' | 'decreasing' | 'no trend';

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
  /** The lags. */
  lags: number[];
  /** Correlation of `x[t + k]` with `y[t]` at each lag `k`. */
  values: number[];
}

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
  /** The Mann-Kendall score. */
  s: number;
  /** Variance of `s` under no trend, corrected for ties. */
  varS: number;
  /** Series length. */
  n: number;
}

/** The Theil-Sen line with a `1 - alpha` confidence interval of the slope. */
export interface TheilSen {
  /** Median of pairwise slopes. */
  slope: number;
  /** Median of `y - slope * x`. */
  intercept: number;
  /** Lower end of the slope's confidence interval. */
  lowSlope: number;
  /** Upper end of the slope's confidence interval. */
  highSlope: number;
}

/** The significance level of a test. */
export interface AlphaOption {
  /** Significance level (default 0.05). */
  alpha?: number | null;
}

/** Options of `AutoEts.fitMany` (its `...Async` twin also takes `onProgress` and `signal`). */
export interface FitManyOptions {
}

/** Options of `forecast.metrics.mase`. */
export interface MaseOptions {
  /** Seasonal period of the naive forecast that scales the errors (default 1). */
  m?: number | null;
}

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
  /** Error component. */
  error?: 'A' | 'M' | null;
  /** Trend component. */
  trend?: 'N' | 'A' | null;
  /** Damp the trend (needs `trend: 'A'`). */
  damped?: boolean | null;
  /** Seasonal component. */
  season?: 'N' | 'A' | 'M' | null;
  /** Observations per season. */
  seasonLength?: number | null;
  /** Seed of simulated prediction intervals. */
  seed?: number | null;
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
  /** Observations per season. */
  seasonLength?: number | null;
  /** Error, trend and season letters; `Z` lets the criterion choose. */
  model?: string | null;
  /** `null` tries both, a boolean forces. */
  damped?: boolean | null;
  /** Exclude additive error with multiplicative season. */
  restrict?: boolean | null;
  /** Criterion minimised. */
  ic?: 'aic' | 'aicc' | 'bic' | null;
  /** Seed of simulated prediction intervals. */
  seed?: number | null;
}

/** Options of `FittedEts.predict`. */
export interface PredictOptions {
  /** Interval level(s) in percent, each strictly between 0 and 100 (default `[80, 95]`). */
  level?: number | Numbers | null;
}

/**
 * Smoothing parameters and initial states of a fitted ETS model (`null` for absent
 * components).
 */
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

/**
 * `forecast.stl` options: `period` is required. Windows are odd numbers >= 3, degrees 0 or 1,
 * jumps >= 1; `null` or absent means statsmodels' default.
 */
export interface StlOptions {
  /** Seasonal cycle length, >= 2; the series needs at least `2 * period` values. */
  period: number;
  /** Seasonal window (odd, >= 3; default 7). */
  seasonal?: number | null;
  /** Trend window (default: the smallest odd number >= 1.5 period / (1 - 1.5 / seasonal)). */
  trend?: number | null;
  /** Low-pass window (default: the smallest odd number > period). */
  lowPass?: number | null;
  /** Degree of the seasonal LOESS (default 1). */
  seasonalDeg?: number | null;
  /** Degree of the trend LOESS (default 1). */
  trendDeg?: number | null;
  /** Degree of the low-pass LOESS (default 1). */
  lowPassDeg?: number | null;
  /** Robust fitting with bisquare weights (default false). */
  robust?: boolean | null;
  /** Seasonal LOESS evaluated every this many points (default 1). */
  seasonalJump?: number | null;
  /** Trend LOESS evaluated every this many points (default 1). */
  trendJump?: number | null;
  /** Low-pass LOESS evaluated every this many points (default 1). */
  lowPassJump?: number | null;
  /** Inner iterations, 1 to 100 (default 2 if robust, else 5). */
  innerIter?: number | null;
  /** Outer (robustness) iterations, 0 to 100 (default 15 if robust, else 0). */
  outerIter?: number | null;
}

/**
 * `forecast.mstl` options: `periods` is required; the STL options are shared by every
 * component (`period` and `seasonal` are not options here: see `periods` and `windows`).
 */
export interface MstlOptions {
  /** Seasonal periods (each with `2 * period < n`). */
  periods: number[];
  /** Seasonal windows, one per period in the order given (default `7 + 4 i`). */
  windows?: number[] | null;
  /** Passes over the seasonal components, 1 to 100 (default 2). */
  iterate?: number | null;
  /** Box-Cox lambda applied first (default: none; needs positive data). */
  lmbda?: number | null;
  /** Trend window. */
  trend?: number | null;
  /** Low-pass window. */
  lowPass?: number | null;
  /** Degree of the seasonal LOESS (default 1). */
  seasonalDeg?: number | null;
  /** Degree of the trend LOESS (default 1). */
  trendDeg?: number | null;
  /** Degree of the low-pass LOESS (default 1). */
  lowPassDeg?: number | null;
  /** Robust fitting with bisquare weights (default false). */
  robust?: boolean | null;
  /** Seasonal LOESS evaluated every this many points (default 1). */
  seasonalJump?: number | null;
  /** Trend LOESS evaluated every this many points (default 1). */
  trendJump?: number | null;
  /** Low-pass LOESS evaluated every this many points (default 1). */
  lowPassJump?: number | null;
  /** Inner iterations, 1 to 100 (default 2 if robust, else 5). */
  innerIter?: number | null;
  /** Outer (robustness) iterations, 0 to 100 (default 15 if robust, else 0). */
  outerIter?: number | null;
}

/** An STL decomposition: `y = trend + seasonal + resid`. */
export interface StlDecomposition {
  /** Trend component. */
  trend: Float64Array;
  /** Seasonal component. */
  seasonal: Float64Array;
  /** Remainder. */
  resid: Float64Array;
  /** Robustness weights (all 1 unless `robust`). */
  weights: Float64Array;
  /** `max(0, 1 - var(resid) / var(seasonal + resid))` (Hyndman's F_S). */
  seasonalStrength: number;
  /** `max(0, 1 - var(resid) / var(trend + resid))` (F_T). */
  trendStrength: number;
}

/**
 * An MSTL decomposition: `y = trend + sum(seasonal) + resid` (on the Box-Cox scale with
 * `lmbda`).
 */
export interface MstlDecomposition {
  /** The periods, ascending: the order of `seasonal` and `seasonalStrengths`. */
  periods: number[];
  /** The seasonal window used for each period. */
  windows: number[];
  /** The series decomposed (Box-Cox transformed when `lmbda` is set). */
  observed: Float64Array;
  /** Trend component. */
  trend: Float64Array;
  /** One seasonal component per period. */
  seasonal: Float64Array[];
  /** Remainder. */
  resid: Float64Array;
  /** Robustness weights of the last STL fit. */
  weights: Float64Array;
  /** Seasonal strength of each component, in the order of `periods`. */
  seasonalStrengths: number[];
  /** Trend strength. */
  trendStrength: number;
}

/** A matrix: rows (`number[][]` or `Float64Array[]`), or flat row-major `number[] | Float64Array` with `nFeatures`. */
export type Matrix = Numbers[] | Numbers;

/**
 * Isolation forest parameters (scikit-learn's, camelCase).
 *
 * | Name | Default | Meaning | Range |
 * |---|---|---|---|
 * | `nEstimators` | `100` | trees | `>= 1` (at most 10000 in the browser build: wasm32 memory) |
 * | `maxSamples` | `'auto'` | rows per tree: `'auto'` = min(256, n), a count, or `{ fraction }` | count `>= 1` (capped at n); fraction in (0, 1] |
 * | `contamination` | `'auto'` | share of outliers setting `offset`: `'auto'` = -0.5 | (0, 0.5] |
 * | `maxFeatures` | `1.0` | features per tree: a fraction, or `{ count }` | fraction in (0, 1]; count in 1..=nFeatures |
 * | `bootstrap` | `false` | draw rows with replacement | `boolean` |
 * | `seed` | `0` | random seed | whole number `>= 0` |
 */
export interface IsolationForestOptions {
  /** Trees (default 100). */
  nEstimators?: number | null;
  /**
   * Rows per tree: `'auto'` (min(256, n), default), a whole count (clipped to n), or
   * `{ fraction }` in (0, 1].
   */
  maxSamples?: 'auto' | number | { fraction: number } | null;
  /** `'auto'` (offset -0.5, default) or the expected outlier share in (0, 0.5]. */
  contamination?: 'auto' | number | null;
  /** Features per tree: a fraction in (0, 1] (default 1.0) or `{ count }`. */
  maxFeatures?: number | { count: number } | null;
  /** Draw rows with replacement (default false). */
  bootstrap?: boolean | null;
  /** Seed, a whole number >= 0 (default 0). */
  seed?: number | null;
}

/** Options of `anomaly.madOutliers`. */
export interface MadOutliersOptions {
  /** `|z|` above which a point is an outlier (default 3.5, Iglewicz and Hoaglin; >= 0). */
  threshold?: number | null;
}

/** Options of `anomaly.hampel`. */
export interface HampelOptions {
  /** Half window: the window is `2 halfWindow + 1` points (default 3, >= 1). */
  halfWindow?: number | null;
  /** Rolling MADs from the window median beyond which a point is an outlier (default 3). */
  nSigmas?: number | null;
}

/** Which side of the centre counts: above (`'pos'`), below (`'neg'`) or both. */
export type EsdDirection = 'pos' | 'neg' | 'both';

/** ESD options (Twitter AnomalyDetection's names, camelCase). */
export interface EsdOptions {
  /** Largest anomalous share, in (0, 0.5] (default 0.1). */
  maxAnoms?: number | null;
  /** Significance level, in (0, 1) (default 0.05). */
  alpha?: number | null;
  /** Which side of the centre counts (default `'both'`). */
  direction?: EsdDirection | null;
}

/** Options of `anomaly.seasonalEsd`: the ESD options and the seasonal cycle. */
export interface SeasonalEsdOptions {
  /** Seasonal cycle (>= 2; the series needs two cycles). Required. */
  period: number;
  /** Largest anomalous share, in (0, 0.5] (default 0.1). */
  maxAnoms?: number | null;
  /** Significance level, in (0, 1) (default 0.05). */
  alpha?: number | null;
  /** Which side of the centre counts (default `'both'`). */
  direction?: EsdDirection | null;
}

/** Options of `anomaly.residualAlerts` (and of `FittedEts.alerts`). */
export interface AlertOptions {
  /** Interval level in percent, strictly between 0 and 100 (default 95). */
  level?: number | null;
}

/** The series of `residualAlerts`, all of one length. */
export interface ResidualSeries {
  /** The observed values. */
  actual: Numbers;
  /** The expected (forecast) values; each must lie in its interval. */
  expected: Numbers;
  /** Lower bounds of the intervals. */
  lower: Numbers;
  /** Upper bounds of the intervals. */
  upper: Numbers;
}

/** Robust z-scores and the points beyond the threshold. */
export interface MadOutliers {
  /** Median of the series. */
  median: number;
  /** Normal-consistent MAD (may be 0). */
  mad: number;
  /**
   * What the scores divide by: `mad`, or when it is 0 the mean absolute deviation about
   * the median times sqrt(pi / 2) (0 for a constant series).
   */
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
  /** Outlier flag per point. */
  isOutlier: boolean[];
  /** Rolling (truncated-window) median per point. */
  medians: Float64Array;
  /** Rolling normal-consistent MAD per point. */
  scales: Float64Array;
}

/** One anomaly of an ESD test. */
export interface EsdAnomaly {
  /** Index in the series. */
  index: number;
  /** The observed value. */
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
  /** Their indices, ascending. */
  indices: number[];
  /** Number of anomalies. */
  nAnomalies: number;
  /** Statistic `R_i` of each step run. */
  statistics: Float64Array;
  /** Critical value `lambda_i` of each step run. */
  criticalValues: Float64Array;
  /** Index removed at each step run (anomalous or not). */
  removed: number[];
}

/** The seasonal ESD test's result: the ESD test on the residual, and what was removed. */
export interface SeasonalEsdTest {
  /** The anomalies, by ascending index (values are the series'). */
  anomalies: EsdAnomaly[];
  /** Their indices, ascending. */
  indices: number[];
  /** Number of anomalies. */
  nAnomalies: number;
  /** Statistic `R_i` of each step run. */
  statistics: Float64Array;
  /** Critical value `lambda_i` of each step run. */
  criticalValues: Float64Array;
  /** Index removed at each step run (anomalous or not). */
  removed: number[];
  /** The seasonal component removed. */
  seasonal: Float64Array;
  /** Median of the series. */
  median: number;
  /** `x - seasonal - median`, the series tested. */
  resid: Float64Array;
}

/** One actual outside its prediction interval. */
export interface ResidualAlert {
  /** Position in the series. */
  index: number;
  /** The observed value. */
  actual: number;
  /** The expected (forecast) value. */
  expected: number;
  /** Lower bound of the interval. */
  lower: number;
  /** Upper bound of the interval. */
  upper: number;
  /** Interval level in percent. */
  level: number;
  /** Standardised residual (signed; infinite when the crossed side has zero width). */
  score: number;
  /** Which side of the interval the actual is on. */
  direction: 'above' | 'below';
  /** A sentence saying why, e.g. `observed 310 is above the 95% interval [240.1, 290.3] around 265.2 (z = 3.4)`. */
  reason: string;
}

/** A saturation curve: its kind and that kind's parameters (pymc-marketing's names; the formulas are in `optimize.Saturation`). */
export type SaturationSpec =
  | { kind: 'logistic'; lam: number; beta: number }
  | { kind: 'hill'; slope: number; kappa: number; beta: number }
  | { kind: 'michaelis_menten'; alpha: number; lam: number }
  | { kind: 'tanh'; b: number; c: number }
  | { kind: 'power'; a: number; b: number }
  | { kind: 'log'; beta: number; lam: number };

/** An adstock (carry-over): its kind, that kind's parameters, the number of lags `lMax` (default 8) and whether the weights are divided by their sum (`normalize`, default `true`); the weights are in `optimize.Adstock`. */
export type AdstockSpec =
  | { kind: 'geometric'; alpha: number; lMax?: number; normalize?: boolean }
  | { kind: 'delayed'; alpha: number; theta: number; lMax?: number; normalize?: boolean }
  | { kind: 'weibull_pdf'; lam: number; k: number; lMax?: number; normalize?: boolean }
  | { kind: 'weibull_cdf'; lam: number; k: number; lMax?: number; normalize?: boolean };

/**
 * A prior on one parameter (its log density joins the objective): `flat` adds nothing;
 * `normal(mu, sigma)`, `half_normal(sigma)` on `x >= 0`, `gamma(alpha, beta)` (rate `beta`),
 * `beta(alpha, beta)` on (0, 1), `laplace(mu, b)` (smoothed within 1e-3 of `mu`).
 */
export type PriorSpec =
  | { dist: 'flat' }
  | { dist: 'normal'; mu: number; sigma: number }
  | { dist: 'half_normal'; sigma: number }
  | { dist: 'gamma'; alpha: number; beta: number }
  | { dist: 'beta'; alpha: number; beta: number }
  | { dist: 'laplace'; mu: number; b: number };

/**
 * The media mix model's specification (pymc-marketing's model, fitted by penalised
 * maximum likelihood). Every field is optional; ranges are checked by `fit`.
 *
 * | Name | Default | Meaning | Range |
 * |---|---|---|---|
 * | `adstock` | `'geometric'` | carry-over kind | `AdstockSpec` kinds |
 * | `lMax` | `8` | lags | 1..=rows |
 * | `normalize` | `true` | adstock weights sum to 1 | |
 * | `saturation` | `'logistic'` | curve kind | `SaturationSpec` kinds |
 * | `adstockFirst` | `true` | adstock, then saturation (else the reverse) | |
 * | `yearlySeasonality` | `0` | Fourier order (0: none) | 0..=50 |
 * | `period` | `52.1775` | rows per year when `data.days` is not given | `> 1` |
 * | `trend` | `true` | a linear trend | |
 * | `starts` | `4` | optimiser starts | 1..=1000 |
 * | `uncertainty` | `'laplace'` | intervals: Laplace draws, a block bootstrap or none | |
 * | `draws` | `1000` | Laplace draws (`uncertainty: 'laplace'` only) | 10..=1e6 |
 * | `replicates` | `200` | bootstrap refits (`'bootstrap'` only) | 10..=1e5 |
 * | `block` | cube root of the rows | bootstrap block length (`'bootstrap'` only) | 1..=rows |
 * | `level` | `0.9` | interval coverage | (0, 1) |
 * | `holdout` | `0` | last rows held out for a time-ordered score | `< rows / 2` |
 * | `priors` | pymc-marketing's | priors by parameter (`'intercept'`, `'trend'`, `'fourier'`, `'control'`, `'sigma'`, `'adstock.alpha'`, `'saturation.lam'`, or one channel's: `'tv.saturation.beta'`) | |
 * | `seed` | `0` | starts, draws and bootstrap | whole number `>= 0` |
 * | `maxIter` | `200` | damped-Newton iterations per start (an L-BFGS polish follows) | `>= 1` |
 */
export interface MMMOptions {
  /** Carry-over kind. */
  adstock?: 'geometric' | 'delayed' | 'weibull_pdf' | 'weibull_cdf' | null;
  /** Adstock lags. */
  lMax?: number | null;
  /** Adstock weights sum to 1. */
  normalize?: boolean | null;
  /** Saturation curve kind. */
  saturation?: 'logistic' | 'hill' | 'michaelis_menten' | 'tanh' | 'power' | 'log' | null;
  /** Adstock before saturation. */
  adstockFirst?: boolean | null;
  /** Fourier order of the yearly seasonality (0: none). */
  yearlySeasonality?: number | null;
  /** Rows per year when the data has no `days`. */
  period?: number | null;
  /** A linear trend. */
  trend?: boolean | null;
  /** Optimiser starts (the first from the priors' centres, the rest drawn from them). */
  starts?: number | null;
  /** How the intervals are made. */
  uncertainty?: 'laplace' | 'bootstrap' | 'none' | null;
  /** Laplace draws. */
  draws?: number | null;
  /** Bootstrap replicates. */
  replicates?: number | null;
  /** Bootstrap block length in rows. */
  block?: number | null;
  /** Interval coverage in (0, 1). */
  level?: number | null;
  /** Rows at the end held out for a time-ordered score. */
  holdout?: number | null;
  /** Priors by parameter name, replacing the defaults. */
  priors?: Record<string, PriorSpec> | null;
  /** Seed of the starts, draws and bootstrap. */
  seed?: number | null;
  /** Most optimiser iterations per start. */
  maxIter?: number | null;
}

/**
 * The data of a media mix model, one value per row (period) in every column. Channels and
 * controls come in the order of their keys (JS puts integer-like keys first: name them so).
 */
export interface MMMData {
  /** The outcome (sales, conversions) per row. */
  target: Numbers;
  /** Spend per channel, `>= 0`. */
  channels: Record<string, Numbers>;
  /** Control variables (price, promotions) per control. */
  controls?: Record<string, Numbers> | null;
  /**
   * The calendar: days since 1970-01-01 (numbers; for a `Date` d, `d.getTime() / 86400000`) or
   * ISO date strings (`'2024-01-07'`), increasing. Without it rows are evenly spaced,
   * `options.period` a year.
   */
  days?: Numbers | string[] | null;
}

/** New rows for `FittedMMM.predict`: the fit's channels and controls (`days` exactly when the fit had them). */
export interface MMMNewData {
  /** Ignored (predictions do not need the outcome). */
  target?: Numbers | null;
  /** Spend per channel, the fit's channels. */
  channels: Record<string, Numbers>;
  /** The fit's controls. */
  controls?: Record<string, Numbers> | null;
  /** The calendar, continuing the fit's. */
  days?: Numbers | string[] | null;
}

/** Options of `MMM.fit` (its `...Async` twin also takes `onProgress` and `signal`). */
export interface MMMFitOptions {
}

/**
 * The additive parts of a fit, one value per row each (original units); they sum to
 * `fitted` exactly.
 */
export interface MMMContributions {
  /** The intercept. */
  intercept: Float64Array;
  /** The trend (zeros without one). */
  trend: Float64Array;
  /** The Fourier seasonality (zeros without one). */
  seasonality: Float64Array;
  /** One series per control. */
  controls: Record<string, Float64Array>;
  /** One series per channel. */
  channels: Record<string, Float64Array>;
  /** The fitted values (the predictions, for new rows). */
  fitted: Float64Array;
}

/**
 * Each channel's contribution band over the training rows (`level`, from the draws; equal
 * to the contribution without uncertainty).
 */
export interface MMMContributionBands {
  /** Lower band per channel. */
  lo: Record<string, Float64Array>;
  /** Upper band per channel. */
  hi: Record<string, Float64Array>;
}

/**
 * One channel of `FittedMMM.summary()`: totals over the training rows with `level`
 * intervals, and the fitted curves.
 */
export interface MMMChannelSummary {
  /** Channel name. */
  channel: string;
  /** Total spend. */
  spend: number;
  /** Total contribution (at the posterior mode). */
  contribution: number;
  /** Its lower bound. */
  contributionLo: number;
  /** Its upper bound. */
  contributionHi: number;
  /** Share of the total media contribution. */
  share: number;
  /** Its lower bound. */
  shareLo: number;
  /** Its upper bound. */
  shareHi: number;
  /** Contribution per unit spent. */
  roas: number;
  /** Its lower bound. */
  roasLo: number;
  /** Its upper bound. */
  roasHi: number;
  /** Marginal ROAS: extra contribution per extra unit when every row's spend grows by 1%. */
  mroas: number;
  /** Its lower bound. */
  mroasLo: number;
  /** Its upper bound. */
  mroasHi: number;
  /** The adstock at the mode (`null` for a channel that never spends). */
  adstock: AdstockSpec | null;
  /**
   * The saturation at the mode, on the scaled data (`null` for a channel that never
   * spends); `steadyStateCurve(channel)` gives it in original units.
   */
  saturation: SaturationSpec | null;
}

/** A model parameter at the mode with its interval. */
export interface MMMParam {
  /**
   * `intercept`, `trend`, `fourier.sin1`, `control.price`, `tv.adstock.alpha`,
   * `tv.saturation.lam`, ..., `sigma` (on the scaled data).
   */
  name: string;
  /** At the posterior mode. */
  value: number;
  /** Lower end. */
  lo: number;
  /** Upper end. */
  hi: number;
}

/**
 * A channel's steady-state response curve (the same spend every period, carry-over
 * included) on a grid of spend per period, with `level` bands.
 */
export interface MMMResponseCurve {
  /** Channel name. */
  channel: string;
  /** Spend per period (the grid). */
  spend: Float64Array;
  /** Response per period at the mode. */
  response: Float64Array;
  /** Lower band. */
  lo: Float64Array;
  /** Upper band. */
  hi: Float64Array;
  /** Marginal response at the mode. */
  marginal: Float64Array;
}

/**
 * A channel's contribution per period over a spend plan, carry-over of the training
 * data's last periods included.
 */
export interface MMMHorizonResponse {
  /** At the posterior mode. */
  response: Float64Array;
  /** One series per parameter draw (none without uncertainty). */
  draws: Float64Array[];
}

/** Time-ordered holdout scores (the model refitted without the last rows). */
export interface MMMHoldout {
  /** Rows held out. */
  rows: number;
  /** R^2 on them (`null` when they are constant). */
  r2: number | null;
  /** NRMSE on them (`null` when they are constant). */
  nrmse: number | null;
  /** MAPE on them (`null` when an actual is 0). */
  mape: number | null;
}

/** Fit diagnostics (original units). */
export interface MMMDiagnostics {
  /** Coefficient of determination. */
  r2: number;
  /** RMSE over the target's range (Robyn's NRMSE). */
  nrmse: number;
  /** Mean absolute percentage error (`null` when an actual is 0). */
  mape: number | null;
  /** Robyn's DECOMP.RSSD: `sqrt(sum (effect share - spend share)^2)`. */
  decompRssd: number;
  /** Lag-1 autocorrelation of the residuals (`null` when they do not vary). */
  residualAcf1: number | null;
  /** Durbin-Watson statistic of the residuals (`null` for a perfect fit). */
  durbinWatson: number | null;
  /** Holdout scores, when `options.holdout` asked for them. */
  holdout: MMMHoldout | null;
}

/** One optimiser start. */
export interface MMMStartRun {
  /**
   * Negative log posterior reached (scaled units, up to a constant); `null` when the start
   * never reached a finite value.
   */
  objective: number | null;
  /** Iterations. */
  iterations: number;
  /** Largest absolute gradient entry at the end (`null` when not finite). */
  gradNorm: number | null;
  /** Whether the optimiser's tolerance was met. */
  converged: boolean;
}

/** How the fit converged. */
export interface MMMConvergence {
  /** Whether the best start met its tolerance. */
  converged: boolean;
  /** The best start (0 = the priors' centres). */
  bestStart: number;
  /** Starts within 1e-6 (relative) of the best objective. */
  startsAgreeing: number;
  /** Every start. */
  runs: MMMStartRun[];
}

/** One channel of an allocation: its response curve (spend per period) and constraints. */
export interface AllocationChannel {
  /** Channel name (unique). */
  name: string;
  /** Response to spend per period. */
  curve: SaturationSpec | Saturation;
  /** Least spend (default 0). */
  lower?: number | null;
  /** Most spend (default `Infinity`). */
  upper?: number | null;
  /** Spend today (needed by `maxChange` and `locked`). */
  current?: number | null;
  /** Keep today's spend. */
  locked?: boolean | null;
  /** Posterior draws of the curve (for `options.objective` `'expected'` or CVaR). */
  draws?: (SaturationSpec | Saturation)[] | null;
}

/**
 * How far each channel may move from its current spend (`current`, which every channel then
 * needs): at most a fraction of it up or down (`{ relative: 0.2 }`: 20%), or an amount
 * (`{ absolute: 500 }`, spend units).
 */
export type MaxChangeSpec = { relative: number } | { absolute: number };

/**
 * What `optimize.allocate` solves for: the most response for `options.budget` (`maxResponse`,
 * the default); each channel's spend until its next unit returns `value` (`targetMarginalRoas`,
 * the budget, if given, capping the total); the most spend whose total response per unit spent
 * is at least `value` (`targetRoas`; a CPA target `c` is a ROAS target `1 / c`); the least spend
 * whose best split reaches the total response `value` (`minSpendForResponse`).
 */
export type AllocationScenario =
  | { kind: 'maxResponse' }
  | { kind: 'targetRoas'; value: number }
  | { kind: 'targetMarginalRoas'; value: number }
  | { kind: 'minSpendForResponse'; value: number };

/**
 * What `optimize.allocate` maximises when channels carry posterior draws: each channel's curve
 * (`'curve'`; a FittedMMM's posterior mode), the mean total response over the draws
 * (`'expected'`, pymc-marketing's default), or the conditional value at risk, the mean total
 * response of the worst `level` share of draws (`{ kind: 'cvar', level }`, `level` in (0, 1],
 * maxResponse only). The default is `'expected'` when a channel of the array has `draws`,
 * else `'curve'`.
 */
export type AllocationObjective = 'curve' | 'expected' | { kind: 'cvar'; level: number };

/**
 * The allocation's settings.
 *
 * | Name | Default | Meaning |
 * |---|---|---|
 * | `budget` | required by `maxResponse` | total spend per period (a cap for the other scenarios) |
 * | `spendAll` | `true` | spend exactly the budget (`false`: at most) |
 * | `maxChange` | none | move limit from current spend, `{ relative: 0.2 }` or `{ absolute: 500 }` |
 * | `scenario` | `{ kind: 'maxResponse' }` | what to solve for (`AllocationScenario`) |
 * | `tolerance` | `1e-6` | relative optimality gap at which S-curve branch and bound stops |
 * | `maxNodes` | `10000` | branch-and-bound nodes (CVaR: Frank-Wolfe iterations) before it stops with the gap it proved |
 * | `objective` | `'expected'` with draws, else `'curve'` | what to maximise over posterior draws (`AllocationObjective`) |
 */
export interface AllocateOptions {
  /** Total spend per period. */
  budget?: number | null;
  /** Spend exactly the budget (else at most). */
  spendAll?: boolean | null;
  /** Move limit from current spend, per channel. */
  maxChange?: MaxChangeSpec | null;
  /** What to solve for. */
  scenario?: AllocationScenario | null;
  /** Relative optimality gap for S-curves. */
  tolerance?: number | null;
  /** Most branch-and-bound nodes. */
  maxNodes?: number | null;
  /** What to maximise over posterior draws. */
  objective?: AllocationObjective | null;
}

/** One channel's share of an allocation. */
export interface AllocationRow {
  /** Channel name. */
  channel: string;
  /** Spend per period. */
  spend: number;
  /** Response at that spend. */
  response: number;
  /** Marginal return at that spend (the next unit's response). */
  marginal: number;
  /**
   * The constraint that holds the spend: `'interior'` (its marginal is the common one),
   * `'lower'`, `'upper'`, `'maxChangeDown'`, `'maxChangeUp'` or `'locked'`.
   */
  bound: string;
}

/**
 * Proof of optimality. Which fields prove it depends on `method`: for water-filling the KKT
 * residual and duality gap (rounding level); for branch and bound and for CVaR the split is
 * within `suboptimality` of the proven `upperBound` (their KKT residual and duality gap
 * describe the last relaxation, not the answer).
 */
export interface AllocationCertificate {
  /**
   * `'water-filling'` (concave curves: exact), `'branch and bound on concave envelopes'`
   * (S-shaped Hill curves) or CVaR's away-step Frank-Wolfe.
   */
  method: string;
  /** The common marginal return: the budget's shadow price (0 when it does not bind). */
  multiplier: number;
  /** Largest violation of the KKT conditions, relative to the multiplier. */
  kktResidual: number;
  /** Dual value minus the total response, relative (concave curves: rounding level). */
  dualityGap: number;
  /** A proven upper bound on the best total response. */
  upperBound: number;
  /** How far below `upperBound` this allocation can be, relative to its total response. */
  suboptimality: number;
  /** Branch-and-bound nodes solved (1 for concave curves). */
  nodes: number;
}

/** A solved allocation. */
export interface Allocation {
  /** One row per channel, in input order. */
  rows: AllocationRow[];
  /** Total spend. */
  totalSpend: number;
  /** Total response. */
  totalResponse: number;
  /** The certificate. */
  certificate: AllocationCertificate;
  /**
   * The split's total response under every draw (its distribution), when the objective
   * used draws; empty otherwise.
   */
  responseDraws: Float64Array;
  /** The CVaR the `{ kind: 'cvar' }` objective maximised. */
  cvar?: number;
}

/**
 * A fitted model's channel for `optimize.allocate`: its steady-state curve (response per
 * period to the same spend every period, original units) and its mean spend per period.
 */
export interface MMMBudgetChannel {
  /** Channel name. */
  name: string;
  /** The steady-state curve. */
  curve: SaturationSpec;
  /** Mean spend per period over the training rows. */
  current?: number;
}

/**
 * One channel of a multi-period plan: its response per period to adstocked spend, its
 * carry-over and constraints.
 */
export interface PlanChannel {
  /** Channel name (unique). */
  name: string;
  /** Response per period to (adstocked) spend; concave (Hill `slope <= 1`). */
  curve: SaturationSpec | Saturation;
  /** Carry-over (default none: spend returns only in its own period). */
  adstock?: AdstockSpec | Adstock | null;
  /** Spend in the periods before the horizon, oldest first. */
  pre?: Numbers | null;
  /** Least spend in every period (default 0). */
  lower?: number | null;
  /** Most spend in every period (default `Infinity`). */
  upper?: number | null;
  /** Saturate each period's spend, then carry it over (default false: adstock first). */
  saturationFirst?: boolean | null;
}

/**
 * The plan's horizon and budgets: `budgets` (spend in each period, exactly), or `total`
 * over `periods` periods (split freely).
 *
 * | Name | Default | Meaning |
 * |---|---|---|
 * | `budgets` | required (or `total`) | spend in each period, exactly |
 * | `total` | - | spend over the whole horizon, split freely |
 * | `periods` | - | the number of periods (with `total`), at most 3650 |
 * | `profile` | all 1 | weight of each period's response (seasonality) |
 * | `tail` | `true` | count the carry-over after the last period |
 * | `tolerance` | `1e-9` | relative Frank-Wolfe gap at which to stop |
 * | `maxIter` | `100000` | most gradient steps |
 */
export interface PlanOptions {
  /** Spend in each period. */
  budgets?: Numbers | null;
  /** Spend over the whole horizon. */
  total?: number | null;
  /** Number of periods (with `total`), at most 3650. */
  periods?: number | null;
  /** Weight of each period's response. */
  profile?: Numbers | null;
  /** Count the carry-over after the last period. */
  tail?: boolean | null;
  /** Relative Frank-Wolfe gap at which to stop. */
  tolerance?: number | null;
  /** Most gradient steps. */
  maxIter?: number | null;
}

/**
 * How far the plan can be from the optimum (the objective is concave, so the bound is
 * global).
 */
export interface PlanCertificate {
  /** `'projected gradient, Frank-Wolfe gap'`. */
  method: string;
  /** The Frank-Wolfe gap: the optimum is at most this much above `totalResponse`. */
  gap: number;
  /** `gap / totalResponse`. */
  suboptimality: number;
  /** Gradient steps taken. */
  iterations: number;
}

/** A solved multi-period plan. */
export interface Plan {
  /** Channel names, in input order. */
  channels: string[];
  /** Spend per channel per period (`spend[channel][period]`). */
  spend: Float64Array[];
  /**
   * Response per channel per period, weighted by the profile, with the carry-over from
   * earlier periods and `pre`.
   */
  response: Float64Array[];
  /** Each channel's response after the last period (0 without `tail`). */
  tail: Float64Array;
  /** Total response: every period's plus the tail. */
  totalResponse: number;
  /** The certificate. */
  certificate: PlanCertificate;
}

/**
 * Limits every recommendation respects.
 *
 * | Name | Default | Meaning |
 * |---|---|---|
 * | `maxBudgetChange` | none | most relative budget move per channel (0.3 = 30%) |
 * | `maxBidChange` | none | most relative bid move |
 * | `minConfidence` | `0` | drop recommendations less sure than this |
 * | `minChange` | `0.01` | drop moves smaller than this share of today's value |
 * | `alpha` | `0.05` | significance level of the tests (targeting, creatives) |
 */
export interface Guardrails {
  /** Most relative budget move per channel. */
  maxBudgetChange?: number | null;
  /** Most relative bid move. */
  maxBidChange?: number | null;
  /** Least confidence to recommend. */
  minConfidence?: number | null;
  /** Least relative change worth recommending. */
  minChange?: number | null;
  /** Significance level of the tests. */
  alpha?: number | null;
}

/** A context to bid on and its bid today. */
export interface BidContext {
  /** One level per factor, in the model's factor order. */
  context: string[];
  /** Today's bid. */
  current: number;
}

/** One segment's results (an audience, a placement, a geo). */
export interface RecommendSegment {
  /** Segment name. */
  name: string;
  /** Clicks. */
  clicks: number;
  /** Conversions (at most the clicks). */
  conversions: number;
  /** Cost. */
  cost: number;
}

/** One creative's daily impressions and clicks, oldest day first. */
export interface RecommendCreative {
  /** Creative name. */
  name: string;
  /** Impressions per day. */
  impressions: Numbers;
  /** Clicks per day. */
  clicks: Numbers;
}

/**
 * What `optimize.recommend` reads; every part is optional. `channels` and `allocate`: budget
 * moves (the allocation `optimize.allocate(channels, allocate)` would return, each channel with
 * its current spend); `bids` and `contexts`: bid changes; `segments`: targeting; `creatives`:
 * creative rotation.
 */
export interface RecommendInputs {
  channels?: FittedMMM | AllocationChannel[];
  allocate?: AllocateOptions | null;
  bids?: FittedBids;
  contexts?: BidContext[];
  segments?: RecommendSegment[];
  creatives?: RecommendCreative[];
}

/** One recommendation. */
export interface Recommendation {
  /** What it changes: `'budget'`, `'bid'`, `'targeting'` or `'creative'`. */
  kind: string;
  /** The channel, context (`'mobile / evening'`), segment or creative. */
  target: string;
  /** The value today. */
  from: number;
  /** The value recommended. */
  to: number;
  /**
   * What the change should bring (response for budgets, margin per click for bids, CPA
   * saved for targeting, clicks lost for creatives).
   */
  impact: number;
  /** Lower end of its 90% interval. */
  impactLo: number;
  /** Upper end of its 90% interval. */
  impactHi: number;
  /** How sure: the share of curve draws in which a budget move pays, or 1 - p of a test. */
  confidence: number;
  /** One sentence with the numbers behind it. */
  reason: string;
  /** True when a guardrail clipped the change. */
  clipped: boolean;
}

/** One channel's metrics per period, oldest first. */
export interface ChannelMetricsInput {
  /** Channel name. */
  channel: string;
  /** Spend per period. */
  spend: Numbers;
  /** Conversions per period. */
  conversions: Numbers;
  /** Conversion value per period. */
  value: Numbers;
}

/** Insights settings. */
export interface InsightsOptions {
  /** Significance level (default 0.05). */
  alpha?: number | null;
}

/** One line of the insights digest. */
export interface Insight {
  /** `'change'`, `'trend'`, `'anomaly'` or `'correlation'`. */
  kind: string;
  /** The channels involved. */
  channels: string[];
  /** Money at stake (value units), the ranking key. */
  money: number;
  /** The test's p-value. */
  pValue: number;
  /** One sentence with the numbers and the test. */
  sentence: string;
}

/** What a bid must earn: a return on ad spend (`{ roas: 4 }`: bid = P x value per conversion / 4) or a cost per conversion (`{ cpa: 40 }`: bid = P x 40). */
export type BidTarget = { roas: number } | { cpa: number };

/**
 * Bid model settings.
 *
 * | Name | Default | Meaning | Range |
 * |---|---|---|---|
 * | `factors` | required | context factors, in the order each context lists them | at least one |
 * | `target` | required | `{ roas }` or `{ cpa }` | `> 0` |
 * | `c` | `1` | inverse shrinkage strength of the multipliers | `> 0` |
 * | `floor` | `0` | least bid | `>= 0` |
 * | `cap` | `Infinity` | most bid | `>= floor` |
 * | `maxChange` | none | most relative move from the current bid (0.2 = 20%) | `>= 0` |
 */
export interface BidModelOptions {
  /** Context factors (device, hour, ...), in the order each context lists its levels. */
  factors: string[];
  /** `{ roas }` or `{ cpa }`. */
  target: BidTarget;
  /** Inverse shrinkage strength, `> 0` (default 1): smaller pulls thin levels nearer 1. */
  c?: number | null;
  /** Least bid (default 0). */
  floor?: number | null;
  /** Most bid (default `Infinity`). */
  cap?: number | null;
  /** Most relative move from the current bid (default none). */
  maxChange?: number | null;
}

/** Outcomes of one context. */
export interface BidCell {
  /** One level per factor, in the model's factor order. */
  context: string[];
  /** Clicks. */
  clicks: number;
  /** Conversions (at most the clicks). */
  conversions: number;
  /** Conversion value. */
  value: number;
}

/** A level's estimated multiplier. */
export interface BidLevel {
  /** The factor. */
  factor: string;
  /** The level. */
  level: string;
  /** Multiplier on the conversion probability, `sigmoid(b + beta) / sigmoid(b)`. */
  multiplier: number;
  /** Clicks behind it. */
  clicks: number;
  /** Conversions behind it. */
  conversions: number;
}

/** One factor's part in a bid. */
export interface BidFactor {
  /** The factor. */
  factor: string;
  /** The context's level of it. */
  level: string;
  /** Its multiplier on the conversion probability (1 for a level never seen). */
  multiplier: number;
  /** Clicks behind the level (0 if never seen). */
  clicks: number;
}

/** A bid and why. */
export interface BidResult {
  /** The bid to set. */
  bid: number;
  /** The formula's bid before floors, caps and the maximum change. */
  unclamped: number;
  /** Predicted conversion probability per click. */
  probability: number;
  /** The base rate (every multiplier 1). */
  baseProbability: number;
  /** Value per conversion used. */
  valuePerConversion: number;
  /** Each factor's multiplier; their product is `probability / baseProbability`. */
  factors: BidFactor[];
  /** What held the bid: `'none'`, `'floor'`, `'cap'` or `'maxChange'`. */
  limitedBy: string;
  /** One sentence with the numbers. */
  explanation: string;
}

/**
 * Logistic regression parameters (scikit-learn's, camelCase).
 *
 * | Name | Default | Meaning | Range |
 * |---|---|---|---|
 * | `c` | `1` | inverse regularisation strength (scikit-learn's `C`) | `> 0` |
 * | `penalty` | `'l2'` | `'l2'`, `'l1'`, `'elasticnet'` or `'none'` (maximum likelihood) | |
 * | `l1Ratio` | | the L1 share of the elastic net (scikit-learn's `l1_ratio`; required by and only read for `'elasticnet'`) | `[0, 1]` |
 * | `fitIntercept` | `true` | fit an unpenalised intercept | `boolean` |
 */
export interface LogisticOptions {
  /** Inverse regularisation strength, `> 0` (default 1). */
  c?: number | null;
  /** `'l2'` (default), `'l1'`, `'elasticnet'` or `'none'`. */
  penalty?: string | null;
  /** The elastic net's L1 share in `[0, 1]` (with `penalty: 'elasticnet'`). */
  l1Ratio?: number | null;
  /** Fit an unpenalised intercept (default true). */
  fitIntercept?: boolean | null;
}

/** Settings of a CLV fit (see the core's parameter tables). */
export interface ClvFitOptions {
  /** L-BFGS iterations before the Newton polish (default 2000). */
  maxIter?: number | null;
  /** Fit customers sharing `(frequency, recency, T)` as one weighted row (default true). */
  collapse?: boolean | null;
  /**
   * lifetimes' `penalizer_coef` (default 0): the fit minimises the mean negative
   * log-likelihood plus this times the sum of the squared parameters (alpha, and
   * Pareto/NBD's beta, in units of the largest `T`; Pareto/NBD divides by the mean weight),
   * as lifetimes does. Keeps parameters finite where the likelihood alone has no maximum.
   */
  penalizerCoef?: number | null;
}

/** Settings of a shifted-beta-geometric fit. */
export interface SbgFitOptions {
  /** L-BFGS iterations before the Newton polish (default 2000). */
  maxIter?: number | null;
  /**
   * Penalty on `alpha^2 + beta^2` added to the mean negative log-likelihood per customer
   * of the cohort (default 0), as lifetimes' `penalizer_coef` on its other models.
   */
  penalizerCoef?: number | null;
}

/** Customers' histories (lifetimes' columns, in the time unit you chose). */
export interface ClvHistories {
  /** Repeat purchases (whole numbers >= 0). */
  frequency: Numbers;
  /** Time of the last purchase since the first, in `[0, T]` (0 for frequency 0). */
  recency: Numbers;
  /** Age: time since the first purchase to the end of observation. */
  T: Numbers;
  /** Customers per row (fits only; default 1 each). */
  weights?: Numbers | null;
}

/** Customers' histories at discrete transaction opportunities (lifetimes' BG/BB columns). */
export interface ClvPeriods {
  /** Transactions after the first (whole numbers, at most one an opportunity). */
  frequency: Numbers;
  /** The opportunity of the last transaction, in `[frequency, nPeriods]` (0 for frequency 0). */
  recency: Numbers;
  /** Opportunities after the first (whole numbers). */
  nPeriods: Numbers;
  /** Customers per row (fits only; default 1 each). */
  weights?: Numbers | null;
}

/** Repeat buyers' purchases and mean repeat spend (rows with frequency 0 are ignored by fits). */
export interface ClvSpend {
  /** Repeat purchases. */
  frequency: Numbers;
  /** Mean spend of the repeat purchases (> 0 for repeat buyers). */
  monetaryValue: Numbers;
  /** Customers per row (fits only; default 1 each). */
  weights?: Numbers | null;
}

/** Customers' histories with their mean repeat spend. */
export interface ClvCustomers {
  /** Repeat purchases. */
  frequency: Numbers;
  /** Time of the last purchase since the first. */
  recency: Numbers;
  /** Age. */
  T: Numbers;
  /** Mean spend of the repeat purchases. */
  monetaryValue: Numbers;
}

/** Options of `clv()` (lifetimes' `customer_lifetime_value`). */
export interface ClvValueOptions {
  /** Months summed (default 12). */
  months?: number | null;
  /** Discount rate per month (default 0.01). */
  discountRate?: number | null;
  /** The purchase model's time unit: `'H'`, `'D'` (default), `'W'` or `'M'`. */
  freq?: string | null;
}

/** BG/NBD and MBG/NBD parameters. */
export interface BetaGeoValues {
  /** Gamma shape of the purchase rate. */
  r: number;
  /** Gamma rate of the purchase rate. */
  alpha: number;
  /** First Beta parameter of the dropout probability. */
  a: number;
  /** Second Beta parameter of the dropout probability. */
  b: number;
}

/** Pareto/NBD parameters. */
export interface ParetoNbdValues {
  /** Gamma shape of the purchase rate. */
  r: number;
  /** Gamma rate of the purchase rate. */
  alpha: number;
  /** Gamma shape of the dropout rate. */
  s: number;
  /** Gamma rate of the dropout rate. */
  beta: number;
}

/** BG/BB parameters. */
export interface BetaGeoBetaBinomValues {
  /** First Beta parameter of the transaction probability. */
  alpha: number;
  /** Second Beta parameter of the transaction probability. */
  beta: number;
  /** First Beta parameter of the dropout probability. */
  gamma: number;
  /** Second Beta parameter of the dropout probability. */
  delta: number;
}

/** Gamma-Gamma parameters. */
export interface GammaGammaValues {
  /** Shape of the per-transaction spend. */
  p: number;
  /** Shape of the spend scale's Gamma. */
  q: number;
  /** Rate of the spend scale's Gamma. */
  v: number;
}

/** Shifted-beta-geometric parameters. */
export interface ShiftedBetaGeoValues {
  /** First Beta parameter of the churn probability. */
  alpha: number;
  /** Second Beta parameter of the churn probability. */
  beta: number;
}

/** A transaction log, one purchase per row (what `rfm` and `calibrationAndHoldout` read). */
export interface RfmLog {
  /** Customer ids. */
  customerId: string[];
  /** Purchase times, whole unix seconds or `Date`s. */
  datetime: Timestamps;
  /** Purchase values (optional). */
  monetaryValue?: Numbers | null;
}

/** Options of the RFM summaries (lifetimes' names, camelCase). */
export interface RfmSummaryOptions {
  /** Period purchases are counted in: `'H'`, `'D'` (default) or `'W'` (weeks from Monday). */
  freq?: string | null;
  /** Divisor of recency and `T` (default 1). */
  freqMultiplier?: number | null;
  /** End of observation, unix seconds or a `Date` (default: the latest transaction). */
  observationEnd?: number | Date | null;
}

/** How a CLV fit ended. */
export interface ClvDiagnostics {
  /** L-BFGS iterations. */
  lbfgsIterations: number;
  /** Newton steps after L-BFGS. */
  newtonIterations: number;
  /** Largest gradient entry (log-parameters) over the total weight, at the answer. */
  gradNorm: number;
  /** Distinct histories fitted. */
  rows: number;
  /** Total weight (customers). */
  totalWeight: number;
}

/** One row per customer, sorted by id (lifetimes' `summary_data_from_transaction_data`). */
export interface RfmSummary {
  /** Customer ids. */
  customerId: string[];
  /** Purchase periods after the first. */
  frequency: Float64Array;
  /** Last purchase period minus the first. */
  recency: Float64Array;
  /** Observation end's period minus the first purchase period. */
  T: Float64Array;
  /** Mean spend of the repeat periods (0 without repeats or spend data). */
  monetaryValue: Float64Array;
}

/** The calibration summary and the holdout counts (lifetimes' `calibration_and_holdout_data`). */
export interface CalibrationHoldout {
  /** Customer ids seen in calibration, sorted. */
  customerId: string[];
  /** Calibration frequency. */
  frequencyCal: Float64Array;
  /** Calibration recency. */
  recencyCal: Float64Array;
  /** Calibration age. */
  TCal: Float64Array;
  /** Calibration mean repeat spend. */
  monetaryValueCal: Float64Array;
  /** Distinct purchase periods in the holdout. */
  frequencyHoldout: Float64Array;
  /** Mean value of the holdout transactions. */
  monetaryValueHoldout: Float64Array;
  /** Length of the holdout in periods over `freqMultiplier`. */
  durationHoldout: number;
}

/** `ln |2F1(a, b; c; z)|` and the sign of `2F1`. */
export interface LnHyp2f1 {
  /** `ln |2F1|`. */
  value: number;
  /** `1` or `-1`. */
  sign: number;
}

/**
 * An event log, one event per row (columns of equal length; rows in any order).
 * Lead ids are interned in first-seen order (or that of `leads`), event names in
 * first-seen order (or that of `eventTypes`).
 */
export interface LeadEvents {
  /** The lead of each event (strings or numbers). */
  lead: (string | number)[] | Numbers;
  /** Event times, whole unix seconds or `Date`s. */
  timestamp: Timestamps;
  /** Event names. */
  event: string[];
  /** Event values (revenue, duration; default 0). */
  value?: Numbers | null;
  /** Every lead id, in result order (leads without events included); a `lead` not in it is an error. */
  leads?: (string | number)[] | Numbers | null;
  /** The event-name vocabulary; an `event` not in it is an error. */
  eventTypes?: string[] | null;
}

/** An event between two steps that disqualifies the attempt. */
export interface FunnelExclusion {
  /** The excluded event name. */
  eventType: string;
  /** The step after which it disqualifies (0-based). */
  fromStep: number;
  /** The step before which it disqualifies (after `fromStep`). */
  toStep: number;
}

/**
 * A funnel (PostHog's semantics: each lead counted once, at the furthest step any attempt
 * reached within the window from its first step).
 */
export interface FunnelOptions {
  /** Event names of the steps, in order (at least two). */
  steps: string[];
  /**
   * `'sequential'` (default: in order, other events between allowed), `'strict'` (no
   * other event between) or `'any'` (in any order).
   */
  order?: string | null;
  /** Conversion window from the first step, in seconds (default 14 days). */
  windowSeconds?: number | null;
  /** Rates against the `'first'` (default) or the `'previous'` step. */
  relativeTo?: string | null;
  /** Events that disqualify an attempt between two steps. */
  exclusions?: FunnelExclusion[] | null;
}

/** One step of a funnel. */
export interface FunnelStep {
  /** The step's event name. */
  step: string;
  /** Leads that reached it. */
  count: number;
  /** `count` over the first (or previous) step's count. */
  conversionRate: number;
  /** Leads of the previous step that did not reach it (0 for the first step). */
  dropOff: number;
  /**
   * Median seconds from the previous step (`null` for the first step or when no lead
   * reached it).
   */
  medianSecondsFromPrevious: number | null;
}

/** A funnel's result. */
export interface Funnel {
  /** One row per step. */
  steps: FunnelStep[];
  /** Every lead id, in the order of `furthestStep`. */
  leads: (string | number)[];
  /** Steps each lead reached (0: it never did the first). */
  furthestStep: number[];
}

/** A cohort table (all times UTC). */
export interface CohortOptions {
  /** `'day'`, `'week'` (ISO, from Monday) or `'month'` (default). */
  period?: string | null;
  /** Event of the acquisition (default: any event). */
  acquisitionEvent?: string | null;
  /** Event counted as activity (default: any event). */
  activityEvent?: string | null;
  /** Event counted as conversion (default: none). */
  conversionEvent?: string | null;
  /** Event whose values are revenue (default: every event). */
  revenueEvent?: string | null;
  /** End of observation, unix seconds or a `Date` (default: the latest event). */
  asOf?: number | Date | null;
}

/** One acquisition cohort: lists by period since acquisition (0 = the cohort's own period). */
export interface CohortRow {
  /** Its label: `'YYYY-MM'` for months, else the first day `'YYYY-MM-DD'`. */
  cohort: string;
  /** Start of the cohort's period, unix seconds. */
  periodStart: number;
  /** Leads acquired in it. */
  size: number;
  /** Leads active in each period. */
  active: number[];
  /** Share of the cohort active in each period. */
  retentionOn: Float64Array;
  /** Share active in that period or any later one. */
  retentionOnOrAfter: Float64Array;
  /** Leads converted by each period (cumulative; zeros without a `conversionEvent`). */
  converted: number[];
  /** `converted` over `size`. */
  conversion: Float64Array;
  /** Revenue in each period. */
  revenue: Float64Array;
  /** Revenue of periods `0..=k` over `size`. */
  cumulativeValuePerCustomer: Float64Array;
}

/** A condition on an attribute (numeric conditions on numeric columns, text ones on text). */
export type AttributeCondition =
  | { op: 'equals'; value: string }
  | { op: 'one_of'; values: string[] }
  | { op: 'at_least'; value: number }
  | { op: 'below'; value: number }
  | { op: 'between'; min: number; max: number }
  | { op: 'missing' };
/** A scoring dimension. */
export type ScoringDimension = 'demographic' | 'behavioural' | 'firmographic' | 'engagement' | 'intent';
/** Points for leads whose attribute meets a condition. */
export interface AttributeRule {
  /** A unique rule name. */
  name: string;
  dimension: ScoringDimension;
  /** The attribute column. */
  attribute: string;
  condition: AttributeCondition;
  points: number;
}
/** Points per event of a type (plus `perValue` times its value), subject to caps and decay. */
export interface EventRule {
  /** A unique rule name. */
  name: string;
  dimension: ScoringDimension;
  /** The event name. */
  eventType: string;
  points: number;
  /** Extra points per unit of the event's value (default 0). */
  perValue?: number;
}
/**
 * Rule-based lead scoring (the core's `ScoringConfig`, keys in camelCase; snake_case keys are
 * read too). Weights default to 1; grades A+..D by `grades.thresholds` (4, increasing), hot /
 * warm / cold by `temperature.thresholds` (2, increasing).
 */
export interface ScoringConfig {
  attributeRules?: AttributeRule[];
  eventRules?: EventRule[];
  weights?: Partial<Record<ScoringDimension, number>>;
  /** Points per day at most, by event name. */
  dailyCaps?: Record<string, number>;
  /** Halves points every `halfLifeDays` since the lead's last activity (`'inactivity'`) or each event (`'event_age'`). */
  decay?: { halfLifeDays: number; mode?: 'inactivity' | 'event_age' } | null;
  grades?: { thresholds: [number, number, number, number]; basis?: 'total' | 'fit' | 'activity' };
  temperature?: { thresholds: [number, number]; basis?: 'total' | 'fit' | 'activity' };
}

/**
 * Lead attributes: `lead` ids and one column per attribute, numeric (`null` / NaN
 * missing) or text (`null` / `''` missing). Leads only in the events have every
 * attribute missing.
 */
export interface LeadAttributes {
  /** The lead ids, in result order. */
  lead: (string | number)[] | Numbers;
  /** An attribute column. */
  [column: string]: (string | number)[] | Numbers | (string | null)[] | (number | null)[];
}

/** One lead's score, with its breakdown. */
export interface LeadScore {
  /** The lead id. */
  lead: string | number;
  /** `fit + activity`. */
  total: number;
  /** Attribute-rule points. */
  fit: number;
  /** Event-rule points after caps, decay and weights. */
  activity: number;
  /** `'A+'`, `'A'`, `'B'`, `'C'` or `'D'`. */
  grade: string;
  /** `'hot'`, `'warm'` or `'cold'`. */
  temperature: string;
  /** Points of the demographic dimension. */
  demographic: number;
  /** Points of the behavioural dimension. */
  behavioural: number;
  /** Points of the firmographic dimension. */
  firmographic: number;
  /** Points of the engagement dimension. */
  engagement: number;
  /** Points of the intent dimension. */
  intent: number;
  /** Each rule's points, by rule name (attribute rules, then event rules). */
  rules: Record<string, number>;
  /** Latest event at or before `asOf` (unix seconds), `null` without one. */
  lastActivity: number | null;
}

/** Stage transitions, one per row: lead `lead[i]` entered `stage[i]` at `timestamp[i]`. */
export interface StageLog {
  /** The lead of each transition. */
  lead: (string | number)[] | Numbers;
  /** Transition times, whole unix seconds or `Date`s (in time order per lead). */
  timestamp: Timestamps;
  /** The stage entered. */
  stage: string[];
  /** Why (`null` / `''`: none given). */
  reason?: (string | null)[] | null;
  /** Every lead id, in result order. */
  leads?: (string | number)[] | Numbers | null;
}

/** The stage machine and the time in stage. */
export interface LifecycleOptions {
  /**
   * Stage names in order (default `new, contacted, qualified, engaged, opportunity,
   * customer`).
   */
  stages?: string[] | null;
  /** Allowed `[from, to]` moves (default: every forward move). */
  transitions?: [string, string][] | null;
  /** End of the current stays, unix seconds or a `Date` (default: the latest transition). */
  asOf?: number | Date | null;
}

/** One accepted transition. */
export interface LifecycleTransition {
  /** The lead id. */
  lead: string | number;
  /** Stage before (`null` for the lead's entry). */
  from: string | null;
  /** Stage after. */
  to: string;
  /** When, unix seconds. */
  timestamp: number;
  /** Why, if given. */
  reason: string | null;
}

/** What happened in one stage. */
export interface StageSummary {
  /** The stage. */
  stage: string;
  /** Entries into it (a re-entry counts again). */
  entered: number;
  /** Exits from it. */
  exited: number;
  /** Leads in it now. */
  current: number;
  /** Median seconds of completed stays (`null` without one). */
  medianSeconds: number | null;
  /** Mean seconds of completed stays (`null` without one). */
  meanSeconds: number | null;
}

/** Lifecycle histories replayed through a stage machine. */
export interface Lifecycle {
  /** Stage names, in order. */
  stages: string[];
  /** Every lead id, in the order of `current` and `timeInStage`. */
  leads: (string | number)[];
  /** Each lead's current stage. */
  current: (string | null)[];
  /** Every transition, in row order. */
  transitions: LifecycleTransition[];
  /**
   * Seconds each lead spent in each stage (re-entries summed; the current stay runs to
   * `asOf`), by stage.
   */
  timeInStage: Record<string, Float64Array>;
  /** One row per stage. */
  summary: StageSummary[];
  /** The end of the current stays, unix seconds. */
  asOf: number;
}

/** Journey-health settings (the core's `leads::health` table). */
export interface HealthOptions {
  /** Days per period of the activity series (default 7). */
  periodDays?: number | null;
  /** Periods in the series (default 8, 3 to 1000). */
  periods?: number | null;
  /** Level of the Mann-Kendall test (default 0.05). */
  alpha?: number | null;
  /** Days of silence after which the recency churn risk is 1/2 (default 30). */
  recencyHalfLifeDays?: number | null;
  /** Event counted as activity (default: any event). */
  activityEvent?: string | null;
  /** Weight of `1 - churnRisk` in the score (default 0.6). */
  churnWeight?: number | null;
  /** Weight of `(1 + tau) / 2` in the score (default 0.4). */
  trendWeight?: number | null;
  /** Lower bounds of `'at_risk'` and `'healthy'` (default `[40, 70]`). */
  thresholds?: number[] | null;
  /**
   * P(alive) from a CLV model (e.g. `FittedBetaGeo.pAlive`), one per lead in lead order
   * or by lead id; a lead without one gets its churn risk from recency.
   */
  pAlive?: Numbers | (number | null)[] | Record<string, number> | null;
}

/** One lead's health. */
export interface LeadHealth {
  /** The lead id. */
  lead: string | number;
  /** Health score in [0, 100]. */
  score: number;
  /** `'healthy'`, `'at_risk'` or `'critical'`. */
  status: string;
  /** Probability the lead has churned. */
  churnRisk: number;
  /** `'p_alive'` or `'recency'`. */
  churnSource: string;
  /** Mann-Kendall trend of the activity: `'increasing'`, `'decreasing'` or `'no trend'`. */
  trend: string;
  /** Kendall's tau of the activity against time. */
  tau: number;
  /** Mann-Kendall two-sided p-value. */
  pValue: number;
  /** Theil-Sen slope, events per period per period. */
  slope: number;
  /** Latest activity at or before `asOf` (unix seconds), `null` without one. */
  lastActivity: number | null;
  /** Activity events per period, oldest first. */
  activity: Float64Array;
}

/**
 * Predictive lead score settings (scikit-learn's names, camelCase).
 *
 * | Name | Default | Meaning | Range |
 * |---|---|---|---|
 * | `penalty` | `'l2'` | `'l2'`, `'l1'`, `'elasticnet'` or `'none'` | |
 * | `c` | `1` | inverse regularisation strength (scikit-learn's `C`) | `> 0` |
 * | `l1Ratio` | | the elastic net's L1 share (required by `'elasticnet'`) | `[0, 1]` |
 * | `classWeight` | `'none'` | `'none'` or `'balanced'` (rows weigh `n / (2 n_class)`) | |
 * | `calibration` | `'none'` | `'none'`, `'platt'` (alias `'sigmoid'`) or `'isotonic'` | |
 * | `maxIter` | `200` | most Newton steps | `>= 1` |
 */
export interface LogisticScoreOptions {
  /** `'l2'` (default), `'l1'`, `'elasticnet'` or `'none'`. */
  penalty?: string | null;
  /** Inverse regularisation strength, `> 0` (default 1). */
  c?: number | null;
  /** The elastic net's L1 share in `[0, 1]` (with `penalty: 'elasticnet'`). */
  l1Ratio?: number | null;
  /** `'none'` (default) or `'balanced'`. */
  classWeight?: string | null;
  /** `'none'` (default), `'platt'` (`'sigmoid'`) or `'isotonic'`. */
  calibration?: string | null;
  /** Most Newton steps (default 200). */
  maxIter?: number | null;
}

/** Reliability table settings (scikit-learn's `calibration_curve`). */
export interface ReliabilityOptions {
  /** Number of bins (default 5). */
  nBins?: number | null;
  /** `'uniform'` (default) or `'quantile'` bin edges. */
  strategy?: string | null;
}

/** One non-empty bin of a reliability table. */
export interface ReliabilityRow {
  /** The bin's index among all `nBins`. */
  bin: number;
  /** Lower edge. */
  lower: number;
  /** Upper edge. */
  upper: number;
  /** Rows in the bin. */
  count: number;
  /** Their share of positives (scikit-learn's `prob_true`). */
  fractionPositive: number;
  /** Their mean predicted probability (`prob_pred`). */
  meanPredicted: number;
}

/** How calibrated probabilities rank and fit labels. */
export interface ScoreEvaluation {
  /** Rows. */
  n: number;
  /** Rows with label 1. */
  positives: number;
  /** ROC AUC (ties count half). */
  auc: number;
  /** Mean log-loss (probabilities clipped as scikit-learn does). */
  logLoss: number;
  /** Brier score. */
  brier: number;
  /** The reliability table (non-empty bins). */
  reliability: ReliabilityRow[];
}

/** Per-lead contributions to the logit: `base + sum_j values[i][j] = logit[i]`. */
export interface ScoreContributions {
  /** The features, the columns of each `values` row. */
  featureNames: string[];
  /** The logit of the reference (training-mean) lead. */
  base: number;
  /** One row per lead: `coef_j (x_ij - reference_j)` per feature. */
  values: Float64Array[];
  /** Each lead's logit (uncalibrated). */
  logit: Float64Array;
}

/** Options of `LogisticScore.fit`. */
export interface LogisticScoreFitOptions {
  /** Feature names of a matrix `x` (default `x0, x1, ...`); a columns object is named by its keys. */
  featureNames?: string[] | null;
  /** Columns of a flat row-major `x` (default `featureNames.length`). */
  nFeatures?: number | null;
  /** Held-out rows to fit the calibration on (default: the training rows). */
  calibration?: { x: Features; y: Numbers } | null;
}

/** Lead features: a matrix (rows, or flat row-major with `nFeatures`) or columns by name. */
export type Features = Matrix | { [feature: string]: Numbers };
/** Customer data keyed as the vendor names it (`em`, `ph`, `fn`, ...; Google also `email_address`, `phone_number`, `given_name`, `family_name`): one value, or for Meta a list. */
export type UserData = { [field: string]: string | string[] };
/** A failure as the vendor reported it (the adapter's `PlatformError`). */
export type PlatformError =
  | { kind: 'timeout' }
  | { kind: 'transport'; message: string }
  | { kind: 'adapter'; message: string }
  | { kind: 'http'; status: number; retryAfterMs?: number }
  | { kind: 'meta'; code: number; subcode?: number; message?: string; retryAfterMs?: number }
  | { kind: 'google_ads'; code: string; retryDelayMs?: number; message?: string };
/** A vendor call's answer: its value, or the vendor's failure as data (to classify and retry). */
export type PlatformResult<T> = { ok: true; value: T } | { ok: false; error: PlatformError };
/** What to do about a failed call (`platform.classify`). */
export type Disposition =
  | { action: 'retry' }
  | { action: 'back_off'; minWaitMs: number }
  | { action: 'give_up'; retryAtMs: number | null };
/** The classifier's settings (every one optional). */
export interface ClassifierOptions {
  /** Least wait after a Meta throttle that states no time (default 60000). */
  throttleWaitMs?: number;
  /** Least wait after an HTTP 429 without `Retry-After` (default 1000). */
  http429WaitMs?: number;
  /** Least wait after Google Ads `RESOURCE_TEMPORARILY_EXHAUSTED` without `retry_delay` (default 1000). */
  googleTemporaryWaitMs?: number;
  /** Daily quotas reset at midnight UTC plus this many minutes (default 0). */
  quotaResetOffsetMinutes?: number;
}
/** Daily metrics to read: `from` to `to` (`'YYYY-MM-DD'`, both included). */
export interface MetricsQuery {
  from: string;
  to: string;
  /** Entity ids; empty or absent: every entity. */
  entities?: string[];
  /** `'campaign'` (default) or `'ad_set'`. */
  level?: 'campaign' | 'ad_set';
}
/** One entity's metrics for one day, in currency units. */
export interface MetricsRow {
  entity: string;
  date: string;
  spend: number;
  impressions: number;
  clicks: number;
  conversions: number;
  value: number;
  currency: string;
}
/** A budget (currency units a day), bid or status change. */
export type ChangeAction =
  | { kind: 'budget'; daily: number }
  | { kind: 'bid'; amount: number }
  | { kind: 'status'; status: 'active' | 'paused' };
/** One change to one entity; the key is applied at most once. */
export interface Change {
  key: string;
  entity: string;
  action: ChangeAction;
}
/** What the platform holds for an entity. */
export interface EntityState {
  entity: string;
  dailyBudget: number;
  bid: number | null;
  status: 'active' | 'paused';
  updatedMs: number;
}
/** One item's result, in request order. */
export interface ChangeResult {
  key: string;
  entity: string;
  outcome:
    | { status: 'applied'; state: EntityState }
    | { status: 'already_applied'; state: EntityState }
    | { status: 'failed'; error: PlatformError };
}
/** A change the simulated market applied. */
export interface AppliedChange {
  key: string;
  entity: string;
  action: ChangeAction;
  atMs: number;
}
/** The verdict of `platform.checkTimestamped`. */
export type TimestampedVerdict = 'valid' | 'mismatch' | 'outside_tolerance';
/** A fault the simulated market injected. */
export interface FaultEvent {
  call: number;
  atMs: number;
  kind: 'timeout' | 'server_error' | 'item_failure' | 'lost_ack' | 'duplicate' | 'stale_read';
}
/**
 * The simulated market's settings, the core's `SimConfig` with camelCase keys; every key
 * optional (defaults: seed 0, start `'2026-01-05'`, two example campaigns, no faults). A
 * campaign's `curve` is a saturation such as `{ logistic: { lam, beta } }` or
 * `{ hill: { slope, kappa, beta } }`, its `adstock` such as `{ geometric: { alpha, lMax, normalize } }`.
 */
export interface SimConfig {
  seed?: number;
  start?: string;
  account?: string;
  currency?: string;
  campaigns?: object[];
  weekly?: number[];
  noise?: number;
  reportingDelay?: number[];
  limits?: object;
  /** Probabilities in [0, 1] of each injected fault. */
  faults?: { timeout?: number; serverError?: number; itemFailure?: number; lostAck?: number; duplicate?: number; staleRead?: number };
}

/**
 * Whose normalisation rules to apply.
 *
 * | Name | Default | Meaning |
 * |---|---|---|
 * | `vendor` | `'meta'` | Meta's `user_data` rules or Google's (enhanced conversions, Customer Match) |
 * | `googleEmail` | `'documentation'` | Google's email rule: its Data Manager page (`'documentation'`), the google-ads-python examples (`'sdk'`), or dots and `+suffix` removed for every domain (`'all_domains'`) |
 */
export interface PiiOptions {
  /** `'meta'` (default) or `'google'`. */
  vendor?: 'meta' | 'google' | null;
  /** Google's email rule (default `'documentation'`). */
  googleEmail?: 'documentation' | 'sdk' | 'all_domains' | null;
}

/** A webhook to verify: the raw body exactly as received and the signature header's value. */
export interface WebhookRequest {
  /**
   * `'shopify'` (`X-Shopify-Hmac-Sha256`), `'meta'` (`X-Hub-Signature-256`) or
   * `'timestamped'` (`t=...,v1=...`, Stripe-style).
   */
  scheme: 'shopify' | 'meta' | 'timestamped';
  /**
   * The shared secret (Shopify's app secret, Meta's app secret, the endpoint's signing
   * secret).
   */
  secret: string | Uint8Array;
  /** The raw request body: a `Uint8Array` / `Buffer` as received, or a string (its UTF-8). */
  body: string | Uint8Array;
  /** The signature header's value. */
  header: string;
  /** Now, unix seconds (default: the clock); read by the timestamped scheme only. */
  now?: number | null;
  /**
   * Largest `|now - t|` in seconds of the timestamped scheme (default 300, `Infinity`
   * accepts any timestamp).
   */
  toleranceSeconds?: number | null;
}

/** What to sign, as a sender (or a test) would. */
export interface WebhookSignRequest {
  /** `'shopify'`, `'meta'` or `'timestamped'`. */
  scheme: 'shopify' | 'meta' | 'timestamped';
  /** The shared secret. */
  secret: string | Uint8Array;
  /** The body to sign. */
  body: string | Uint8Array;
  /** The timestamp of the timestamped scheme, unix seconds (default: the clock). */
  t?: number | null;
}

/** A Conversions API server event in Meta's field names: `user_data` raw (hashed here; `client_user_agent`, `client_ip_address`, `fbc`, `fbp` pass as they are), other fields passed through. */
export interface CapiEvent {
  event_name: string;
  /** Unix seconds. */
  event_time: number;
  event_id?: string;
  action_source: 'email' | 'website' | 'app' | 'phone_call' | 'chat' | 'physical_store' | 'system_generated' | 'business_messaging' | 'other';
  event_source_url?: string;
  user_data?: UserData;
  custom_data?: { [key: string]: unknown };
  [field: string]: unknown;
}
/** A GA4 Measurement Protocol payload in Google's field names (any number of events; `ga4Requests` splits them). */
export interface Ga4Payload {
  client_id?: string;
  app_instance_id?: string;
  user_id?: string;
  timestamp_micros?: number;
  user_properties?: { [name: string]: { value: unknown } };
  events: { name: string; params?: { [name: string]: unknown }; timestamp_micros?: number }[];
  [field: string]: unknown;
}
/** A Google Ads click conversion in the API's snake_case names: exactly one of `gclid`, `gbraid`, `wbraid`; `user_data` raw (hashed here). */
export interface ClickConversion {
  gclid?: string;
  gbraid?: string;
  wbraid?: string;
  /** `customers/<id>/conversionActions/<id>`. */
  conversion_action: string;
  /** `'yyyy-mm-dd hh:mm:ss+hh:mm'` (`platform.googleAdsDateTime`). */
  conversion_date_time: string;
  conversion_value?: number;
  currency_code?: string;
  order_id?: string;
  user_data?: UserData;
}
/** A request body as the vendor takes it (`JSON.stringify` it and send). */
export type VendorBody = { [key: string]: unknown };
/** A request to send: where (`path`, relative to the API version's root) and what. */
export interface VendorRequest {
  path: string;
  body: VendorBody;
  [key: string]: unknown;
}
/** Daily metrics rows and the time zone their days are in. */
export interface MetricsReport {
  timeZone: string;
  rows: MetricsRow[];
}

/**
 * Options of `platform.metaCapiEvents`.
 *
 * | Name | Default | Meaning | Range |
 * |---|---|---|---|
 * | `nowMs` | the clock | when the request is sent, ms since the epoch (events older than 7 days are refused) | whole ms |
 * | `batchSize` | 1000 | events per request body | 1 to 1000 |
 * | `testEventCode` | none | Events Manager's test code, added to every body | non-empty |
 */
export interface CapiOptions {
  /** When the request is sent, ms since the epoch (default `Date.now()`). */
  nowMs?: number | null;
  /** Events per request body, 1 to 1000 (default 1000). */
  batchSize?: number | null;
  /** Events Manager's test event code. */
  testEventCode?: string | null;
}

/** Options of `platform.ga4Requests` and `platform.ga4Body`. */
export interface Ga4Options {
  /**
   * When the request is sent, ms since the epoch (default `Date.now()`): event
   * timestamps must lie within the 72 hours before it.
   */
  nowMs?: number | null;
  /** A Google Analytics 360 property (parameter values up to 500 characters, not 100). */
  ga360?: boolean | null;
}

/** Options of `platform.googleAdsClickConversions`. */
export interface ClickConversionOptions {
  /** The account, digits only (`'1234567890'`). */
  customerId: string;
  /** Check without applying (`validateOnly` in the body). */
  validateOnly?: boolean | null;
  /** Conversions per request, 1 to 2000 (default 2000). */
  batchSize?: number | null;
  /** Google's email rule for `user_data` (default `'documentation'`). */
  googleEmail?: 'documentation' | 'sdk' | 'all_domains' | null;
}

/** Google's normalisation of customer data. */
export interface GoogleEmailOption {
  /** Google's email rule (default `'documentation'`; see `PiiOptions`). */
  googleEmail?: 'documentation' | 'sdk' | 'all_domains' | null;
}

/** Options of `platform.googleAdsMutate`. */
export interface MutateOptions {
  /** Apply the valid operations when others fail (default `true`). */
  partialFailure?: boolean | null;
  /** Check without applying (default `false`). */
  validateOnly?: boolean | null;
}

/** Options of `platform.metaInsights`. */
export interface MetaInsightsOptions {
  /** The field naming the entity (default `'campaign_id'`; `'adset_id'`, `'ad_id'`). */
  entity?: string | null;
  /**
   * The `action_type`s counted as conversions and value (default
   * `['offsite_conversion.fb_pixel_purchase']`).
   */
  conversionActionTypes?: string[] | null;
  /** Currency of rows without `account_currency`. */
  currency?: string | null;
  /**
   * The account's IANA time zone (its `timezone_name`; Insights rows do not carry it, so
   * it must be given).
   */
  timeZone?: string | null;
}

/** Options of `platform.googleAdsMetrics`. */
export interface GoogleAdsMetricsOptions {
  /** The dotted path naming the entity (default `'campaign.id'`; `'adGroup.id'`). */
  entity?: string | null;
  /** Currency of rows without `customer.currencyCode`. */
  currency?: string | null;
  /** Time zone of rows without `customer.timeZone`. */
  timeZone?: string | null;
}

/** Options of `platform.ga4RunReport`: which dimension and metrics fill each column. */
export interface Ga4ReportOptions {
  /** The dimension naming the entity (default `'sessionCampaignId'`). */
  entity?: string | null;
  /** The day dimension (default `'date'`). */
  date?: string | null;
  /** The spend metric (default `'advertiserAdCost'`). */
  spend?: string | null;
  /** The impressions metric (default `'advertiserAdImpressions'`). */
  impressions?: string | null;
  /** The clicks metric (default `'advertiserAdClicks'`). */
  clicks?: string | null;
  /** The conversions metric (default `'keyEvents'`). */
  conversions?: string | null;
  /** The value metric (default `'totalRevenue'`). */
  value?: string | null;
  /** Currency when `metadata.currencyCode` is absent. */
  currency?: string | null;
  /** Time zone when `metadata.timeZone` is absent. */
  timeZone?: string | null;
}

/** Conversion counts of an arm, or its 0/1 outcomes. */
export type ProportionArm = { n: number; successes: number } | Numbers;
/** An arm: conversion counts, sums of a metric (`sumSquares`: the sum of squares), a summary made elsewhere (an `experiment.cuped` arm), or the raw values. */
export type Arm =
  | { n: number; successes: number }
  | { n: number; sum: number; sumSquares: number }
  | { n: number; mean: number; variance: number; unadjustedMean?: number }
  | Numbers;

/** Options of the frequentist tests. */
export interface AbTestOptions {
  /** Significance level in (0, 1) (default 0.05). */
  alpha?: number | null;
  /** `'two_sided'` (default), `'larger'` (B > A) or `'smaller'`. */
  alternative?: 'two_sided' | 'larger' | 'smaller' | null;
}

/** An effect of B against A with its interval and p-value. */
export interface Effect {
  /** The estimate (absolute: `meanB - meanA`; relative: `meanB / meanA - 1`). */
  estimate: number;
  /** Its standard error (the delta method's for a relative effect). */
  stdError: number;
  /** Lower end of the two-sided `1 - alpha` interval (whatever the `alternative`). */
  ciLower: number;
  /** Upper end. */
  ciUpper: number;
  /** The p-value under `alternative`. */
  pValue: number;
}

/** The pooled two-proportion z-test (statsmodels' `proportions_ztest`). */
export interface ZTestResult {
  /** The z statistic (pooled standard error). */
  z: number;
  /** Its p-value. */
  pValue: number;
  /** A's conversion rate. */
  rateA: number;
  /** B's conversion rate. */
  rateB: number;
  /** `rateB - rateA` (unpooled standard error for the interval). */
  absolute: Effect;
  /** `rateB / rateA - 1` by the delta method (gbstats); `null` when `rateA` is 0. */
  relative: Effect | null;
}

/** Welch's unequal-variance t-test (scipy's `ttest_ind(equal_var=False)`). */
export interface WelchResult {
  /** The t statistic. */
  t: number;
  /** Welch-Satterthwaite degrees of freedom. */
  df: number;
  /** Its p-value. */
  pValue: number;
  /** `meanB - meanA`. */
  absolute: Effect;
  /** `meanB / meanA - 1` by the delta method; `null` when A's mean is 0. */
  relative: Effect | null;
}

/**
 * Pearson's chi-square test of k arms' conversion rates (scipy's `chi2_contingency`
 * without continuity correction).
 */
export interface ChiSquareResult {
  /** The statistic. */
  statistic: number;
  /** Degrees of freedom, `k - 1`. */
  df: number;
  /** Its p-value. */
  pValue: number;
}

/** Options of `experiment.betaBinomial`. */
export interface BetaBinomialOptions {
  /** The Beta prior of both rates, whole numbers >= 1 (default `{ alpha: 1, beta: 1 }`). */
  prior?: { alpha?: number; beta?: number } | null;
}

/** The exact beta-binomial comparison (numerical integration, not simulation). */
export interface BetaBinomialResult {
  /** A's posterior Beta parameters `[alpha, beta]`. */
  posteriorA: number[];
  /** B's posterior Beta parameters. */
  posteriorB: number[];
  /** P(rate B > rate A). */
  chanceToBeatA: number;
  /** Expected loss of choosing A: `E[max(rateB - rateA, 0)]`. */
  lossChoosingA: number;
  /** Expected loss of choosing B. */
  lossChoosingB: number;
}

/** A Gaussian prior on the effect. */
export interface GaussianPrior {
  /** Prior mean of the effect. */
  mean: number;
  /** Prior variance, above 0. */
  variance: number;
}

/** Options of `experiment.bayes` (gbstats' `EffectBayesianABTest`). */
export interface BayesOptions {
  /** 1 - the credible interval's mass (default 0.05). */
  alpha?: number | null;
  /** A relative effect `meanB / meanA - 1` (default `true`) or absolute. */
  relative?: boolean | null;
  /** Lower is better: chance to win is P(effect < 0) (default `false`). */
  inverse?: boolean | null;
  /** A Gaussian prior on the effect; flat when absent or `null` (default). */
  prior?: GaussianPrior | null;
  /** Whether the prior is on the relative scale (default `true`). */
  priorRelative?: boolean | null;
}

/** gbstats' Bayesian effect: the posterior of B's effect against A. */
export interface BayesResult {
  /** Posterior mean of the effect. */
  mean: number;
  /** Posterior standard deviation. */
  stdDev: number;
  /** Lower end of the `1 - alpha` credible interval. */
  ciLower: number;
  /** Upper end. */
  ciUpper: number;
  /** P(effect > 0) (`< 0` with `inverse`). */
  chanceToWin: number;
  /** Expected loss of keeping A. */
  riskControl: number;
  /** Expected loss of shipping B. */
  riskTreatment: number;
}

/**
 * A power analysis: give all but one of `effectSize` (or the rates `p1` and `p2`),
 * `nobs1` and `power`; the missing one is solved for.
 */
export interface PowerOptions {
  /** Cohen's effect size (`d` for means; `h` for proportions). */
  effectSize?: number | null;
  /** A's conversion rate (with `p2`, instead of `effectSize`: Cohen's h). */
  p1?: number | null;
  /** B's conversion rate. */
  p2?: number | null;
  /** Units in arm A. */
  nobs1?: number | null;
  /** The power, in (0, 1). */
  power?: number | null;
  /** Significance level in (0, 1) (default 0.05). */
  alpha?: number | null;
  /** `nobs2 / nobs1` (default 1). */
  ratio?: number | null;
  /** `'two_sided'` (default), `'larger'` or `'smaller'`. */
  alternative?: 'two_sided' | 'larger' | 'smaller' | null;
}

/** A solved power analysis (statsmodels' `NormalIndPower.solve_power`). */
export interface PowerResult {
  /** Which quantity was solved for: `'effectSize'`, `'nobs1'` or `'power'`. */
  solved: string;
  /** Cohen's effect size (`proportionEffectsize(p1, p2)` when rates were given). */
  effectSize: number;
  /** Units in arm A. */
  nobs1: number;
  /** Units in arm B, `nobs1 * ratio`. */
  nobs2: number;
  /** The power. */
  power: number;
}

/** An arm's sums over units for CUPED: the metric `y`, its pre-period covariate `x`. */
export interface CupedArm {
  /** Units, at least 2. */
  n: number;
  /** Sum of `y`. */
  sum: number;
  /** Sum of `y^2`. */
  sumSquares: number;
  /** Sum of `x`. */
  preSum: number;
  /** Sum of `x^2`. */
  preSumSquares: number;
  /** Sum of `x y`. */
  sumProducts: number;
}

/** An arm summarised: units, mean and per-unit variance. */
export interface ArmSummary {
  /** Units. */
  n: number;
  /** Mean per unit (CUPED-adjusted for `experiment.cuped`). */
  mean: number;
  /** Variance per unit. */
  variance: number;
  /**
   * The mean before adjustment, which relative effects divide by (absent when `mean`
   * is unadjusted).
   */
  unadjustedMean?: number;
}

/**
 * Both arms adjusted by CUPED with one pooled theta: pass `a` and `b` on to `welch`,
 * `bayes` or `sequential`.
 */
export interface CupedResult {
  /** The pooled regression coefficient of the metric on its pre-period covariate. */
  theta: number;
  /** The pooled correlation of metric and covariate (the variance shrinks by `1 - r^2`). */
  correlation: number;
  /** A, adjusted. */
  a: ArmSummary;
  /** B, adjusted. */
  b: ArmSummary;
}

/** Options of `experiment.sequential` (gbstats' `SequentialTwoSidedTTest`). */
export interface SequentialOptions {
  /** Significance level in (0, 1) (default 0.05). */
  alpha?: number | null;
  /** The expected sample size (both arms) the sequence is tightest at (default 5000). */
  tuning?: number | null;
  /** A relative effect (default `true`) or absolute. */
  relative?: boolean | null;
}

/** An always-valid look (gbstats' mixture confidence sequence): valid at every peek. */
export interface SequentialResult {
  /** The effect (relative by default). */
  estimate: number;
  /** Its standard error. */
  stdError: number;
  /** Lower end of the confidence sequence. */
  ciLower: number;
  /** Upper end. */
  ciUpper: number;
  /** The always-valid p-value. */
  pValue: number;
}

/** Options of `experiment.groupSequential` (R's `ldbounds`, Spotify's `confidence`). */
export interface GroupSequentialOptions {
  /** Total alpha (both sides when two-sided), in (0, 1) (default 0.05). */
  alpha?: number | null;
  /** Two symmetric bounds (default `true`) or one upper bound. */
  twoSided?: boolean | null;
  /**
   * Lan-DeMets spending: `'o_brien_fleming'` (default) or `{ power: { rho } }`
   * (`alpha t^rho`; rho 1 is Pocock-like).
   */
  spending?: 'o_brien_fleming' | { power: { rho: number } } | null;
}

/** One look of a group-sequential design (Lan-DeMets alpha spending). */
export interface GroupSequentialLook {
  /** Information fraction at the look, in (0, 1]. */
  information: number;
  /** The z bound to cross. */
  z: number;
  /** The nominal alpha of the bound (one side). */
  nominalAlpha: number;
  /** Alpha spent up to and including the look (both sides when two-sided). */
  spent: number;
}

/** A bandit policy: its name with default parameters, or the name with parameters (camelCase; missing ones at their defaults). */
export type BanditPolicy =
  | 'thompson' | 'beta_thompson' | 'gaussian_thompson' | 'ucb1' | 'epsilon_greedy' | 'softmax' | 'top_two_thompson'
  | { name: 'thompson' | 'beta_thompson'; alpha?: number; beta?: number }
  | { name: 'gaussian_thompson'; mean?: number; count?: number; shape?: number; rate?: number }
  | { name: 'ucb1'; alpha?: number }
  | { name: 'epsilon_greedy'; epsilon?: number; decay?: number }
  | { name: 'softmax'; tau?: number }
  | { name: 'lin_ucb'; dim: number; alpha?: number; l2?: number }
  | { name: 'lin_thompson'; dim: number; alpha?: number; l2?: number; sharedDraw?: boolean }
  | { name: 'top_two_thompson'; alpha?: number; beta?: number; leader?: number; floor?: number };

/**
 * A bandit's settings.
 *
 * | Name | Default | Meaning | Range |
 * |---|---|---|---|
 * | `policy` | `'thompson'` | the policy's name, or `{ name, ...parameters }` | see `BanditPolicy` |
 * | `arms` | `[]` | arm ids (add more with `addArm`) | distinct, non-empty |
 * | `seed` | 0 | seed of the decision stream | whole number >= 0 |
 * | `discount` | 1 | every reward first multiplies every arm's statistics by this (non-stationary arms) | (0, 1] |
 */
export interface BanditOptions {
  /**
   * The policy: `'thompson'` (default, Beta-Bernoulli), `'ucb1'`, ... or
   * `{ name: 'lin_ucb', dim: 3, alpha: 0.5 }`.
   */
  policy?: BanditPolicy | null;
  /** Arm ids. */
  arms?: string[] | null;
  /** Seed of the decision stream (default 0): same seed, same choices, in every stack. */
  seed?: number | null;
  /** Discount in (0, 1] (default 1: no discounting). */
  discount?: number | null;
}

/**
 * A reward for an arm, whenever it arrives, with the context of its decision (linear
 * policies).
 */
export interface BanditFeedback {
  /** The arm. */
  arm: string;
  /** The reward (in [0, 1] for the Beta-Bernoulli policies). */
  reward: number;
  /** The decision's context. */
  context?: Numbers | null;
}

/** Options of `Bandit.weights`. */
export interface WeightsOptions {
  /** The context of the next decision (linear policies). */
  context?: Numbers | null;
  /** The arms available (default: all). */
  available?: string[] | null;
  /** Simulated decisions for the Thompson policies (default 10000; 1 to 10000000). */
  draws?: number | null;
}

/** An arm's share of the next decision. */
export interface ArmWeight {
  /** The arm. */
  arm: string;
  /** Its probability of being chosen. */
  weight: number;
}

/** An arm's statistics. */
export interface BanditArm {
  /** The arm. */
  arm: string;
  /** Rewards received (a sum of weights when the bandit discounts). */
  count: number;
  /** Mean reward (0 before any). */
  mean: number;
}

/** How risky a decision is. */
export type RiskLevel = 'low' | 'medium' | 'high';
/** What a decision changes. */
export type DecisionKind = 'budget' | 'bid' | 'status' | 'targeting' | 'creative';
/** A value a decision changes from or to: money (budgets, bids), a status, or a targeting or creative id. */
export type DecisionValue = number | 'active' | 'paused' | string;
/** Expected impact of a decision, with its interval (`lo <= mean <= hi`). */
export interface Impact {
  /** What is measured (default `'conversions/day'`). */
  metric: string;
  mean: number;
  lo: number;
  hi: number;
}
/** A suggested change (the core's `Proposal`). */
export interface Proposal {
  kind: DecisionKind;
  /** The campaign or ad set. */
  entity: string;
  /** The value now, as the producer saw it. */
  from: DecisionValue;
  /** The value wanted (a budget at least 0, a bid above 0). */
  to: DecisionValue;
  /** Confidence in [0, 1]. */
  confidence: number;
  impact?: Impact;
  /** The sentences the producing module wrote. */
  reasons?: string[];
  /** Daily spend at stake, if the producer knows it better than the rule's default. */
  spendAtStake?: number | null;
  /** Time to live in ms (default: the policy's `ttlMs`). */
  ttlMs?: number | null;
}
/**
 * The rule from change, spend and confidence to a risk level: high when the change is above
 * `highChange`, the spend above `highSpend` or the confidence below `highConfidence`; low when
 * the change is at most `lowChange`, the spend at most `lowSpend` and the confidence at least
 * `lowConfidence`; medium otherwise.
 */
export interface RiskRule {
  /** Default 0.2, in [0, highChange]. */
  lowChange?: number;
  /** Default 0.5. */
  highChange?: number;
  /** Default 500, in [0, highSpend]. */
  lowSpend?: number;
  /** Default 5000. */
  highSpend?: number;
  /** Default 0.8, in [highConfidence, 1]. */
  lowConfidence?: number;
  /** Default 0.5. */
  highConfidence?: number;
  /** Smallest base of a relative change (a budget raised from 0); default 1, above 0. */
  minBase?: number;
}
/** A vendor's limit on changes: `capacity` tokens, one back every `refillMs`. */
export interface TokenBucket {
  capacity: number;
  refillMs: number;
}
/** When an entity's ROAS or CPA blocks spend increases (and the engine proposes its pause). */
export interface PerformanceGuard {
  minRoas?: number | null;
  maxCpa?: number | null;
  /** Least spend over the lookback to judge (default 500). */
  minSpend?: number;
  /** Least conversions over the lookback to judge (default 0). */
  minConversions?: number;
  /** Days looked back (default 7). */
  lookbackDays?: number;
}
/** Spend, conversions and value of an entity over the lookback. */
export interface Performance {
  spend: number;
  conversions: number;
  value: number;
}
/** The decision engine's guardrails (the core's `decide::policy::Guardrails`); entity ids key the per-campaign caps as written. */
export interface DecideGuardrails {
  campaignDailyCap?: { [entity: string]: number };
  defaultCampaignDailyCap?: number | null;
  accountDailyCap?: number | null;
  campaignLifetimeCap?: { [entity: string]: number };
  accountLifetimeCap?: number | null;
  /** First day of lifetime spend, `'YYYY-MM-DD'` (required with a lifetime cap). */
  lifetimeFrom?: string | null;
  /** Largest relative change of one step (default 1.0; `null`: none). */
  maxStepChange?: number | null;
  /** Largest relative change within `windowMs` (default 2.0). */
  maxWindowChange?: number | null;
  /** Default 86 400 000 (a day). */
  windowMs?: number;
  /** Default Meta's 4 budget changes an hour (`{ capacity: 4, refillMs: 900000 }`); `null`: none. */
  changeFrequency?: TokenBucket | null;
  performance?: PerformanceGuard | null;
  /** No budget increase on a flagged day (default true). */
  anomalyGate?: boolean;
}
/** Retries of platform calls (the core's `RetryPolicy`; every key optional). */
export interface RetryPolicy {
  backoff?: { baseMs?: number; capMs?: number; maxAttempts?: number };
  budget?: { maxTokens?: number; tokenRatio?: number };
  classifier?: ClassifierOptions;
}
/** How outcomes shrink later expectations (the core's `FeedbackRule`). */
export interface FeedbackRule {
  /** Default 7 days. */
  windowMs?: number;
  /** Default 5. */
  priorWeight?: number;
  /** Default 3. */
  minOutcomes?: number;
}
/** The approval policy (the core's `Policy`); every key optional, defaults as the core's table. */
export interface Policy {
  risk?: RiskRule;
  /** Highest risk approved without a person (default `'low'`; `null`: every decision waits). */
  autoApprove?: RiskLevel | null;
  /** How long a decision may wait, ms (default 24 h). */
  ttlMs?: number;
  /** Record would-be changes instead of applying them (default false). */
  dryRun?: boolean;
  /** Relative change above which a money change is staged (default 0.5). */
  stageAbove?: number;
  /** Share of the change in the first stage, in (0, 1) (default 0.25). */
  firstStage?: number;
  /** Least time between stages, ms (default 1 h). */
  stageWaitMs?: number;
  /** Read-backs tried before a change counts as unverified (default 3). */
  verifyReads?: number;
  guardrails?: DecideGuardrails;
  retry?: RetryPolicy;
  feedback?: FeedbackRule;
}
/** An entity's worst-case daily budget and whether it is active. */
export interface Exposure {
  dailyBudget: number;
  active: boolean;
}
/** One step to check against the guardrails, with what is known about the account. */
export interface GuardrailStep {
  entity: string;
  kind: DecisionKind;
  /** The entity's value now (worst case). */
  current: DecisionValue;
  /** The value after this step. */
  target: DecisionValue;
  /** The value `windowMs` ago, if it changed since. */
  windowStart?: number | null;
  /**
   * Every entity's worst-case daily budget and status, by id (the account caps sum them). For a
   * budget step, the step's own entity defaults to `{ dailyBudget: current, active: true }`.
   */
  exposures?: { [entity: string]: Exposure };
  /** Spend so far per entity (lifetime caps). */
  lifetimeSpend?: { [entity: string]: number };
  /** Times (ms) of the budget changes sent to this entity, oldest first. */
  recentChanges?: number[];
  nowMs?: number;
  /** Why today is flagged by the anomaly module, if it is. */
  anomaly?: string | null;
  /** Why the entity breaches the performance guard, if it does. */
  performanceBreach?: string | null;
  /** A rollback (checked against the caps only). */
  rollback?: boolean;
}
/** The guardrails' verdict on a step. */
export type Verdict =
  | { verdict: 'pass' }
  | { verdict: 'block'; guardrail: string; reason: string }
  | { verdict: 'defer'; guardrail: string; reason: string; untilMs: number };
/** Where a decision is in its life. */
export type DecisionStatus =
  | 'pending' | 'approved' | 'executing' | 'executed' | 'rejected' | 'expired'
  | 'blocked' | 'cancelled' | 'failed' | 'rolled_back' | 'dry_run';
/** A decision's measured outcome. */
export interface DecisionOutcome {
  actual: number;
  method: string;
  by: string;
  recordedMs: number;
}
/** A decision the engine holds (the core's `Decision`). */
export interface Decision {
  id: number;
  proposal: Required<Proposal>;
  /** Its risk (`spend` is `Infinity` when unknown). */
  risk: Risk;
  status: DecisionStatus;
  createdMs: number;
  /** Never executed after this instant. */
  expiresMs: number;
  /** Who approved or rejected it (`'policy'` for an automatic approval). */
  approver: string | null;
  /** Why it is blocked, rejected, failed, cancelled or expired. */
  note: string | null;
  /** The value after each stage; the last is `to`. */
  stages: DecisionValue[];
  stagesDone: number;
  lastStageMs: number | null;
  /** The entity's value before the first stage (what a rollback restores). */
  prior: DecisionValue | null;
  /** Whether a read-back showed the last stage applied. */
  verified: boolean;
  /** The expected impact shrunk by what earlier outcomes of this type showed. */
  adjusted: Impact | null;
  outcome: DecisionOutcome | null;
}
/** What `Engine.execute` (or a rollback) did. */
export type ExecOutcome =
  | { outcome: 'executed'; verified: boolean }
  | { outcome: 'staged'; done: number; of: number }
  | { outcome: 'dry_run' }
  | { outcome: 'blocked'; guardrail: string; reason: string }
  | { outcome: 'deferred'; reason: string; untilMs: number }
  | { outcome: 'expired' }
  | { outcome: 'failed'; error: string }
  | { outcome: 'in_doubt'; error: string }
  | { outcome: 'unchanged'; status: DecisionStatus }
  | { outcome: 'rolled_back'; verified: boolean };
/** The emergency stop as stored. */
export interface StopState {
  by: string;
  atMs: number;
  reason: string;
}
/** One entry of the hash-chained audit log. */
export interface AuditEntry {
  /** Position in the log, from 1. */
  seq: number;
  atMs: number;
  /** Who (a person, `'policy'` or `'engine'`). */
  actor: string;
  /** What (`'propose'`, `'approve'`, `'execute'`, `'stop'`, ...). */
  action: string;
  decision: number | null;
  /** The details (camelCase keys). */
  detail: unknown;
  /** SHA-256 of the previous entry, lowercase hex. */
  prevHash: string;
  /** SHA-256 of this entry, lowercase hex. */
  hash: string;
}
/** The verified chain's summary. */
export interface ChainSummary {
  entries: number;
  headSeq: number;
  headHash: string;
}
/** How a decision type's expected impacts compared with what happened. */
export interface Calibration {
  kind: DecisionKind;
  n: number;
  meanPredicted: number;
  meanActual: number;
  /** Least-squares slope of measured on expected, through 0. */
  slope: number;
  /** Share of outcomes inside their expected interval. */
  coverage: number;
  /** The factor new expectations of this type are multiplied by. */
  shrink: number;
}
/**
 * A platform adapter written in JS, called synchronously on the JS thread during the engine's
 * calls (`this` is the adapter). Each method returns its value (or a `PlatformResult`); what it
 * throws is a vendor failure the engine classifies and retries: a thrown value with a
 * `PlatformError` `kind` (`Object.assign(new Error('quota'), { kind: 'http', status: 429 })`) is
 * that error, anything else a transient `'transport'` failure with its `message`. A throw is an
 * answer that never came (the change may have been applied): after the retries the decision is
 * `in_doubt` and executing it again resends the same key. A change refused for good is a
 * result: its `ChangeResult` with `outcome: { status: 'failed', error }` fails the decision. A
 * result of the wrong shape makes the engine's call throw `invalid_parameter` naming the method.
 */
export interface DecideAdapter {
  /**
   * Applies a batch, once per idempotency `key`: one result per change, in order. A promise is
   * awaited by the engine's `...Async` methods (the synchronous ones refuse it).
   */
  applyChanges(changes: Change[]): Awaitable<ChangeResult[] | PlatformResult<ChangeResult[]>>;
  /** The entity as the platform holds it now. */
  readEntity(entity: string): Awaitable<EntityState | PlatformResult<EntityState>>;
  /** Daily metrics (the performance guard and lifetime caps). */
  readMetrics(query: MetricsQuery): Awaitable<MetricsRow[] | PlatformResult<MetricsRow[]>>;
  /** Now, ms since the epoch (default `Date.now()`). */
  nowMs?(): Awaitable<number>;
  /**
   * Waits until `atMs` before a retry (default: the thread sleeps: in an `...Async` call a
   * worker thread, in a synchronous one the JS thread).
   */
  sleepUntil?(atMs: number): unknown;
}
/** A value, or (for the engine's `...Async` methods) a promise of one. */
export type Awaitable<T> = T | Promise<T>;
/** The options of `new decide.Engine(options)`. */
export interface EngineOptions<A = SimMarket | DecideAdapter> {
  /**
   * `'decisions.db'` (a SQLite file, made if absent), `':memory:'`, or `'postgresql://...'` (a
   * build with PostgreSQL; `?schema=`, and `sslmode` / `sslrootcert` as libpq's:
   * `?sslmode=verify-full&sslrootcert=/etc/ssl/ca.pem`).
   */
  store: string;
  policy?: Policy | null;
  /** A `platform.SimMarket` (native) or a `DecideAdapter` object. */
  adapters: A;
}

/** The numbers behind a risk level (`decide.assessRisk`). */
export interface Risk {
  /** `'low'`, `'medium'` or `'high'`. */
  level: string;
  /**
   * Relative change: `|to - from| / max(from, minBase)` for money, 1 for a status,
   * targeting or creative change (0 when it sets what is already there).
   */
  change: number;
  /** Daily spend at stake (`Infinity` when the proposal does not say and it is no budget). */
  spend: number;
  /** The proposal's confidence. */
  confidence: number;
}

/** Markov-chain attribution spec: `new Markov({ order, horizon, useNulls }).fit(table)`. */
export declare class Markov {
  /** A spec; every option has a default (order 1, exact horizon, nulls used). */
  constructor(spec?: MarkovSpec | null);
  /** Builds and solves the chain on `table` (`options.sep` splits the paths). */
  fit(table: PathTableInput | PathTableRow[], options?: SepOption | null): FittedMarkov;
  /** `fit` as a promise: on a worker thread in Node (the JS thread stays free); in the browser it runs when called. */
  fitAsync(table: PathTableInput | PathTableRow[], options?: SepOption | null): Promise<FittedMarkov>;
}

/**
 * A fitted Markov chain (made by `new Markov(spec).fit(table)` or
 * `FittedMarkov.fromJSON(json)`).
 */
export declare class FittedMarkov {
  /** Not for direct use: throws `invalid_parameter`. */
  private constructor();
  /** Removal effects and credit, one row per channel. */
  credit(): MarkovRow[];
  /** The nonzero transitions, rows in state order. */
  transitions(): TransitionRow[];
  /** Shapley credit of the Markov game (`{ method: "exact" | "sampled", permutations, seed }`). */
  shapley(options?: MarkovShapleyOptions | null): CreditRow[];
  /**
   * `shapley` as a promise: on a worker thread in Node, in a Web Worker in the browser, so the
   * JS thread stays free. `options.onProgress` is called with its progress; `options.signal`
   * (an `AbortSignal`) cancels it: the promise rejects with code `cancelled`.
   */
  shapleyAsync(options?: (MarkovShapleyOptions & AsyncOptions) | null): Promise<CreditRow[]>;
  /**
   * The fitted chain as a JSON document (the one Python's `FittedMarkov.to_json()`
   * writes): `JSON.stringify(fitted)` gives its text.
   */
  toJSON(): object;
  /**
   * A chain from `toJSON()` (object or text) or from Python's `to_json()`; a damaged
   * document throws `invalid_parameter`.
   */
  static fromJSON(json: string | object): FittedMarkov;
  /** Channel names, in table order. */
  readonly channels: string[];
  /** The order the chain was fitted with. */
  readonly order: number;
  /** The step cap used, or `null` for the exact infinite-horizon answer. */
  readonly horizonSteps: number | null;
  /** Number of channel states (excluding start, conversion and null). */
  readonly nStates: number;
  /** Probability that a journey from `(start)` converts (within the horizon). */
  readonly conversionProbability: number;
  /** Removal effect of each channel, in `channels` order. */
  readonly removalEffects: number[];
  /** Removal effect of each channel on value, in `channels` order. */
  readonly removalEffectsValue: number[];
}

/**
 * Multi-touch attribution over a path table `{ path, conversions, nulls?, value? }`:
 * heuristics, Markov chains, Shapley values, time decay.
 */
export declare const attribution: {
  /** Rule-based credit (first/last touch, linear, U- and W-shaped), one row per channel. */
  heuristics(table: PathTableInput | PathTableRow[], options?: HeuristicsOptions | null): HeuristicRow[];
  /** `heuristics` as a promise: on a worker thread in Node (the JS thread stays free); in the browser it runs when called. */
  heuristicsAsync(table: PathTableInput | PathTableRow[], options?: HeuristicsOptions | null): Promise<HeuristicRow[]>;
  /**
   * Markov-chain removal effects and credit, one row per channel (with bootstrap
   * intervals when `ci` is given).
   */
  markov(table: PathTableInput | PathTableRow[], options?: MarkovOptions | null): MarkovRow[];
  /**
   * `markov` as a promise: on a worker thread in Node, in a Web Worker in the browser, so the
   * JS thread stays free. `options.onProgress` is called with its progress; `options.signal`
   * (an `AbortSignal`) cancels it: the promise rejects with code `cancelled`.
   */
  markovAsync(table: PathTableInput | PathTableRow[], options?: (MarkovOptions & AsyncOptions) | null): Promise<MarkovRow[]>;
  /** Closed-form Shapley credit of the subset game, one row per channel. */
  shapley(table: PathTableInput | PathTableRow[], options?: ShapleyOptions | null): CreditRow[];
  /**
   * `shapley` as a promise: on a worker thread in Node, in a Web Worker in the browser, so the
   * JS thread stays free. `options.onProgress` is called with its progress; `options.signal`
   * (an `AbortSignal`) cancels it: the promise rejects with code `cancelled`.
   */
  shapleyAsync(table: PathTableInput | PathTableRow[], options?: (ShapleyOptions & AsyncOptions) | null): Promise<CreditRow[]>;
  /** Shapley credit split by touch position, one row per channel. */
  orderedShapley(table: PathTableInput | PathTableRow[], options?: SepOption | null): OrderedRow[];
  /**
   * Time-decay credit from event columns (it needs timestamps, so it takes events, not a
   * table), one row per channel.
   */
  timeDecay(touchpoints: TouchpointColumns | TouchpointRow[], conversions: ConversionColumns | ConversionRow[], options?: TimeDecayOptions | null): CreditRow[];
  /**
   * Reads a path CSV (header `path,conversions[,nulls][,value]`) into table columns,
   * channel names trimmed and re-joined with `sep`.
   */
  parsePathCsv(text: string, options?: PathCsvOptions | null): PathTableData;
  Markov: typeof Markov;
  FittedMarkov: typeof FittedMarkov;
};

/** Journeys: from event columns to path tables. */
export declare const journey: {
  /**
   * Groups touchpoint and conversion columns into journeys and aggregates them to
   * path-table columns (one row per distinct path and key touch).
   */
  pathTable(touchpoints: TouchpointColumns | TouchpointRow[], conversions: ConversionColumns | ConversionRow[], options?: JourneyOptions | null): PathTableColumns;
  /**
   * Sums path tables built from disjoint sets of users (a log split by user and built
   * part by part, in workers or as chunks arrive) into the table of the whole log: one
   * row per distinct path, rows sorted by path (channel names in order), channels
   * matched by name. Counts are exact; values too when they are whole numbers (e.g.
   * cents). Key touches are not read. Errors name the table: `tables[1].conversions[3]`.
   */
  merge(tables: (PathTableInput | PathTableRow[])[], options?: MergeOptions | null): PathTableData;
};

/**
 * Classical statistics. Values must be finite (`non_finite` names `x[i]` / `y[i]`), paired
 * series equally long (`length_mismatch`), and a series too short or constant for the
 * statistic is `not_enough_data` (where scipy gives NaN).
 */
export declare const stats: {
  /** Pearson's product-moment correlation (`scipy.stats.pearsonr`). */
  pearson(x: Numbers, y: Numbers): Correlation;
  /** Spearman's rank correlation (`scipy.stats.spearmanr`). */
  spearman(x: Numbers, y: Numbers): Correlation;
  /** Kendall's tau-b (`scipy.stats.kendalltau`). */
  kendall(x: Numbers, y: Numbers): Correlation;
  /** Correlation of `x[t + k]` with `y[t]` for `k = -maxLag..=maxLag` (R's `ccf`). */
  crossCorrelation(x: Numbers, y: Numbers, maxLag: number): CrossCorrelation;
  /** The Mann-Kendall trend test (`pymannkendall.original_test`). */
  mannKendall(x: Numbers, options?: AlphaOption | null): MannKendall;
  /**
   * Theil-Sen slope of `y` against `x` (`scipy.stats.theilslopes`); `alpha` in (0, 0.5].
   * In the browser build at most 16 384 points (`out_of_range`): it keeps every pairwise
   * slope in wasm32's 4 GiB.
   */
  theilSen(x: Numbers, y: Numbers, options?: AlphaOption | null): TheilSen;
};

/**
 * Rolling-origin (time-series) cross-validation: fold `i` trains on
 * `y[0 .. initial + i * step]` and tests on the next `horizon` points. Each argument is
 * at least 1 (`out_of_range`).
 */
export declare class RollingOrigin {
  /** A scheme; `step` defaults to 1. */
  constructor(initial: number, horizon: number, step?: number | null);
  /** Length of the first training window. */
  readonly initial: number;
  /** Forecast steps evaluated per fold. */
  readonly horizon: number;
  /** How far the origin moves between folds. */
  readonly step: number;
  /** Number of folds for a series of length `n` (0 if `n < initial + horizon`). */
  nFolds(n: number): number;
  /**
   * Calls `fitPredict(train, horizon)` synchronously on every fold (`train` is a copy)
   * and collects the errors. An exception it throws propagates unchanged; a wrong number
   * of forecasts is `length_mismatch`, a non-finite one `non_finite` (`forecast[h]`); a
   * series shorter than `initial + horizon` is `not_enough_data`.
   */
  evaluate(y: Numbers, fitPredict: FitPredict): RollingOriginErrors;
}

/**
 * One ETS model with fixed components.
 *
 * @example
 * const fit = new forecast.Ets({ error: 'M', trend: 'A', damped: true, season: 'M', seasonLength: 12 }).fit(y);
 */
export declare class Ets {
  /**
   * Bad options throw (`invalid_parameter`: an unknown key, a letter outside its set,
   * `damped` without a trend).
   */
  constructor(options?: EtsOptions | null);
  /**
   * Fits by maximum likelihood. `non_finite` names `y[i]`; `invalid_record` the first
   * `y[i] <= 0` of a multiplicative model; `not_enough_data` below 4 values or too few
   * for the parameters; `invalid_parameter` a season with `seasonLength: 1`.
   */
  fit(y: Numbers): FittedEts;
  /** `fit` as a promise: on a worker thread in Node (the JS thread stays free); in the browser it runs when called. */
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
  constructor(options?: AutoEtsOptions | null);
  /**
   * Fits every candidate; `invalid_parameter` for a malformed or excluded `model`, else
   * as `Ets.fit`.
   */
  fit(y: Numbers): FittedEts;
  /** `fit` as a promise: on a worker thread in Node (the JS thread stays free); in the browser it runs when called. */
  fitAsync(y: Numbers): Promise<FittedEts>;
  /**
   * Fits every series on its own (in parallel in Node), as `fit` would one by one;
   * a series that cannot be fitted throws its error (its code, the message naming
   * the series) once all are done.
   */
  fitMany(series: Numbers[], options?: FitManyOptions | null): FittedEts[];
  /**
   * `fitMany` as a promise: on a worker thread in Node, in a Web Worker in the browser, so the
   * JS thread stays free. `options.onProgress` is called with its progress; `options.signal`
   * (an `AbortSignal`) cancels it: the promise rejects with code `cancelled`.
   */
  fitManyAsync(series: Numbers[], options?: (FitManyOptions & AsyncOptions) | null): Promise<FittedEts[]>;
}

/**
 * A fitted ETS model (from `Ets.fit`, `AutoEts.fit` or `FittedEts.fromJSON`).
 *
 * @example
 * const fit = new forecast.AutoEts({ seasonLength: 12 }).fit(y);
 * fit.model; // 'ETS(M,A,M)'
 * const { mean, intervals } = fit.predict(12, { level: [80, 95] });
 */
export declare class FittedEts {
  /** Not for direct use: throws `invalid_parameter`. */
  private constructor();
  /**
   * Forecasts `h` steps ahead with intervals at `options.level` (default `[80, 95]`).
   * In the browser build `h` is at most 4096 and `level` holds at most 64 levels
   * (`out_of_range`).
   */
  predict(h: number, options?: PredictOptions | null): EtsPrediction;
  /** In-sample points outside the one-step-ahead interval at `options.level` (default 95). */
  alerts(options?: AlertOptions | null): ResidualAlert[];
  /** One line: model, smoothing parameters and criteria. */
  summary(): string;
  /** The same line as `summary()`. */
  toString(): string;
  /**
   * The fitted model as a JSON document (the one Python's `FittedEts.to_json()` writes,
   * series included): `JSON.stringify(fitted)` gives its text.
   */
  toJSON(): object;
  /**
   * A model from `toJSON()` (object or text) or from Python's `to_json()`: the same
   * forecasts, bit for bit; a damaged document throws `invalid_parameter`.
   */
  static fromJSON(json: string | object): FittedEts;
  /** The model's name, e.g. `'ETS(M,Ad,M)'`. */
  readonly model: string;
  /** Akaike information criterion. */
  readonly aic: number;
  /** Small-sample corrected AIC (`Infinity` when `n <= nParams + 1`). */
  readonly aicc: number;
  /** Bayesian information criterion. */
  readonly bic: number;
  /** Log-likelihood (R / statsforecast convention). */
  readonly logLik: number;
  /** Innovation variance, `SSE / (n - nParams - 1)`. */
  readonly sigma2: number;
  /** Parameters counted in the criteria (smoothing, initial states, variance). */
  readonly nParams: number;
  /** The season length used (1 for a non-seasonal model). */
  readonly seasonLength: number;
  /** Whether the initial seasonal states were kept at the heuristic (season length > 24). */
  readonly seasonalStatesFixed: boolean;
  /** Smoothing parameters and initial states (a fresh copy per read). */
  readonly params: EtsParams;
  /** One-step-ahead in-sample forecasts. */
  readonly fitted: Float64Array;
  /** `y - fitted`. */
  readonly residuals: Float64Array;
  /** Residuals (additive error) or relative residuals (multiplicative error). */
  readonly innovations: Float64Array;
}

/**
 * Forecasting: accuracy metrics (`forecast.metrics`), rolling-origin evaluation, ETS models
 * and seasonal decomposition. Series are `number[] | Float64Array`; values must be finite
 * (`non_finite` names `y[i]`).
 */
export declare const forecast: {
  /**
   * STL decomposition (statsmodels' `STL`). `not_enough_data` below `2 * period` values;
   * `out_of_range` / `invalid_parameter` for bad windows, degrees or jumps.
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
  /** `max(0, 1 - var(resid) / var(seasonal + resid))` (Hyndman's F_S). */
  seasonalStrength(seasonal: Numbers, resid: Numbers): number;
  /** `max(0, 1 - var(resid) / var(trend + resid))` (F_T). */
  trendStrength(trend: Numbers, resid: Numbers): number;
  RollingOrigin: typeof RollingOrigin;
  Ets: typeof Ets;
  AutoEts: typeof AutoEts;
  FittedEts: typeof FittedEts;
  /**
   * Forecast accuracy. Every metric takes `actual` first; lengths must match, values be
   * finite, and none returns NaN (MAPE at a zero actual is `invalid_record`, MASE on a flat
   * history `invalid_parameter`). Percentage metrics are fractions (0.05 is 5%).
   */
  readonly metrics: {
    /** Mean absolute error. */
    mae(actual: Numbers, predicted: Numbers): number;
    /** Root mean squared error. */
    rmse(actual: Numbers, predicted: Numbers): number;
    /** Mean absolute percentage error, a fraction. */
    mape(actual: Numbers, predicted: Numbers): number;
    /** Symmetric MAPE in [0, 2]: `mean 2|a - p| / (|a| + |p|)` (M3/M4 without the factor 100). */
    smape(actual: Numbers, predicted: Numbers): number;
    /** MAE over the in-sample MAE of the seasonal naive forecast of period `m` (default 1). */
    mase(actual: Numbers, predicted: Numbers, insample: Numbers, options?: MaseOptions | null): number;
    /** Fraction of actuals inside `[lower, upper]` (ends included). */
    coverage(actual: Numbers, lower: Numbers, upper: Numbers): number;
    /** Mean Winkler score of `1 - alpha` intervals (`alpha` in (0, 1), e.g. 0.05 for 95%). */
    winkler(actual: Numbers, lower: Numbers, upper: Numbers, alpha: number): number;
    RollingOrigin: typeof RollingOrigin;
  };
};

/**
 * Isolation forest (Liu, Ting and Zhou 2008; scikit-learn's parameters and score
 * signs): `new IsolationForest({ nEstimators, seed }).fit(rows).predict(rows)`.
 */
export declare class IsolationForest {
  /** A spec; bad options throw `invalid_parameter` (ranges are checked by `fit`). */
  constructor(options?: IsolationForestOptions | null);
  /**
   * Grows the forest on `x` (rows, or flat row-major with `nFeatures`):
   * `not_enough_data` for no rows, `length_mismatch` for ragged rows, `non_finite`
   * naming `x[row r, column c]`, `out_of_range` for parameters outside their range.
   */
  fit(x: Matrix, nFeatures?: number | null): FittedIsolationForest;
  /** `fit` as a promise: on a worker thread in Node (the JS thread stays free); in the browser it runs when called. */
  fitAsync(x: Matrix, nFeatures?: number | null): Promise<FittedIsolationForest>;
}

/**
 * A fitted isolation forest (made by `new IsolationForest(options).fit(x)` or
 * `FittedIsolationForest.fromJSON(json)`). Scoring takes rows, or a flat matrix with
 * `nFeatures` (default: the training data's); another column count is `length_mismatch`.
 */
export declare class FittedIsolationForest {
  /** Not for direct use: throws `invalid_parameter`. */
  private constructor();
  /** scikit-learn's `score_samples`: in [-1, 0], lower is more abnormal. */
  scoreSamples(x: Matrix, nFeatures?: number | null): Float64Array;
  /** `scoreSamples - offset`: negative for outliers. */
  decisionFunction(x: Matrix, nFeatures?: number | null): Float64Array;
  /** `1` for an inlier, `-1` for an outlier (decision function below 0). */
  predict(x: Matrix, nFeatures?: number | null): Int8Array;
  /**
   * The fitted forest (trees included) as a JSON document, the one Python's
   * `FittedIsolationForest.to_json()` writes: `JSON.stringify(fitted)` gives its text.
   */
  toJSON(): object;
  /**
   * A forest from `toJSON()` (object or text) or from Python's `to_json()`; a damaged
   * document throws `invalid_parameter`.
   */
  static fromJSON(json: string | object): FittedIsolationForest;
  /**
   * Threshold on the scores: -0.5 with `contamination: 'auto'`, else the training
   * scores' contamination percentile.
   */
  readonly offset: number;
  /** Columns of the training data (and of any data scored). */
  readonly nFeatures: number;
  /** Number of trees. */
  readonly nEstimators: number;
  /** Rows each tree was grown from, resolved. */
  readonly maxSamples: number;
  /** Features each tree could split on, resolved. */
  readonly maxFeatures: number;
  /** Depth limit of the trees. */
  readonly maxDepth: number;
}

/**
 * Anomaly detection. Series are `number[] | Float64Array`; values must be finite
 * (`non_finite` names `x[i]`), and an empty series is `not_enough_data`.
 */
export declare const anomaly: {
  /**
   * `c(n)`, the average path length of an unsuccessful BST search among `n` points (0 for
   * n <= 1), the isolation forest's normaliser.
   */
  averagePathLength(n: number): number;
  /** Normal-consistent median absolute deviation (`1.4826 * median |x - median(x)|`). */
  mad(x: Numbers): number;
  /**
   * Robust z-scores `(x - median) / MAD` and the points with `|z| > threshold` (default
   * 3.5, Iglewicz and Hoaglin; `out_of_range` if negative).
   */
  madOutliers(x: Numbers, options?: MadOutliersOptions | null): MadOutliers;
  /**
   * The Hampel filter: points further than `nSigmas` (default 3) rolling MADs from the
   * median of the `2 halfWindow + 1` window (default half window 3, >= 1).
   */
  hampel(x: Numbers, options?: HampelOptions | null): HampelResult;
  /**
   * Rosner's generalized ESD test (`invalid_parameter` for a bad `direction`, `maxAnoms`
   * of 0 or `alpha` of 0 or 1; `out_of_range` beyond their ranges); at least 3 values.
   */
  esd(x: Numbers, options?: EsdOptions | null): EsdTest;
  /**
   * Seasonal hybrid ESD (Twitter's AnomalyDetection): ESD on `x - seasonal - median`, the
   * seasonal component from a robust STL of cycle `period` (>= 2, at least two cycles).
   */
  seasonalEsd(x: Numbers, options: SeasonalEsdOptions): SeasonalEsdTest;
  /**
   * Actuals outside `[lower, upper]` at `level` percent (default 95), each with a score
   * and a reason. `length_mismatch` for series of different lengths.
   */
  residualAlerts(series: ResidualSeries, options?: AlertOptions | null): ResidualAlert[];
  IsolationForest: typeof IsolationForest;
  FittedIsolationForest: typeof FittedIsolationForest;
};

/**
 * L2-regularised logistic regression on scikit-learn's objective
 * (`C sum_i w_i logloss_i + 0.5 ||beta||^2`, the intercept unpenalised), solved by
 * Newton's method to scikit-learn's converged coefficients.
 *
 * @example
 * const fit = new glm.LogisticRegression({ c: 1 }).fit([[0], [1], [2], [3]], [0, 1, 0, 1]);
 * fit.coef; // Float64Array [...]
 * fit.predictProba([[1.5]]); // Float64Array [P(y = 1)]
 */
export declare class LogisticRegression {
  /**
   * A spec; a penalty other than `'l2'` or `'none'` or a bad option type throws
   * `invalid_parameter` (`c` is checked by `fit`, naming `options.c`).
   */
  constructor(options?: LogisticOptions | null);
  /**
   * Fits to `x` (rows, or flat row-major with `nFeatures`), labels `y` (0 or 1) and
   * optional non-negative `sampleWeight`: `invalid_parameter` naming `y[i]` for another
   * label, `non_finite` naming `x[r][c]`, `length_mismatch` for ragged rows or lengths
   * that disagree, `not_converged` for separable data without a penalty.
   */
  fit(x: Matrix, y: Numbers, sampleWeight?: Numbers | null, nFeatures?: number | null): FittedLogistic;
}

/** A fitted logistic regression (from `LogisticRegression.fit`). */
export declare class FittedLogistic {
  /** Not for direct use: throws `invalid_parameter`. */
  private constructor();
  /** `P(y = 1)` per row of `x` (rows, or flat with `nFeatures`, default the fit's). */
  predictProba(x: Matrix, nFeatures?: number | null): Float64Array;
  /** The coefficients, one per feature. */
  readonly coef: Float64Array;
  /** The intercept (0 without one). */
  readonly intercept: number;
  /** Newton steps taken. */
  readonly iterations: number;
  /**
   * The fitted model as a JSON document, the one Python's `FittedLogistic.to_json()`
   * writes: `JSON.stringify(fitted)` gives its text.
   */
  toJSON(): object;
  /**
   * A model from `toJSON()` (object or text) or from Python's `to_json()`; a damaged
   * document throws `invalid_parameter`.
   */
  static fromJSON(json: string | object): FittedLogistic;
}

/** Generalised linear models, shared by bids and lead scores. */
export declare const glm: {
  LogisticRegression: typeof LogisticRegression;
  FittedLogistic: typeof FittedLogistic;
};

/**
 * The BG/NBD model (Fader, Hardie & Lee 2005), fitted by exact maximum likelihood.
 *
 * @example
 * const fit = new clv.BetaGeo().fit({ frequency, recency, T });
 * fit.params; // { r, alpha, a, b }
 * fit.pAlive({ frequency: [4], recency: [30], T: [38] }); // Float64Array [...]
 */
export declare class BetaGeo {
  /** A spec (`maxIter`, `collapse`). */
  constructor(options?: ClvFitOptions | null);
  /** Fits to customers' histories (optional `weights`: customers per row). */
  fit(data: ClvHistories | ClvHistoryRow[]): FittedBetaGeo;
  /** `fit` as a promise: on a worker thread in Node (the JS thread stays free); in the browser it runs when called. */
  fitAsync(data: ClvHistories | ClvHistoryRow[]): Promise<FittedBetaGeo>;
}

/** The BG/NBD model at known parameters. */
export declare class BetaGeoParams {
  /** Parameters must be positive and finite (`out_of_range` / `non_finite`). */
  constructor(params: BetaGeoValues);
  /** P(alive) of each customer (1 for frequency 0). */
  pAlive(data: ClvHistories | ClvHistoryRow[]): Float64Array;
  /** Expected repeat purchases of each customer in the next `t` time units. */
  expectedPurchases(t: number, data: ClvHistories | ClvHistoryRow[]): Float64Array;
  /** Expected repeat purchases of a new customer in `t` time units. */
  expectedPurchasesUnconditional(t: number): number;
  /**
   * Probability of exactly `n` repeat purchases of a new customer in `t` (an array for
   * an array of `n`).
   */
  probabilityOfPurchases(n: number | number[], t: number): number | Float64Array;
  /** The log-likelihood of histories at these parameters (weighted sum). */
  logLikelihoodOf(data: ClvHistories | ClvHistoryRow[]): number;
  /** The parameters by name. */
  readonly params: BetaGeoValues;
}

/** A fitted BG/NBD model: every prediction of `BetaGeoParams`, with standard errors. */
export declare class FittedBetaGeo {
  /** Not for direct use: throws `invalid_parameter`. */
  private constructor();
  /** P(alive) of each customer (1 for frequency 0). */
  pAlive(data: ClvHistories | ClvHistoryRow[]): Float64Array;
  /** Expected repeat purchases of each customer in the next `t` time units. */
  expectedPurchases(t: number, data: ClvHistories | ClvHistoryRow[]): Float64Array;
  /** Expected repeat purchases of a new customer in `t` time units. */
  expectedPurchasesUnconditional(t: number): number;
  /** Probability of exactly `n` repeat purchases of a new customer in `t`. */
  probabilityOfPurchases(n: number | number[], t: number): number | Float64Array;
  /** The log-likelihood of histories at the fitted parameters. */
  logLikelihoodOf(data: ClvHistories | ClvHistoryRow[]): number;
  /** The fitted model as the JSON document Python's `to_json()` writes. */
  toJSON(): object;
  /** A model from `toJSON()` (object or text) or Python's `to_json()`. */
  static fromJSON(json: string | object): FittedBetaGeo;
  /** Maximum-likelihood parameters. */
  readonly params: BetaGeoValues;
  /** Their standard errors (`Infinity` where the information is singular). */
  readonly stdErrors: BetaGeoValues;
  /** The maximised log-likelihood (the data's, without the penalty of a `penalizerCoef`). */
  readonly logLikelihood: number;
  /** How the fit ended. */
  readonly diagnostics: ClvDiagnostics;
}

/**
 * The MBG/NBD model (Batislam, Denizel & Filiztekin 2007; lifetimes'
 * `ModifiedBetaGeoFitter`): BG/NBD where a customer may also drop out right after her
 * first purchase.
 *
 * @example
 * const fit = new clv.ModifiedBetaGeo().fit({ frequency, recency, T });
 * fit.pAlive({ frequency: [0], recency: [0], T: [38] }); // below 1: she may have left at once
 */
export declare class ModifiedBetaGeo {
  /** A spec (`maxIter`, `collapse`, `penalizerCoef`). */
  constructor(options?: ClvFitOptions | null);
  /** Fits to customers' histories (optional `weights`: customers per row). */
  fit(data: ClvHistories | ClvHistoryRow[]): FittedModifiedBetaGeo;
  /** `fit` as a promise: on a worker thread in Node (the JS thread stays free); in the browser it runs when called. */
  fitAsync(data: ClvHistories | ClvHistoryRow[]): Promise<FittedModifiedBetaGeo>;
}

/** The MBG/NBD model at known parameters. */
export declare class ModifiedBetaGeoParams {
  /** Parameters must be positive and finite (`out_of_range` / `non_finite`). */
  constructor(params: BetaGeoValues);
  /** P(alive) of each customer (below 1 also for frequency 0). */
  pAlive(data: ClvHistories | ClvHistoryRow[]): Float64Array;
  /** Expected repeat purchases of each customer in the next `t` time units. */
  expectedPurchases(t: number, data: ClvHistories | ClvHistoryRow[]): Float64Array;
  /** Expected repeat purchases of a new customer in `t` time units. */
  expectedPurchasesUnconditional(t: number): number;
  /**
   * Probability of exactly `n` repeat purchases of a new customer in `t` (an array for
   * an array of `n`).
   */
  probabilityOfPurchases(n: number | number[], t: number): number | Float64Array;
  /** The log-likelihood of histories at these parameters (weighted sum). */
  logLikelihoodOf(data: ClvHistories | ClvHistoryRow[]): number;
  /** The parameters by name. */
  readonly params: BetaGeoValues;
}

/** A fitted MBG/NBD model: every prediction of `ModifiedBetaGeoParams`, with standard errors. */
export declare class FittedModifiedBetaGeo {
  /** Not for direct use: throws `invalid_parameter`. */
  private constructor();
  /** P(alive) of each customer (below 1 also for frequency 0). */
  pAlive(data: ClvHistories | ClvHistoryRow[]): Float64Array;
  /** Expected repeat purchases of each customer in the next `t` time units. */
  expectedPurchases(t: number, data: ClvHistories | ClvHistoryRow[]): Float64Array;
  /** Expected repeat purchases of a new customer in `t` time units. */
  expectedPurchasesUnconditional(t: number): number;
  /** Probability of exactly `n` repeat purchases of a new customer in `t`. */
  probabilityOfPurchases(n: number | number[], t: number): number | Float64Array;
  /** The log-likelihood of histories at the fitted parameters. */
  logLikelihoodOf(data: ClvHistories | ClvHistoryRow[]): number;
  /** The fitted model as the JSON document Python's `to_json()` writes. */
  toJSON(): object;
  /** A model from `toJSON()` (object or text) or Python's `to_json()`. */
  static fromJSON(json: string | object): FittedModifiedBetaGeo;
  /** Maximum-likelihood parameters. */
  readonly params: BetaGeoValues;
  /** Their standard errors (`Infinity` where the information is singular). */
  readonly stdErrors: BetaGeoValues;
  /** The maximised log-likelihood (the data's, without the penalty of a `penalizerCoef`). */
  readonly logLikelihood: number;
  /** How the fit ended. */
  readonly diagnostics: ClvDiagnostics;
}

/**
 * The BG/BB model (Fader, Hardie & Shang 2010; lifetimes' `BetaGeoBetaBinomFitter`) of
 * transactions at discrete opportunities (yearly donation drives, weekly orders).
 *
 * @example
 * const fit = new clv.BetaGeoBetaBinom().fit({ frequency, recency, nPeriods, weights });
 * fit.params; // { alpha, beta, gamma, delta }
 * fit.pAlive({ frequency: [3], recency: [3], nPeriods: [6] }); // Float64Array [0.4...]
 */
export declare class BetaGeoBetaBinom {
  /** A spec (`maxIter`, `collapse`, `penalizerCoef`). */
  constructor(options?: ClvFitOptions | null);
  /** Fits to customers' histories (optional `weights`: customers per row). */
  fit(data: ClvPeriods | ClvPeriodsRow[]): FittedBetaGeoBetaBinom;
  /** `fit` as a promise: on a worker thread in Node (the JS thread stays free); in the browser it runs when called. */
  fitAsync(data: ClvPeriods | ClvPeriodsRow[]): Promise<FittedBetaGeoBetaBinom>;
}

/** The BG/BB model at known parameters. */
export declare class BetaGeoBetaBinomParams {
  /** Parameters must be positive and finite (`out_of_range` / `non_finite`). */
  constructor(params: BetaGeoBetaBinomValues);
  /** P(alive) of each customer at opportunity `nPeriods + mPeriods` (default 0: now). */
  pAlive(data: ClvPeriods | ClvPeriodsRow[], mPeriods?: number | null): Float64Array;
  /** Expected transactions of each customer in the next `mPeriods` opportunities. */
  expectedPurchases(mPeriods: number, data: ClvPeriods | ClvPeriodsRow[]): Float64Array;
  /** Expected transactions of a new customer in her first `nPeriods` opportunities. */
  expectedPurchasesUnconditional(nPeriods: number): number;
  /**
   * Probability of exactly `x` transactions of a new customer in `nPeriods` (an array
   * for an array of `x`).
   */
  probabilityOfPurchases(x: number | number[], nPeriods: number): number | Float64Array;
  /** The log-likelihood of histories at these parameters (weighted sum). */
  logLikelihoodOf(data: ClvPeriods | ClvPeriodsRow[]): number;
  /** The parameters by name. */
  readonly params: BetaGeoBetaBinomValues;
}

/** A fitted BG/BB model: every prediction of `BetaGeoBetaBinomParams`, with standard errors. */
export declare class FittedBetaGeoBetaBinom {
  /** Not for direct use: throws `invalid_parameter`. */
  private constructor();
  /** P(alive) of each customer at opportunity `nPeriods + mPeriods` (default 0: now). */
  pAlive(data: ClvPeriods | ClvPeriodsRow[], mPeriods?: number | null): Float64Array;
  /** Expected transactions of each customer in the next `mPeriods` opportunities. */
  expectedPurchases(mPeriods: number, data: ClvPeriods | ClvPeriodsRow[]): Float64Array;
  /** Expected transactions of a new customer in her first `nPeriods` opportunities. */
  expectedPurchasesUnconditional(nPeriods: number): number;
  /** Probability of exactly `x` transactions of a new customer in `nPeriods`. */
  probabilityOfPurchases(x: number | number[], nPeriods: number): number | Float64Array;
  /** The log-likelihood of histories at the fitted parameters. */
  logLikelihoodOf(data: ClvPeriods | ClvPeriodsRow[]): number;
  /** The fitted model as the JSON document Python's `to_json()` writes. */
  toJSON(): object;
  /** A model from `toJSON()` (object or text) or Python's `to_json()`. */
  static fromJSON(json: string | object): FittedBetaGeoBetaBinom;
  /** Maximum-likelihood parameters. */
  readonly params: BetaGeoBetaBinomValues;
  /** Their standard errors (`Infinity` where the information is singular). */
  readonly stdErrors: BetaGeoBetaBinomValues;
  /** The maximised log-likelihood (the data's, without the penalty of a `penalizerCoef`). */
  readonly logLikelihood: number;
  /** How the fit ended. */
  readonly diagnostics: ClvDiagnostics;
}

/** The Pareto/NBD model (Schmittlein, Morrison & Colombo 1987). */
export declare class ParetoNbd {
  /** A spec (`maxIter`, `collapse`). */
  constructor(options?: ClvFitOptions | null);
  /** Fits to customers' histories. */
  fit(data: ClvHistories | ClvHistoryRow[]): FittedParetoNbd;
  /** `fit` as a promise: on a worker thread in Node (the JS thread stays free); in the browser it runs when called. */
  fitAsync(data: ClvHistories | ClvHistoryRow[]): Promise<FittedParetoNbd>;
}

/** The Pareto/NBD model at known parameters. */
export declare class ParetoNbdParams {
  /** Parameters must be positive and finite. */
  constructor(params: ParetoNbdValues);
  /** P(alive) of each customer. */
  pAlive(data: ClvHistories | ClvHistoryRow[]): Float64Array;
  /** Expected repeat purchases of each customer in the next `t` time units. */
  expectedPurchases(t: number, data: ClvHistories | ClvHistoryRow[]): Float64Array;
  /** Expected repeat purchases of a new customer in `t` time units. */
  expectedPurchasesUnconditional(t: number): number;
  /** The log-likelihood of histories at these parameters. */
  logLikelihoodOf(data: ClvHistories | ClvHistoryRow[]): number;
  /** The parameters by name. */
  readonly params: ParetoNbdValues;
}

/** A fitted Pareto/NBD model. */
export declare class FittedParetoNbd {
  /** Not for direct use: throws `invalid_parameter`. */
  private constructor();
  /** P(alive) of each customer. */
  pAlive(data: ClvHistories | ClvHistoryRow[]): Float64Array;
  /** Expected repeat purchases of each customer in the next `t` time units. */
  expectedPurchases(t: number, data: ClvHistories | ClvHistoryRow[]): Float64Array;
  /** Expected repeat purchases of a new customer in `t` time units. */
  expectedPurchasesUnconditional(t: number): number;
  /** The log-likelihood of histories at the fitted parameters. */
  logLikelihoodOf(data: ClvHistories | ClvHistoryRow[]): number;
  /** The fitted model as the JSON document Python's `to_json()` writes. */
  toJSON(): object;
  /** A model from `toJSON()` (object or text) or Python's `to_json()`. */
  static fromJSON(json: string | object): FittedParetoNbd;
  /** Maximum-likelihood parameters. */
  readonly params: ParetoNbdValues;
  /** Their standard errors. */
  readonly stdErrors: ParetoNbdValues;
  /** The maximised log-likelihood (the data's, without the penalty of a `penalizerCoef`). */
  readonly logLikelihood: number;
  /** How the fit ended. */
  readonly diagnostics: ClvDiagnostics;
}

/** The Gamma-Gamma model of spend per transaction. */
export declare class GammaGamma {
  /** A spec (`maxIter`, `collapse`). */
  constructor(options?: ClvFitOptions | null);
  /**
   * Fits to repeat buyers' `frequency` and `monetaryValue` (`out_of_range` for a repeat
   * buyer's zero spend).
   */
  fit(data: ClvSpend | ClvSpendRow[]): FittedGammaGamma;
  /** `fit` as a promise: on a worker thread in Node (the JS thread stays free); in the browser it runs when called. */
  fitAsync(data: ClvSpend | ClvSpendRow[]): Promise<FittedGammaGamma>;
}

/** The Gamma-Gamma model at known parameters. */
export declare class GammaGammaParams {
  /** Parameters must be positive and finite. */
  constructor(params: GammaGammaValues);
  /** Expected spend per transaction of each customer. */
  expectedSpend(data: ClvSpend | ClvSpendRow[]): Float64Array;
  /** Discounted CLV over `options.months` with a BG/NBD or Pareto/NBD `model`. */
  clv(model: BetaGeoParams | FittedBetaGeo | ModifiedBetaGeoParams | FittedModifiedBetaGeo | ParetoNbdParams | FittedParetoNbd, data: ClvCustomers | ClvCustomerRow[], options?: ClvValueOptions | null): Float64Array;
  /** The parameters by name. */
  readonly params: GammaGammaValues;
}

/** A fitted Gamma-Gamma model. */
export declare class FittedGammaGamma {
  /** Not for direct use: throws `invalid_parameter`. */
  private constructor();
  /** Expected spend per transaction of each customer. */
  expectedSpend(data: ClvSpend | ClvSpendRow[]): Float64Array;
  /** Discounted CLV over `options.months` with a BG/NBD or Pareto/NBD `model`. */
  clv(model: BetaGeoParams | FittedBetaGeo | ModifiedBetaGeoParams | FittedModifiedBetaGeo | ParetoNbdParams | FittedParetoNbd, data: ClvCustomers | ClvCustomerRow[], options?: ClvValueOptions | null): Float64Array;
  /** The fitted model as the JSON document Python's `to_json()` writes. */
  toJSON(): object;
  /** A model from `toJSON()` (object or text) or Python's `to_json()`. */
  static fromJSON(json: string | object): FittedGammaGamma;
  /** Maximum-likelihood parameters. */
  readonly params: GammaGammaValues;
  /** Their standard errors. */
  readonly stdErrors: GammaGammaValues;
  /** The maximised log-likelihood (the data's, without the penalty of a `penalizerCoef`). */
  readonly logLikelihood: number;
  /** How the fit ended. */
  readonly diagnostics: ClvDiagnostics;
}

/** The shifted-beta-geometric model of contractual retention (Fader & Hardie 2007). */
export declare class ShiftedBetaGeo {
  /** A spec (`maxIter`). */
  constructor(options?: SbgFitOptions | null);
  /**
   * Fits to a cohort's survivor counts `n_0, ..., n_T` (`out_of_range` for a count
   * above the previous one).
   */
  fit(survivors: Numbers): FittedShiftedBetaGeo;
}

/** The sBG model at known parameters. */
export declare class ShiftedBetaGeoParams {
  /** Parameters must be positive and finite. */
  constructor(params: ShiftedBetaGeoValues);
  /** `S(0), ..., S(periods)`. */
  survival(periods: number): Float64Array;
  /** `r_1, ..., r_periods`. */
  retention(periods: number): Float64Array;
  /** The log-likelihood of survivor counts at these parameters. */
  logLikelihoodOf(survivors: Numbers): number;
  /** The parameters by name. */
  readonly params: ShiftedBetaGeoValues;
}

/** A fitted sBG model. */
export declare class FittedShiftedBetaGeo {
  /** Not for direct use: throws `invalid_parameter`. */
  private constructor();
  /** `S(0), ..., S(periods)`. */
  survival(periods: number): Float64Array;
  /** `r_1, ..., r_periods`. */
  retention(periods: number): Float64Array;
  /** The log-likelihood of survivor counts at the fitted parameters. */
  logLikelihoodOf(survivors: Numbers): number;
  /** The fitted model as the JSON document Python's `to_json()` writes. */
  toJSON(): object;
  /** A model from `toJSON()` (object or text) or Python's `to_json()`. */
  static fromJSON(json: string | object): FittedShiftedBetaGeo;
  /** Maximum-likelihood parameters. */
  readonly params: ShiftedBetaGeoValues;
  /** Their standard errors. */
  readonly stdErrors: ShiftedBetaGeoValues;
  /** The maximised log-likelihood (the data's, without the penalty of a `penalizerCoef`). */
  readonly logLikelihood: number;
  /** How the fit ended. */
  readonly diagnostics: ClvDiagnostics;
}

/**
 * Customer lifetime value with Fader and Hardie's parameter names and lifetimes' columns:
 * `frequency` (repeat purchases), `recency` (time of the last purchase since the first), `T`
 * (age), `monetaryValue` (mean repeat spend), in the time unit you chose. Bad histories are
 * `out_of_range` / `invalid_parameter` / `non_finite` naming the column and row
 * (`recency[3]`); a likelihood without an interior maximum is `not_converged`.
 */
export declare const clv: {
  /**
   * One row per customer from a transaction log `{ customerId, datetime (unix seconds or
   * `Date`s), monetaryValue? }` (lifetimes' `summary_data_from_transaction_data`).
   *
   * @example
   * const s = clv.rfm({ customerId: ['a', 'a', 'b'], datetime: [0, 172800, 86400] });
   * s.frequency; // Float64Array [1, 0]
   */
  rfm(log: RfmLog | RfmLogRow[], options?: RfmSummaryOptions | null): RfmSummary;
  /**
   * The calibration summary up to `calibrationEnd` (unix seconds or a `Date`) and the holdout counts
   * (lifetimes' `calibration_and_holdout_data`).
   */
  calibrationAndHoldout(log: RfmLog | RfmLogRow[], calibrationEnd: number | Date, options?: RfmSummaryOptions | null): CalibrationHoldout;
  /**
   * `ln |2F1(a, b; c; z)|` and its sign for `0 <= z < 1` and `c` not a pole (0 or a negative
   * integer), in log space.
   */
  lnHyp2f1(a: number, b: number, c: number, z: number): LnHyp2f1;
  BetaGeo: typeof BetaGeo;
  BetaGeoParams: typeof BetaGeoParams;
  FittedBetaGeo: typeof FittedBetaGeo;
  ModifiedBetaGeo: typeof ModifiedBetaGeo;
  ModifiedBetaGeoParams: typeof ModifiedBetaGeoParams;
  FittedModifiedBetaGeo: typeof FittedModifiedBetaGeo;
  BetaGeoBetaBinom: typeof BetaGeoBetaBinom;
  BetaGeoBetaBinomParams: typeof BetaGeoBetaBinomParams;
  FittedBetaGeoBetaBinom: typeof FittedBetaGeoBetaBinom;
  ParetoNbd: typeof ParetoNbd;
  ParetoNbdParams: typeof ParetoNbdParams;
  FittedParetoNbd: typeof FittedParetoNbd;
  GammaGamma: typeof GammaGamma;
  GammaGammaParams: typeof GammaGammaParams;
  FittedGammaGamma: typeof FittedGammaGamma;
  ShiftedBetaGeo: typeof ShiftedBetaGeo;
  ShiftedBetaGeoParams: typeof ShiftedBetaGeoParams;
  FittedShiftedBetaGeo: typeof FittedShiftedBetaGeo;
};

/**
 * The predictive lead score: a regularised logistic regression of conversion on lead
 * features (scikit-learn's objective and names), optionally calibrated (Platt or
 * isotonic), with per-lead contributions that add up to the logit.
 *
 * @example
 * const x = { pages: [1, 2, 3, 5, 0, 4, 6, 2], demo: [0, 0, 1, 1, 0, 0, 1, 1] };
 * const fit = new leads.LogisticScore({ calibration: 'platt' }).fit(x, [0, 0, 1, 1, 0, 0, 1, 1]);
 * fit.coef.demo; // > 0
 * fit.predictProba(x); // Float64Array of P(conversion)
 * fit.contributions(x).values[0]; // log-odds per feature of the first lead
 */
export declare class LogisticScore {
  /**
   * Settings (`LogisticScoreOptions`); a bad penalty, class weight or calibration
   * name throws `invalid_parameter` naming the option (`c` is checked by `fit`).
   */
  constructor(options?: LogisticScoreOptions | null);
  /**
   * Fits to features `x` (a columns object named by its keys, or a matrix with
   * `featureNames`) and 0/1 labels `y`: `out_of_range` naming `options.c` or
   * `options.l1Ratio`, `non_finite` naming `x[i][j]`, `invalid_parameter` naming
   * `y[i]` or a repeated `options.featureNames[j]`, `length_mismatch` for shapes
   * that disagree, `not_converged` for separable data without a penalty.
   */
  fit(x: Features, y: Numbers, options?: LogisticScoreFitOptions | null): FittedLogisticScore;
}

/** A fitted predictive lead score (from `LogisticScore.fit` or `fromJSON`). */
export declare class FittedLogisticScore {
  /** Not for direct use: throws `invalid_parameter`. */
  private constructor();
  /**
   * Calibrated `P(conversion)` per row (a columns object is read by feature name; a
   * flat matrix defaults to the fit's column count).
   */
  predictProba(x: Features, nFeatures?: number | null): Float64Array;
  /** The logit (uncalibrated) per row. */
  decisionFunction(x: Features, nFeatures?: number | null): Float64Array;
  /**
   * Per-lead contributions `coef_j (x_ij - mean_j)` and the base logit; each row adds
   * up to the lead's logit.
   */
  contributions(x: Features, nFeatures?: number | null): ScoreContributions;
  /**
   * AUC, log-loss, Brier score and reliability table of `x` against 0/1 labels `y`
   * (`not_enough_data` naming `y` when a class is missing).
   */
  evaluate(x: Features, y: Numbers, options?: ReliabilityOptions | null): ScoreEvaluation;
  /** The fitted model as the JSON document Python's `to_json()` writes. */
  toJSON(): object;
  /** A model from `toJSON()` (object or text) or Python's `to_json()`. */
  static fromJSON(json: string | object): FittedLogisticScore;
  /** The coefficients (log-odds per unit) by feature name. */
  readonly coef: { [feature: string]: number };
  /** The intercept. */
  readonly intercept: number;
  /** The logit of the reference (training-mean) lead. */
  readonly baseLogit: number;
  /** The features, in column order. */
  readonly featureNames: string[];
  /** Newton steps the fit took. */
  readonly iterations: number;
}

/**
 * Leads: funnels, cohort tables, rule-based scores, lifecycle stages and journey health over
 * an event log `{ lead, timestamp (unix seconds), event, value? }`. Lead ids (strings or
 * numbers) come back as given; options are camelCase, enum values snake_case (`'one_of'`).
 * Bad input is a typed error naming the field (`events.timestamp[3]`, `funnel.windowSeconds`,
 * `config.eventRules[0].eventType`, `log.stage` for a move the stage machine forbids).
 */
export declare const leads: {
  /**
   * A conversion funnel (PostHog's semantics: each lead counted once, at the furthest
   * step any attempt reached within `windowSeconds` of its first step).
   *
   * @example
   * const events = { lead: ['ann', 'ann', 'bob', 'bob', 'cy'], timestamp: [0, 60, 0, 500, 0],
   *   event: ['visit', 'signup', 'visit', 'signup', 'visit'] };
   * const f = leads.funnel(events, { steps: ['visit', 'signup'], windowSeconds: 300 });
   * f.steps.map((s) => s.count); // [3, 1]
   */
  funnel(events: LeadEvents | LeadEventRow[], funnel: FunnelOptions): Funnel;
  /** `funnel` as a promise: on a worker thread in Node (the JS thread stays free); in the browser it runs when called. */
  funnelAsync(events: LeadEvents | LeadEventRow[], funnel: FunnelOptions): Promise<Funnel>;
  /**
   * Acquisition cohorts by calendar period (UTC): retention, conversion and revenue by
   * period since acquisition, one row per cohort (later cohorts have shorter rows).
   *
   * @example
   * const rows = leads.cohorts(events, { period: 'week', conversionEvent: 'purchase' });
   * rows[0].retentionOn; // Float64Array [1, 0.4, ...]
   */
  cohorts(events: LeadEvents | LeadEventRow[], options?: CohortOptions | null): CohortRow[];
  /** `cohorts` as a promise: on a worker thread in Node (the JS thread stays free); in the browser it runs when called. */
  cohortsAsync(events: LeadEvents | LeadEventRow[], options?: CohortOptions | null): Promise<CohortRow[]>;
  /**
   * Rule-based scores as of `asOf` (unix seconds or a `Date`): one row per lead (the attributes'
   * leads in order, then leads only seen in events), with grade, temperature and the
   * points of every dimension and rule.
   *
   * @example
   * const s = leads.score(events, {
   *   eventRules: [{ name: 'demo', dimension: 'intent', eventType: 'demo', points: 30 }],
   *   attributeRules: [{ name: 'vp', dimension: 'demographic', attribute: 'title',
   *     condition: { op: 'one_of', values: ['VP', 'CMO'] }, points: 15 }],
   * }, asOf, { lead: ['ann', 'bob'], title: ['VP', 'Intern'] });
   * s[0].total; // 45 if ann booked a demo
   */
  score(events: LeadEvents | LeadEventRow[], config: ScoringConfig, asOf: number | Date, attributes?: LeadAttributes | LeadAttributeRow[] | null): LeadScore[];
  /** `score` as a promise: on a worker thread in Node (the JS thread stays free); in the browser it runs when called. */
  scoreAsync(events: LeadEvents | LeadEventRow[], config: ScoringConfig, asOf: number | Date, attributes?: LeadAttributes | LeadAttributeRow[] | null): Promise<LeadScore[]>;
  /**
   * Replays stage transitions through a stage machine (a move it does not allow is
   * `invalid_record` naming the row, `log.stage` and `"from -> to"`): current stage,
   * every transition, time in stage per lead and a summary per stage.
   *
   * @example
   * const l = leads.lifecycle({ lead: ['a', 'a'], timestamp: [0, 3600], stage: ['new', 'qualified'] },
   *   { asOf: 7200 });
   * l.current; // ['qualified']
   * l.timeInStage.new; // Float64Array [3600]
   */
  lifecycle(log: StageLog | StageLogRow[], options?: LifecycleOptions | null): Lifecycle;
  /**
   * Journey health as of `asOf`: the Mann-Kendall trend and Theil-Sen slope of each
   * lead's activity per period, its churn risk (`1 - pAlive` or from recency) and a
   * health score in [0, 100] with its status.
   *
   * @example
   * const h = leads.health(events, asOf, { periodDays: 7, periods: 8 });
   * h.filter((r) => r.status === 'critical').map((r) => r.lead);
   */
  health(events: LeadEvents | LeadEventRow[], asOf: number | Date, options?: HealthOptions | null): LeadHealth[];
  /** `health` as a promise: on a worker thread in Node (the JS thread stays free); in the browser it runs when called. */
  healthAsync(events: LeadEvents | LeadEventRow[], asOf: number | Date, options?: HealthOptions | null): Promise<LeadHealth[]>;
  /**
   * ROC AUC (ties half), log-loss, Brier score and reliability table of probabilities
   * `proba` against 0/1 labels `y` (scikit-learn's metrics and `calibration_curve`).
   *
   * @example
   * const m = leads.metrics([0, 1, 1, 0], [0.2, 0.7, 0.6, 0.4], { nBins: 5 });
   * m.auc; // 1
   */
  metrics(y: Numbers, proba: Numbers, options?: ReliabilityOptions | null): ScoreEvaluation;
  LogisticScore: typeof LogisticScore;
  FittedLogisticScore: typeof FittedLogisticScore;
};

/**
 * A multi-armed or contextual bandit with seeded, serialisable state: the same seed,
 * arms and calls give the same choices in every stack.
 *
 * @example
 * const b = new experiment.Bandit({ policy: 'thompson', arms: ['red', 'blue'], seed: 42 });
 * const arm = b.choose();
 * b.update(arm, 1);
 * const saved = JSON.stringify(b); // resumes with experiment.Bandit.fromJSON(saved)
 */
export declare class Bandit {
  /**
   * A bandit; a bad policy name or parameter, repeated arm or discount outside
   * (0, 1] throws naming it (`options.policy.alpha`).
   */
  constructor(options?: BanditOptions | null);
  /**
   * The arm for the next impression, among `available` (default all), in `context`
   * (linear policies: `dim` numbers).
   */
  choose(context?: Numbers | null, available?: string[] | null): string;
  /**
   * Records a reward for `arm` (whenever it arrives), with its decision's context for
   * the linear policies; in [0, 1] for the Beta-Bernoulli policies.
   */
  update(arm: string, reward: number, context?: Numbers | null): void;
  /**
   * Records rewards in order; all are checked before any is applied (an error
   * names `feedback[i].reward` and leaves the bandit unchanged).
   */
  updateBatch(feedback: BanditFeedback[]): void;
  /**
   * Each available arm's probability of being chosen next (exact, or from `draws`
   * simulated decisions for the Thompson policies; the decision stream is untouched).
   */
  weights(options?: WeightsOptions | null): ArmWeight[];
  /** Each arm's reward count and mean, in arm order. */
  summary(): BanditArm[];
  /** Adds an arm with no rewards yet. */
  addArm(arm: string): void;
  /** Removes an arm and its statistics. */
  removeArm(arm: string): void;
  /**
   * The state document (the core's, which Python's `to_json()` writes):
   * `JSON.stringify(bandit)` gives its text.
   */
  toJSON(): object;
  /**
   * A bandit from `toJSON()` (object or text) or Python's `to_json()`, resuming bit
   * for bit; a damaged document throws `invalid_parameter`.
   */
  static fromJSON(json: string | object): Bandit;
  /** The arms, in the order they were added. */
  readonly arms: string[];
  /** The policy and its parameters (`{ name, ... }`). */
  readonly policy: object;
  /** The discount. */
  readonly discount: number;
  /** Decisions made so far. */
  readonly decisions: number;
  /** Rewards received so far. */
  readonly updates: number;
}

/**
 * A/B statistics and bandits. An arm is `{ n, successes }`, `{ n, sum, sumSquares }`,
 * `{ n, mean, variance }` or its raw values; tests compare B against A. Successes above
 * `n`, `n` below 1 (2 for a variance), a sum of squares below `sum^2 / n` and options out of
 * range (`alpha` outside (0, 1)) are `out_of_range` naming the field (`b.successes`,
 * `options.alpha`).
 */
export declare const experiment: {
  /**
   * The pooled two-proportion z-test (statsmodels' `proportions_ztest`), with absolute
   * and relative (delta method, as gbstats) effects and intervals.
   *
   * @example
   * const r = experiment.ztest({ n: 5000, successes: 500 }, { n: 5000, successes: 560 });
   * r.pValue; r.relative.estimate; // 0.12
   */
  ztest(a: ProportionArm, b: ProportionArm, options?: AbTestOptions | null): ZTestResult;
  /**
   * Welch's unequal-variance t-test (scipy's `ttest_ind(equal_var=False)`), with absolute
   * and relative effects.
   */
  welch(a: Arm, b: Arm, options?: AbTestOptions | null): WelchResult;
  /** Pearson's chi-square test that k arms convert at one rate. */
  chisq(arms: ProportionArm[]): ChiSquareResult;
  /** Exact beta-binomial P(B > A) and expected loss of choosing each arm. */
  betaBinomial(a: ProportionArm, b: ProportionArm, options?: BetaBinomialOptions | null): BetaBinomialResult;
  /**
   * gbstats' Bayesian effect model (flat or Gaussian prior, relative or absolute):
   * posterior, chance to win, risk of each choice.
   */
  bayes(a: Arm, b: Arm, options?: BayesOptions | null): BayesResult;
  /**
   * Power and sample size (statsmodels' `NormalIndPower`): give two of `effectSize` (or
   * `p1` and `p2`), `nobs1` and `power`; the third is solved for.
   *
   * @example
   * experiment.power({ p1: 0.12, p2: 0.10, power: 0.8 }).nobs1; // 3834.6 per arm
   */
  power(options: PowerOptions): PowerResult;
  /** Cohen's h of two proportions (statsmodels' `proportion_effectsize`). */
  proportionEffectsize(p1: number, p2: number): number;
  /**
   * CUPED with a pre-period covariate, theta pooled across arms (gbstats): the adjusted
   * arms to pass to `welch`, `bayes` or `sequential`.
   */
  cuped(a: CupedArm, b: CupedArm): CupedResult;
  /** The effect size CUPED gives for power: `effectSize / sqrt(1 - rho^2)`. */
  cupedEffectSize(effectSize: number, rho: number): number;
  /**
   * An always-valid look (gbstats' mixture confidence sequence): peeking at every look
   * keeps the false-positive rate at `alpha`.
   */
  sequential(a: Arm, b: Arm, options?: SequentialOptions | null): SequentialResult;
  /**
   * Group-sequential bounds by Lan-DeMets alpha spending at the looks' information
   * fractions (increasing, the last at most 1), one row per look.
   */
  groupSequential(information: Numbers, options?: GroupSequentialOptions | null): GroupSequentialLook[];
  Bandit: typeof Bandit;
};

/**
 * A seeded simulated ad market: campaigns on response curves with weekly seasonality,
 * noise, reporting delay, rate limits and injected faults; the same seed gives the
 * same market. Its clock moves only when told.
 *
 * @example
 * const m = new platform.SimMarket({ seed: 7 });
 * m.runDays(14);
 * const r = m.readMetrics({ from: '2026-01-05', to: '2026-01-18' });
 * if (r.ok) r.value.length; // 28
 */
export declare class SimMarket {
  /** A market at the start of `config.start` (camelCase keys; every key optional). */
  constructor(config?: SimConfig | null);
  /**
   * Moves to the next midnight, simulating the day that ends. A market simulates at
   * most 36525 days (100 years) and its clock stays within the years 1 to 9999:
   * moving past either is `out_of_range` and leaves the market as it was.
   */
  stepDay(): void;
  /** `stepDay()` `n` times (`out_of_range` naming `n` past the market's end). */
  runDays(n: number): void;
  /**
   * Moves the clock forward by `ms`, simulating every day whose end is passed
   * (`out_of_range` naming `ms` past the market's end).
   */
  advanceMs(ms: number): void;
  /**
   * A fork of the market: the same state, clock and random streams, so it answers as
   * this one would from here on (two plans tried from the same day).
   */
  clone(): SimMarket;
  /**
   * Daily metrics as the platform reports them now (late conversions still missing;
   * faults and rate limits apply).
   */
  readMetrics(query: MetricsQuery): PlatformResult<MetricsRow[]>;
  /** Every conversion however late its report, without faults or rate limits. */
  trueMetrics(query: MetricsQuery): MetricsRow[];
  /**
   * Applies a batch: one result per change (items fail separately); a key seen
   * before is not applied again.
   */
  applyChanges(changes: Change[]): PlatformResult<ChangeResult[]>;
  /** The entity as the platform holds it now, to verify a change. */
  readEntity(id: string): PlatformResult<EntityState>;
  /** Now, ms since the epoch. */
  readonly nowMs: number;
  /** The current day, `'YYYY-MM-DD'` (not yet simulated). */
  readonly today: string;
  /** Every change applied, in order (once per key). */
  readonly applied: AppliedChange[];
  /** Every fault that fired, in order. */
  readonly faultLog: FaultEvent[];
  /** The settings in force, defaults filled in. */
  readonly config: SimConfig;
}

/**
 * Platforms, sans I/O: customer data normalised and SHA-256 hashed as Meta and Google
 * document it (errors name the field, never the value), webhook signatures checked over the
 * raw body in constant time, a seeded simulated ad market behind the adapter's calls, and
 * the classifier of vendor errors. A vendor failure is data (`PlatformResult`: `{ ok: false,
 * error }`), to classify and retry; bad input of the caller's own throws with its `code`.
 */
export declare const platform: {
  /**
   * The normalised text of one customer-data value, before hashing (`'em'`, `'ph'`,
   * `'fn'`, ...; `options.vendor` `'meta'` by default).
   *
   * @example
   * platform.normalize('ph', '+1 (650) 555-1212'); // '16505551212'
   */
  normalize(field: string, value: string, options?: PiiOptions | null): string;
  /**
   * SHA-256 (64 lowercase hex digits) of the normalised value; an already hashed value
   * passes through.
   */
  hash(field: string, value: string, options?: PiiOptions | null): string;
  /**
   * Every field hashed, under the same keys (lists stay lists, Meta only).
   *
   * @example
   * platform.hashUserData({ em: 'Jane@Example.com', ph: '+1 650 555 1212' });
   */
  hashUserData(userData: UserData, options?: PiiOptions | null): UserData;
  /**
   * Whether the signature header matches the raw body (`false` for a wrong secret, a
   * changed byte or a stale timestamp); a header that cannot be parsed throws
   * `invalid_parameter` naming the header.
   *
   * @example
   * platform.verifyWebhook({ scheme: 'shopify', secret, body: rawBody, header: req.headers['x-shopify-hmac-sha256'] });
   */
  verifyWebhook(request: WebhookRequest): boolean;
  /**
   * A timestamped (Stripe-style) header's verdict, which of signature and window failed
   * (`request.scheme` must be `'timestamped'`).
   */
  checkTimestamped(request: WebhookRequest): TimestampedVerdict;
  /** The header value a sender attaches (for tests and simulators). */
  signWebhook(request: WebhookSignRequest): string;
  /**
   * Retry, back off or give up on a vendor failure seen at `nowMs`.
   *
   * @example
   * platform.classify({ kind: 'meta', code: 17 }, Date.now()); // { action: 'back_off', minWaitMs: 60000 }
   */
  classify(error: PlatformError, nowMs: number, classifier?: ClassifierOptions | null): Disposition;
  /**
   * Conversions API request bodies `{ data: [...] }` (at most `batchSize` events each,
   * 1000 by default): every event checked as Meta checks it (an event more than 7 days
   * before `nowMs` makes Meta refuse the whole request, so it throws naming
   * `events[i].event_time`), `user_data` normalised and hashed. `POST` each body to
   * `/<pixel id>/events`.
   *
   * @example
   * const [body] = platform.metaCapiEvents([{ event_name: 'Purchase', event_time: 1767225600, event_id: 'order-17',
   *   action_source: 'website', event_source_url: 'https://shop.example/thanks',
   *   user_data: { em: 'jane@example.com', client_user_agent: ua }, custom_data: { currency: 'USD', value: 42.5 } }]);
   */
  metaCapiEvents(events: CapiEvent[], options?: CapiOptions | null): VendorBody[];
  /**
   * The Marketing API request applying a budget, bid or status change to a campaign or
   * ad set whose account bills in `currency`: `{ key, method: 'POST', path, body }`,
   * amounts in the currency's minor unit (USD cents, JPY yen; Meta's currency table).
   */
  metaChangeRequest(change: Change, currency: string): VendorRequest;
  /**
   * GA4 Measurement Protocol `/mp/collect` bodies, the payload's events split 25 to a
   * body, each checked as GA4 checks it (names, reserved names, lengths, 72-hour
   * timestamps, 130 kB).
   */
  ga4Requests(payload: Ga4Payload, options?: Ga4Options | null): VendorBody[];
  /** The payload as one `/mp/collect` body (more than 25 events throws). */
  ga4Body(payload: Ga4Payload, options?: Ga4Options | null): VendorBody;
  /**
   * Google Ads `uploadClickConversions` requests `{ path, body }` (at most `batchSize`
   * conversions each, 2000 by default, `partialFailure: true`), `user_data` as hashed
   * `userIdentifiers`.
   */
  googleAdsClickConversions(conversions: ClickConversion[], options: ClickConversionOptions): VendorRequest[];
  /**
   * One person's `userIdentifiers` for enhanced conversions and Customer Match (email,
   * E.164 phone and address, hashed).
   */
  googleAdsUserIdentifiers(userData: UserData, options?: GoogleEmailOption | null): VendorBody[];
  /** Customer Match `create` operations, one per user. */
  googleAdsCustomerMatch(users: UserData[], options?: GoogleEmailOption | null): VendorBody[];
  /**
   * Google Ads `mutate` requests `{ path, keys, body }` for budget (`amountMicros`), bid
   * (`cpcBidMicros`) and status changes, one per customer and resource type, each with
   * its update mask.
   */
  googleAdsMutate(changes: Change[], options?: MutateOptions | null): VendorRequest[];
  /**
   * `ms` (since the epoch) as Google Ads writes a date-time at the account's UTC offset:
   * `'yyyy-mm-dd hh:mm:ss+hh:mm'`.
   */
  googleAdsDateTime(ms: number, offsetMinutes: number): string;
  /** The ms since the epoch of a Google Ads date-time (`'2024-03-01 12:32:45-08:00'`). */
  googleAdsParseDateTime(text: string): number;
  /**
   * A Meta Insights API response (`time_increment=1`; one page or a list of pages) as
   * daily metrics rows, numbers from Meta's strings, conversions and value summed over
   * `conversionActionTypes`; a malformed field throws naming its path (`data[3].spend`).
   */
  metaInsights(response: object, options: MetaInsightsOptions): MetricsReport;
  /**
   * A Google Ads `searchStream` (list of batches) or `search` response as daily metrics
   * rows, spend from `costMicros`.
   */
  googleAdsMetrics(response: object, options?: GoogleAdsMetricsOptions | null): MetricsReport;
  /**
   * A GA4 Data API `runReport` response (with the entity and `date` dimensions) as daily
   * metrics rows.
   */
  ga4RunReport(response: object, options?: Ga4ReportOptions | null): MetricsReport;
  SimMarket: typeof SimMarket;
};

/**
 * A saturation curve: the response to (adstocked) spend `x >= 0`.
 *
 * | kind | value `f(x)` | parameters |
 * |---|---|---|
 * | `'logistic'` | `beta (1 - e^(-lam x)) / (1 + e^(-lam x))` | `lam > 0`, `beta >= 0` |
 * | `'hill'` | `beta x^slope / (kappa^slope + x^slope)` | `slope > 0` (`> 1`: S-curve), `kappa > 0`, `beta >= 0` |
 * | `'michaelis_menten'` | `alpha x / (lam + x)` | `alpha >= 0`, `lam > 0` |
 * | `'tanh'` | `b tanh(x / (b c))` | `b > 0`, `c > 0` |
 * | `'power'` | `a x^b` | `a >= 0`, `b` in (0, 1] |
 * | `'log'` | `beta ln(1 + lam x)` | `beta >= 0`, `lam > 0` |
 *
 * @example
 * const s = new optimize.Saturation({ kind: 'hill', slope: 2, kappa: 100, beta: 50 });
 * s.value([0, 100, 200]); // Float64Array [0, 25, 40]
 */
export declare class Saturation {
  /**
   * A curve; an unknown kind or key is `invalid_parameter`, a parameter out of its
   * range `out_of_range` naming it (`options.kappa`).
   */
  constructor(options: SaturationSpec);
  /**
   * Robyn's `saturation_hill(x, alpha, gamma)` as a Hill curve: `slope = alpha`,
   * `kappa = (1 - gamma) min(x) + gamma max(x)`, `beta = 1` (`gamma` in (0, 1]).
   */
  static robynHill(alpha: number, gamma: number, x: Numbers): Saturation;
  /** The response at each spend. */
  value(x: number | Numbers): Float64Array;
  /**
   * The marginal response `f'(x)` at each spend (`Infinity` at 0 for a Hill curve with
   * `slope < 1` and a power curve with `b < 1`).
   */
  derivative(x: number | Numbers): Float64Array;
  /**
   * The spend at which the marginal equals each `m`, on the falling branch: 0 when no
   * spend is worth `m`, `Infinity` when the marginal never falls to `m`.
   */
  inverseMarginal(m: number | Numbers): Float64Array;
  /** The kind, e.g. `'hill'`. */
  readonly kind: string;
  /** The parameters by name, e.g. `{ slope, kappa, beta }`. */
  readonly params: Record<string, number>;
  /** The curve as the object the constructor takes. */
  readonly spec: SaturationSpec;
  /** Whether the marginal rises before it falls (a Hill curve with `slope > 1`). */
  readonly isSShaped: boolean;
  /** The spend where the marginal peaks: the inflection of an S-curve, 0 otherwise. */
  readonly inflection: number;
}

/**
 * Carry-over: `apply(x)[t] = sum_l weights[l] x[t - l]`, spend before the window (`pre`,
 * oldest first) carrying into the first periods.
 *
 * | kind | weight `w_l`, `l = 0..lMax-1` | parameters |
 * |---|---|---|
 * | `'geometric'` | `alpha^l` | `alpha` in [0, 1] |
 * | `'delayed'` | `alpha^((l - theta)^2)` | `alpha` in [0, 1], `theta` in [0, lMax - 1] |
 * | `'weibull_pdf'` | Weibull density at `l + 1`, min-max scaled | `lam > 0`, `k > 0`, `lMax >= 2` |
 * | `'weibull_cdf'` | Weibull survival, cumulated | `lam > 0`, `k > 0` |
 *
 * `lMax` defaults to 8; `normalize` (default `true`, pymc-marketing's) divides the
 * weights by their sum. Robyn's geometric adstock with `theta` is
 * `{ kind: 'geometric', alpha: theta, lMax: <the series length>, normalize: false }`.
 */
export declare class Adstock {
  /**
   * An adstock; an unknown kind or key is `invalid_parameter`, a parameter out of its
   * range `out_of_range` naming it (`options.lMax`).
   */
  constructor(options: AdstockSpec);
  /** The lag weights `w_0, ..., w_(lMax-1)`. */
  weights(): Float64Array;
  /** The adstocked series of `x`, `pre` the spend before it (oldest first). */
  apply(x: Numbers, pre?: Numbers | null): Float64Array;
  /** The kind, e.g. `'geometric'`. */
  readonly kind: string;
  /** The continuous parameters by name, e.g. `{ alpha }`. */
  readonly params: Record<string, number>;
  /** The number of lags. */
  readonly lMax: number;
  /** Whether the weights are divided by their sum. */
  readonly normalize: boolean;
  /** The adstock as the object the constructor takes. */
  readonly spec: AdstockSpec;
  /**
   * The steady-state gain `sum w`: adstocked spend per period when the same spend runs
   * every period.
   */
  readonly gain: number;
}

/**
 * The media mix model: the outcome regressed on each channel's spend, carried over
 * (adstock) and saturating, beside an intercept, a trend, Fourier seasonality and
 * controls; fitted by penalised maximum likelihood (the posterior mode under
 * pymc-marketing's priors) with Laplace or bootstrap intervals.
 *
 * @example
 * const fit = new optimize.MMM({ lMax: 6, seed: 1 }).fit({ target: sales, channels: { tv, search } });
 * fit.summary(); // [{ channel: 'tv', share, shareLo, shareHi, roas, mroas, ... }, ...]
 */
export declare class MMM {
  /** A spec; bad option types throw `invalid_parameter` (ranges are checked by `fit`). */
  constructor(options?: MMMOptions | null);
  /**
   * Fits the model to `data`: `out_of_range` / `non_finite` naming the column and row
   * (`data.channels.tv[3]`) or the option (`options.lMax`), `length_mismatch` for
   * columns of different lengths, `not_enough_data` for fewer rows than parameters.
   */
  fit(data: MMMData, options?: MMMFitOptions | null): FittedMMM;
  /**
   * `fit` as a promise: on a worker thread in Node, in a Web Worker in the browser, so the
   * JS thread stays free. `options.onProgress` is called with its progress; `options.signal`
   * (an `AbortSignal`) cancels it: the promise rejects with code `cancelled`.
   */
  fitAsync(data: MMMData, options?: (MMMFitOptions & AsyncOptions) | null): Promise<FittedMMM>;
}

/**
 * Bids from predicted conversion probability: `bid = P(conversion | context) x value
 * per conversion / target ROAS` (or `x target CPA`). Each factor's levels get
 * multipliers from an L2-regularised logistic regression of conversion on click
 * (`glm.LogisticRegression`, scikit-learn's objective) over the outcome cells, shrunk
 * toward 1 for thin levels (`c` sets how much data it takes); floors, caps and a maximum
 * change from the current bid apply last.
 *
 * @example
 * const model = new optimize.BidModel({ factors: ['device', 'daypart'], target: { roas: 4 } })
 *   .fit([{ context: ['mobile', 'evening'], clicks: 4000, conversions: 60, value: 3000 }, ...]);
 * model.bid(['desktop', 'evening'], 0.25); // { bid, probability, factors, limitedBy, explanation, ... }
 */
export declare class BidModel {
  /**
   * A spec; a missing `factors` or `target`, or a bad option type, throws
   * `invalid_parameter` (ranges are checked by `fit`, naming `options.cap`).
   */
  constructor(options: BidModelOptions);
  /**
   * Estimates the multipliers from outcome cells: `invalid_parameter` for a context
   * of the wrong length or conversions above clicks (`cells[2].conversions`), or no
   * conversions at all; `out_of_range` / `non_finite` for negative or NaN counts.
   */
  fit(cells: BidCell[]): FittedBids;
}

/** A fitted bid model (from `BidModel.fit`). */
export declare class FittedBids {
  /** Not for direct use: throws `invalid_parameter`. */
  private constructor();
  /** Every level's multiplier, factor by factor (levels in first-seen order). */
  multipliers(): BidLevel[];
  /**
   * The bid for a context (one level per factor; a level never seen counts as
   * average), moving from `current` at most by `maxChange`; its factors multiply out
   * to `probability / baseProbability`.
   */
  bid(context: string[], current?: number | null): BidResult;
  /**
   * The fitted model as a JSON document, the one Python's `FittedBids.to_json()`
   * writes: `JSON.stringify(fitted)` gives its text.
   */
  toJSON(): object;
  /**
   * A model from `toJSON()` (object or text) or from Python's `to_json()`; a damaged
   * document (levels not one list per factor, a negative count, ...) throws
   * `invalid_parameter`.
   */
  static fromJSON(json: string | object): FittedBids;
}

/** A fitted media mix model (from `MMM.fit` or `FittedMMM.fromJSON`). */
export declare class FittedMMM {
  /** Not for direct use: throws `invalid_parameter`. */
  private constructor();
  /**
   * One row per channel: contribution, share, ROAS and marginal ROAS with `level`
   * intervals, and the fitted curves.
   */
  summary(): MMMChannelSummary[];
  /** The additive parts of the fit over the training rows. */
  contributions(): MMMContributions;
  /** Each channel's contribution band in each training row, from the draws. */
  contributionBands(): MMMContributionBands;
  /** Every parameter at the mode with its interval. */
  params(): MMMParam[];
  /** Every channel's steady-state response curve over `grid` (spend per period). */
  responseCurves(grid: Numbers): MMMResponseCurve[];
  /** The parts and predictions for new rows (the fit's channels and controls). */
  predict(data: MMMNewData): MMMContributions;
  /**
   * Channel `channel`'s contribution per period when it spends `plan`, with the
   * carry-over of the training data's last periods.
   */
  horizonResponse(channel: string, plan: Numbers): MMMHorizonResponse;
  /**
   * Channel `channel`'s steady-state response to spend per period (original units) as
   * one curve, for budget allocation; `null` for a channel that never spends.
   */
  steadyStateCurve(channel: string): Saturation | null;
  /**
   * Every spending channel as `optimize.allocate` takes it: its steady-state curve and,
   * as `current`, its mean spend per period (add bounds, then allocate).
   */
  budgetChannels(): MMMBudgetChannel[];
  /**
   * The fitted model as a JSON document (the one Python's `FittedMMM.to_json()`
   * writes, data included): `JSON.stringify(fitted)` gives its text.
   */
  toJSON(): object;
  /**
   * A model from `toJSON()` (object or text) or from Python's `to_json()`: the same
   * numbers, bit for bit; a damaged document throws `invalid_parameter`.
   */
  static fromJSON(json: string | object): FittedMMM;
  /** Fit diagnostics. */
  readonly diagnostics: MMMDiagnostics;
  /** How the optimiser ended. */
  readonly convergence: MMMConvergence;
  /**
   * What the fit noticed (a channel that never spends, collinear channels, a flat
   * posterior direction).
   */
  readonly warnings: string[];
  /** Channel names, in data order. */
  readonly channels: string[];
  /** Control names, in data order. */
  readonly controls: string[];
}

/**
 * Response curves, adstock and the media mix model, in pymc-marketing's parameterisations
 * (Robyn's Hill through `Saturation.robynHill`). Spend is `number[] | Float64Array`, finite
 * and `>= 0` (`non_finite` / `out_of_range` name `x[i]`).
 */
export declare const optimize: {
  /**
   * Splits a budget (spend per period) over response curves for the most total response,
   * within per-channel bounds, a maximum change from current spend and locked channels,
   * or solves another `scenario`. `channels`: a `FittedMMM` (its steady-state curves,
   * current spend its mean spend per period) or an array of channels. Concave curves
   * are solved exactly (KKT residual and duality gap at rounding level), S-shaped Hill
   * curves by branch and bound to a proven gap (`certificate.suboptimality`). A budget
   * the bounds cannot hold, or one past what the curves take at any marginal return
   * above 1e-300, is `invalid_parameter` naming `options.budget` and the constraint; bad
   * bounds and draws of another kind than the curve name the channel
   * (`channels[1].upper`, `channels[1].draws[3]`).
   *
   * @example
   * const plan = optimize.allocate([
   *   { name: 'search', curve: { kind: 'michaelis_menten', alpha: 1, lam: 1 } },
   *   { name: 'social', curve: { kind: 'michaelis_menten', alpha: 4, lam: 1 } },
   * ], { budget: 4 });
   * plan.rows.map((r) => r.spend); // [1, 3]: equal marginal returns
   */
  allocate(channels: FittedMMM | AllocationChannel[], options?: AllocateOptions | null): Allocation;
  /**
   * Plans spend over several periods when spend keeps returning in later periods
   * (adstock): per-period `budgets` (or a `total` over `periods`), spend before the
   * horizon carried in (`pre`), a seasonal `profile`, the carry-over after the last
   * period counted (`tail`). Concave curves: the optimum is global, within
   * `certificate.gap` (a Frank-Wolfe gap). `channels`: a `FittedMMM` (its curves,
   * adstock and last spends) or an array of channels. Errors name the field
   * (`channels[1].pre[2]`, `options.profile`, `options.budgets[0]`).
   *
   * @example
   * const p = optimize.plan([
   *   { name: 'tv', curve: { kind: 'michaelis_menten', alpha: 500, lam: 200 },
   *     adstock: { kind: 'geometric', alpha: 0.6, lMax: 6, normalize: false } },
   *   { name: 'search', curve: { kind: 'michaelis_menten', alpha: 300, lam: 80 } },
   * ], { budgets: [400, 400, 400, 400], profile: [1, 1, 1.5, 1] });
   * p.spend[1][2] > p.spend[1][1]; // search spends into the sale week
   */
  plan(channels: FittedMMM | PlanChannel[], options: PlanOptions): Plan;
  /**
   * Recommendations from whatever `inputs` holds, in the order budget, bids, targeting,
   * creatives: budget moves from the allocation of `inputs.channels` (each with its
   * current spend) under `inputs.allocate`, with a 90% interval and a confidence from the
   * curve draws; bid changes for `inputs.contexts` from the `inputs.bids` model; segments
   * converting worse than the rest (two-proportion z-test, Holm-corrected); creatives
   * whose click-through rate falls (Mann-Kendall). None steps outside `guardrails` (a
   * clipped change says so in `clipped` and its `reason`).
   *
   * @example
   * const recs = optimize.recommend({
   *   channels: [
   *     { name: 'search', curve: { kind: 'michaelis_menten', alpha: 1, lam: 1 }, current: 2 },
   *     { name: 'social', curve: { kind: 'michaelis_menten', alpha: 4, lam: 1 }, current: 2 },
   *   ],
   *   allocate: { budget: 4 },
   * }, { maxBudgetChange: 0.3 });
   * recs.map((r) => [r.target, r.to]); // [['search', 1.4], ['social', 2.6]]: held to 30%
   */
  recommend(inputs: RecommendInputs & { channels?: FittedMMM | AllocationChannel[]; bids?: FittedBids }, guardrails?: Guardrails | null): Recommendation[];
  /**
   * The insights digest over a metrics table (per channel, per period, oldest first),
   * ranked by money at stake: significant period-over-period changes in conversions per
   * unit spent, Mann-Kendall trends in cost per conversion, an anomalous last period
   * (robust z-score), and one channel's spend moving with another's conversions
   * (Pearson, Holm-corrected); each one sentence with its numbers and test.
   */
  insights(metrics: ChannelMetricsInput[], options?: InsightsOptions | null): Insight[];
  Saturation: typeof Saturation;
  Adstock: typeof Adstock;
  MMM: typeof MMM;
  BidModel: typeof BidModel;
  FittedBids: typeof FittedBids;
  FittedMMM: typeof FittedMMM;
};

/**
 * The decision engine (Node only: the browser build throws `invalid_parameter` naming
 * `decide.Engine`). Its state and hash-chained audit log live in `store` (a SQLite
 * file, `':memory:'`, or a `postgresql://` url in a build with PostgreSQL); it acts
 * through `adapters`: a `platform.SimMarket`, or an object whose methods it calls (see
 * `DecideAdapter`: a thrown error is a vendor failure, classified and retried by the
 * policy). The methods that reach the adapter (`propose`, `execute`, `runDue`,
 * `rollback`, `rollbackSince`, `checkPerformance`, `observe`) have an `...Async` form:
 * it runs on a worker thread, leaves the event loop free, and awaits adapter methods
 * that return promises (`fetch`-based adapters; `sleepUntil` may return one too). The
 * other forms are synchronous and call the adapter in place, so there its methods must
 * answer synchronously. One call at a time per engine: a call made while another runs
 * (an adapter calling back into its engine, or two `...Async` calls at once) throws
 * `invalid_parameter` naming `engine` (busy); await each call before the next.
 *
 * @example
 * const engine = new decide.Engine({ store: ':memory:', adapters: {
 *   async applyChanges(changes) { return (await fetch(url, { method: 'POST', body: JSON.stringify(changes) })).json(); },
 *   async readEntity(id) { return (await fetch(`${url}/${id}`)).json(); },
 *   async readMetrics(query) { return []; },
 * } });
 * const d = await engine.proposeAsync({ kind: 'budget', entity: 'search', from: 100, to: 110, confidence: 0.9 });
 * await engine.executeAsync(d.id); // { outcome: 'executed', verified: true }
 *
 * @example
 * const market = new platform.SimMarket({ seed: 7 });
 * const engine = new decide.Engine({ store: 'decisions.db', policy: { guardrails: { accountDailyCap: 300 } }, adapters: market });
 * const d = engine.propose({ kind: 'budget', entity: 'search', from: 100, to: 110, confidence: 0.9 });
 * if (d.status === 'approved') engine.execute(d.id); // { outcome: 'executed', verified: true }
 * engine.verify(); // { entries, headSeq, headHash }
 */
export declare class Engine {
  /**
   * Opens (or creates) the store and checks the policy; `invalid_parameter` names a bad
   * option (`options.policy.ttlMs`), a store that is not a channelwise store
   * (`options.store`), or adapters that are neither kind.
   */
  constructor(options: EngineOptions<SimMarket | DecideAdapter>);
  /**
   * Proposes a change: approved by the policy when its risk allows, else pending. The
   * risk is the higher of the change from `from` and from the value last seen.
   */
  propose(proposal: Proposal): Decision;
  /** `propose` as a promise: on a worker thread in Node (the JS thread stays free); in the browser it runs when called. */
  proposeAsync(proposal: Proposal): Promise<Decision>;
  /** The decisions waiting for a person. */
  pending(): Decision[];
  /** Every decision, oldest first. */
  decisions(): Decision[];
  /** One decision (`invalid_parameter` naming `decision` for an unknown id). */
  decision(id: number): Decision;
  /**
   * Approves a pending decision as a named person; an unknown, not pending or expired
   * decision throws `invalid_parameter` naming `decision`.
   */
  approve(id: number, approver: string): Decision;
  /** Rejects a pending decision as a named person, saying why. */
  reject(id: number, approver: string, reason: string): Decision;
  /**
   * Takes an approved decision one stage further: guardrails, the adapter's apply with
   * its idempotency key and retries, read-back.
   */
  execute(id: number): ExecOutcome;
  /** `execute` as a promise: on a worker thread in Node (the JS thread stays free); in the browser it runs when called. */
  executeAsync(id: number): Promise<ExecOutcome>;
  /** Executes every approved decision that is due (and the next stage of staged ones). */
  runDue(): (ExecOutcome & { id: number })[];
  /** `runDue` as a promise: on a worker thread in Node (the JS thread stays free); in the browser it runs when called. */
  runDueAsync(): Promise<(ExecOutcome & { id: number })[]>;
  /**
   * The emergency stop: cancels every pending and approved decision and refuses new
   * ones until `resume`; the ids cancelled.
   */
  stop(by: string, reason: string): number[];
  /** Clears the emergency stop, as a named person. */
  resume(by: string): void;
  /** The emergency stop, if set. */
  stopped(): StopState | null;
  /** Restores the value the entity had before the decision's first stage. */
  rollback(id: number, by: string): ExecOutcome;
  /** `rollback` as a promise: on a worker thread in Node (the JS thread stays free); in the browser it runs when called. */
  rollbackAsync(id: number, by: string): Promise<ExecOutcome>;
  /** Undoes every stage started at or after `sinceMs`, newest first. */
  rollbackSince(sinceMs: number, by: string): (ExecOutcome & { id: number })[];
  /** `rollbackSince` as a promise: on a worker thread in Node (the JS thread stays free); in the browser it runs when called. */
  rollbackSinceAsync(sinceMs: number, by: string): Promise<(ExecOutcome & { id: number })[]>;
  /** The whole audit log, oldest first (each entry carries the SHA-256 of the previous). */
  audit(): AuditEntry[];
  /** Checks the hash chain; an edited, deleted or reordered entry throws naming it. */
  verify(): ChainSummary;
  /** Records what an executed decision brought, after its window. */
  recordOutcome(id: number, actual: number, method: string, by: string): Decision;
  /** Expected against measured impact, per decision type. */
  calibration(): Calibration[];
  /** Flags a day (`'YYYY-MM-DD'`) for the anomaly gate. */
  flagAnomaly(day: string, by: string, reason: string): void;
  /** Proposes a pause of every entity that breaches the performance guard. */
  checkPerformance(): Decision[];
  /** `checkPerformance` as a promise: on a worker thread in Node (the JS thread stays free); in the browser it runs when called. */
  checkPerformanceAsync(): Promise<Decision[]>;
  /** The engine's known state of an entity (read from the platform once, then kept). */
  observe(entity: string): EntityState;
  /** `observe` as a promise: on a worker thread in Node (the JS thread stays free); in the browser it runs when called. */
  observeAsync(entity: string): Promise<EntityState>;
  /** The policy in force, defaults filled in. */
  readonly policy: Required<Policy>;
  /**
   * The store's id: 16 random hex digits the database drew when the store was created,
   * the same for every process on the store. Every idempotency key the engine sends
   * starts with it (`${storeId}/d${id}/s${stage}`), so a second store on the same ad
   * account never sends a key the platform already applied. Empty for a store that
   * sent keys before stores had ids (its keys stay `d${id}/s${stage}`).
   */
  readonly storeId: string;
}

/**
 * Decisions: the engine's pure rules (risk levels, auto-approval, staged rollout,
 * guardrail verdicts) in Node and the browser, and `decide.Engine` (Node only), which
 * proposes, approves, executes through the adapters, stops, rolls back and audits.
 * Settings and decisions are the core's documents with camelCase keys; an unknown key
 * throws `invalid_parameter` naming it (`policy.guardrails.accountDailyCapp`), a value out
 * of range the core's error naming its field as JS writes it (`policy.risk.lowChange`).
 */
export declare const decide: {
  /**
   * The risk of a proposal: relative change, daily spend at stake and confidence, and the
   * level the rule gives them (default rule: the core's `RiskRule` table).
   *
   * @example
   * decide.assessRisk({ kind: 'budget', entity: 'search', from: 100, to: 110, confidence: 0.9 }).level; // 'low'
   */
  assessRisk(proposal: Proposal, rule?: RiskRule | null): Risk;
  /** The level for a relative change, a daily spend at stake and a confidence. */
  riskLevel(change: number, spend: number, confidence: number, rule?: RiskRule | null): RiskLevel;
  /** Whether the policy approves a decision of this risk without a person. */
  autoApproves(policy: Policy | null, level: RiskLevel): boolean;
  /**
   * The value after each stage of a change: `[to]`, or for a money change above
   * `stageAbove`, `[from + firstStage (to - from)` (to cents)`, to]`.
   *
   * @example
   * decide.stages(null, 100, 300); // [150, 300]
   */
  stages(policy: Policy | null, from: DecisionValue, to: DecisionValue): DecisionValue[];
  /** The policy with every default filled in, after checking every setting. */
  validatePolicy(policy: Policy | null): Required<Policy>;
  /**
   * The verdict of the guardrails on one step: pass, block (with the guardrail and the
   * numbers) or defer (the vendor's change frequency).
   *
   * @example
   * decide.checkGuardrails({ accountDailyCap: 300 }, { entity: 'search', kind: 'budget', current: 100, target: 180,
   *   exposures: { search: { dailyBudget: 100, active: true }, social: { dailyBudget: 150, active: true } } });
   * // { verdict: 'block', guardrail: 'account_daily_cap', reason: 'account daily budget would be 330.00, above the cap of 300.00' }
   */
  checkGuardrails(guardrails: DecideGuardrails | null, step: GuardrailStep): Verdict;
  /**
   * The first daily cap these exposures (entity id -> daily budget and status) breach, or
   * `null`.
   */
  capsBreach(guardrails: DecideGuardrails | null, exposures: { [entity: string]: Exposure }): { guardrail: string; reason: string } | null;
  /**
   * Why this performance breaches the guard (ROAS or CPA over the lookback), or `null`
   * (also when the sample is too small to judge).
   */
  performanceBreach(guard: PerformanceGuard | null, performance: Performance): string | null;
  Engine: typeof Engine;
};
