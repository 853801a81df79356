// Types of channelwise-wasm (js/index.js). Same names and shapes as the Node binding.

/** A numeric column: a plain array or a typed array (Float64Array is copied in one step). */
export type Column = number[] | Float64Array | Float32Array | Int32Array | Uint32Array
  | Int16Array | Uint16Array | Int8Array | Uint8Array;

/** A path table as columns: one row per path, rows with the same path add up. */
export interface PathTableInput {
  /** Channels joined by `sep` (default `">"`), e.g. `"search > email"`; whitespace is trimmed. */
  path: string[];
  /** Converting journeys per row (finite, >= 0). */
  conversions: Column;
  /** Non-converting journeys per row (default 0). */
  nulls?: Column | null;
  /** Total conversion value per row (default 0; must be 0 when conversions are 0). */
  value?: Column | null;
}

/** Bootstrap intervals: `true` for the defaults, or the settings. */
export interface CiOptions {
  /** Resampled tables (>= 10). Default 200. */
  replicates?: number;
  /** Two-sided percentile interval level in (0, 1). Default 0.95. */
  level?: number;
  /** ChaCha8 seed (whole number >= 0). Default 0. */
  seed?: number;
}

export interface TableOptions {
  /** Channel separator inside `path`. Default `">"`. */
  sep?: string;
}

export interface HeuristicsOptions extends TableOptions {
  /** U-shaped shares of [first, last] touch. Default [0.4, 0.4]. */
  uShaped?: [number, number];
  /** W-shaped shares of [first, key, last] touch. Default [0.3, 0.3, 0.3]. */
  wShaped?: [number, number, number];
}

export interface MarkovSpec {
  /** Touches per state, 1..=64. Default 1. */
  order?: number;
  /** `null` exact (default); `T` steps, ChannelAttribution's `max_step`; `"ca"` its default. */
  horizon?: null | number | 'ca';
  /** Whether non-converting journeys enter the chain. Default true. */
  useNulls?: boolean;
}

export interface MarkovOptions extends MarkovSpec, TableOptions {
  /** Bootstrap intervals of the credit (adds conversionsLo/Hi/StdError, valueLo/Hi/StdError). */
  ci?: boolean | CiOptions | null;
}

export interface ShapleyOptions extends TableOptions {
  /** Bootstrap intervals of the credit. Default none. */
  ci?: boolean | CiOptions | null;
}

export interface MarkovShapleyOptions {
  /** `"exact"` enumerates every coalition (up to 20 channels, default); `"sampled"` samples permutations. */
  method?: 'exact' | 'sampled';
  /** Permutations to sample (>= 2, default 1000). */
  permutations?: number;
  /** Seed (default 0): same seed, same numbers. */
  seed?: number;
}

export interface PathCsvOptions {
  /** Channel separator inside the path column. Default `">"`. */
  sep?: string;
  /** Field delimiter, one ASCII character. Default `","`. */
  delimiter?: string;
}

/** Bootstrap interval columns, present when `ci` was requested. */
export interface Intervals {
  conversionsLo?: number;
  conversionsHi?: number;
  conversionsStdError?: number;
  valueLo?: number;
  valueHi?: number;
  valueStdError?: number;
}

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

export interface MarkovRow extends Intervals {
  channel: string;
  /** 1 - P(conversion without the channel) / P(conversion). */
  removalEffect: number;
  removalEffectValue: number;
  /** Removal effects normalised to the table's total conversions. */
  conversions: number;
  value: number;
}

/** One nonzero transition of a fitted chain. */
export interface TransitionRow {
  /** `"(start)"` or the state's channels joined by `","`. */
  from: string;
  /** A channel state, `"(conversion)"` or `"(null)"`. */
  to: string;
  probability: number;
}

/** One channel's ordered-Shapley credit by touch position. */
export interface OrderedRow {
  channel: string;
  /** Credited conversions at touch position 0, 1, ... */
  conversions: number[];
  value: number[];
}

/** A fitted Markov chain (from `new Markov(spec).fit(table)`). */
export declare class FittedMarkov {
  /** Not for direct use: throws (`invalid_parameter`). */
  private constructor();
  /** Removal effects and credit, one row per channel. */
  credit(): MarkovRow[];
  /** The nonzero transitions, rows in state order. */
  transitions(): TransitionRow[];
  /** Shapley credit of the Markov game (standard errors when sampled). */
  shapley(options?: MarkovShapleyOptions | null): ShapleyRow[];
  /** Channel names, in table order. */
  readonly channels: string[];
  readonly order: number;
  /** The step cap used, or `null` for the exact answer. */
  readonly horizonSteps: number | null;
  /** Number of channel states. */
  readonly nStates: number;
  /** P(conversion) from `(start)` (within the horizon). */
  readonly conversionProbability: number;
  readonly removalEffects: number[];
  readonly removalEffectsValue: number[];
}

/** Markov-chain attribution spec. */
export declare class Markov {
  constructor(spec?: MarkovSpec | null);
  /** Builds and solves the chain. */
  fit(table: PathTableInput, options?: TableOptions | null): FittedMarkov;
}

/** One channel's credit (Shapley); standard errors also from a sampled Markov game. */
export interface ShapleyRow extends Intervals {
  channel: string;
  conversions: number;
  value: number;
}

export interface PathTableColumns {
  path: string[];
  conversions: Float64Array;
  nulls: Float64Array;
  value: Float64Array;
}

/** The stable error codes (`err.code`), the core's `ErrorKind::code`. */
export type ErrorCode = 'out_of_range' | 'non_finite' | 'not_enough_data' | 'invalid_path'
  | 'invalid_record' | 'invalid_parameter' | 'length_mismatch' | 'not_converged' | 'io' | 'internal';

/** Every error thrown by this module: the core's message, unchanged, and its code. */
export interface ChannelwiseError extends Error {
  code: ErrorCode;
}

/**
 * Loads the WebAssembly module (once). Browser: fetches `channelwise_wasm_bg.wasm` beside the
 * glue unless `source` says otherwise; Node: reads it from disk.
 */
export function init(source?: URL | string | Response | BufferSource | WebAssembly.Module): Promise<void>;
export default init;

/** Every `code` a channelwise error can carry, in the core's order. */
export declare const ERROR_CODES: readonly ErrorCode[];

/** Multi-touch attribution (the Node binding's names, without the *Async variants). */
export declare const attribution: {
  /** First/last touch, linear, U- and W-shaped credit, one row per channel. */
  heuristics(table: PathTableInput, options?: HeuristicsOptions | null): HeuristicRow[];
  /** Markov removal-effect credit, one row per channel. */
  markov(table: PathTableInput, options?: MarkovOptions | null): MarkovRow[];
  /** Shapley credit of the subset game (closed form), one row per channel. */
  shapley(table: PathTableInput, options?: ShapleyOptions | null): ShapleyRow[];
  /** Shapley credit split by touch position. */
  orderedShapley(table: PathTableInput, options?: TableOptions | null): OrderedRow[];
  /** Time-decay credit from event columns (needs timestamps), one row per channel. */
  timeDecay(touchpoints: TouchpointColumns, conversions: ConversionColumns, options?: TimeDecayOptions | null): ShapleyRow[];
  /** Reads a path CSV (header `path,conversions[,nulls][,value]`) into table columns (WASM only). */
  parsePathCsv(text: string, options?: PathCsvOptions | null): PathTableColumns;
  Markov: typeof Markov;
  FittedMarkov: typeof FittedMarkov;
};

/** The channelwise version this module was built from. */
export function version(): string;

/** Every error code this module can throw. */
export function errorCodes(): ErrorCode[];

/** Touchpoint columns (one entry per touch; `null` in an optional column means none). */
export interface TouchpointColumns {
  /** The user (or any journey key). */
  userId: string[];
  /** Unix seconds (UTC), whole numbers. */
  timestamp: Column;
  /** Channel name. */
  channel: string[];
  /** Campaign within the channel. */
  campaign?: (string | null)[] | null;
  /** Cost of the touch. */
  cost?: (number | null)[] | Column | null;
  /** Unique event id: a resent copy is dropped. */
  eventId?: (string | null)[] | null;
}

/** Conversion columns. */
export interface ConversionColumns {
  /** The user (same key as the touchpoints). */
  userId: string[];
  /** Unix seconds (UTC), whole numbers. */
  timestamp: Column;
  /** Conversion value (default: zeros). */
  value?: Column | null;
  /** Unique event id: a resent copy is dropped. */
  eventId?: (string | null)[] | null;
  /** Event kind (`'purchase'`, `'lead'`, ...); see `leadKind`. */
  type?: (string | null)[] | null;
}

/** How event logs are cut into journeys. */
export interface JourneyOptions {
  /** Seconds before a conversion in which a touch still counts (default 2 592 000, 30 days). */
  lookback?: number | null;
  /** Collapse consecutive touches of the same node at most this many seconds apart (default none). */
  sessionGap?: number | null;
  /** `'channel'` (default) or `'channel_campaign'` (nodes named `'channel | campaign'`). */
  level?: 'channel' | 'channel_campaign' | null;
  /** A conversion of this `type` is a lead: it marks the journey's key touch instead of ending it. */
  leadKind?: string | null;
}

export interface TimeDecayOptions extends JourneyOptions {
  /** Half-life in seconds (default 604 800, 7 days). */
  halfLifeSeconds?: number | null;
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

/** A path table built from events (feed it to `attribution.*`). */
export interface JourneyPathTable extends PathTableColumns {
  /** Index of the key (lead-creation) touch per row, or `null`. */
  keyTouch: (number | null)[];
  report: BuildReport;
}

/** Journeys: from event logs to path tables. */
export declare const journey: {
  /** Groups events into journeys and aggregates them to path-table columns. */
  pathTable(
    touchpoints: TouchpointColumns,
    conversions: ConversionColumns,
    options?: (JourneyOptions & TableOptions) | null,
  ): JourneyPathTable;
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
  alpha?: number | null;
}

/**
 * Classical statistics. Values must be finite (`non_finite` names `x[i]` / `y[i]`), paired
 * series equally long (`length_mismatch`), and a series too short or constant for the statistic
 * is `not_enough_data`.
 */
export declare const stats: {
  /** Pearson's product-moment correlation (`scipy.stats.pearsonr`); at least 3 pairs. */
  pearson(x: Column, y: Column): Correlation;
  /** Spearman's rank correlation (`scipy.stats.spearmanr`). */
  spearman(x: Column, y: Column): Correlation;
  /** Kendall's tau-b (`scipy.stats.kendalltau`: exact p without ties for small n). */
  kendall(x: Column, y: Column): Correlation;
  /** Correlation of `x[t + k]` with `y[t]` for `k = -maxLag..=maxLag` (R's `ccf`); `maxLag < n`. */
  crossCorrelation(x: Column, y: Column, maxLag: number): CrossCorrelation;
  /** The Mann-Kendall test for a monotone trend (`pymannkendall.original_test`); at least 3 values. */
  mannKendall(x: Column, options?: AlphaOption | null): MannKendall;
  /**
   * Theil-Sen slope of `y` against `x` (`scipy.stats.theilslopes`); `alpha` in (0, 0.5]. At most
   * 16 384 points here (`out_of_range`): it keeps every pairwise slope in wasm32's 4 GiB.
   */
  theilSen(x: Column, y: Column, options?: AlphaOption | null): TheilSen;
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
export type FitPredict = (train: Float64Array, horizon: number) => Column;

/**
 * Rolling-origin (time-series) cross-validation: fold `i` trains on
 * `y[0 .. initial + i * step]` and tests on the next `horizon` points. Each argument is at
 * least 1 (`out_of_range`).
 */
export declare class RollingOrigin {
  constructor(initial: number, horizon: number, step?: number | null);
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
  evaluate(y: Column, fitPredict: FitPredict): RollingOriginErrors;
}

/**
 * Forecast accuracy. Every metric takes `actual` first; lengths must match, values be finite,
 * and none returns NaN (MAPE at a zero actual is `invalid_record`, MASE on a flat history
 * `invalid_parameter`). Percentage metrics are fractions (0.05 is 5%).
 */
export interface ForecastMetrics {
  /** Mean absolute error. */
  mae(actual: Column, predicted: Column): number;
  /** Root mean squared error. */
  rmse(actual: Column, predicted: Column): number;
  /** Mean absolute percentage error, a fraction. */
  mape(actual: Column, predicted: Column): number;
  /** Symmetric MAPE in [0, 2]: `mean 2|a - p| / (|a| + |p|)`. */
  smape(actual: Column, predicted: Column): number;
  /** MAE over the in-sample MAE of the seasonal naive forecast of period `m` (default 1). */
  mase(actual: Column, predicted: Column, insample: Column, options?: { m?: number | null } | null): number;
  /** Fraction of actuals inside `[lower, upper]` (ends included). */
  coverage(actual: Column, lower: Column, upper: Column): number;
  /** Mean Winkler score of `1 - alpha` intervals (`alpha` in (0, 1), e.g. 0.05 for 95%). */
  winkler(actual: Column, lower: Column, upper: Column, alpha: number): number;
  RollingOrigin: typeof RollingOrigin;
}

/** Forecasting: accuracy metrics and rolling-origin evaluation. */
export declare const forecast: {
  readonly metrics: ForecastMetrics;
  RollingOrigin: typeof RollingOrigin;
};
