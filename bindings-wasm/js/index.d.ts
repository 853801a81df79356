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
  | 'invalid_record' | 'invalid_parameter' | 'length_mismatch' | 'not_converged' | 'io' | 'internal'
  | 'cancelled';

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

// ---------------------------------------------------------------------------------------------
// ETS

/** Options of one ETS model with fixed components. */
export interface EtsOptions {
  /** Error component: `'A'` additive (default) or `'M'` multiplicative (needs positive data). */
  error?: 'A' | 'M' | null;
  /** Trend: `'N'` none (default) or `'A'` additive. */
  trend?: 'N' | 'A' | null;
  /** Damp the additive trend (needs `trend: 'A'`). Default false. */
  damped?: boolean | null;
  /** Season: `'N'` none (default), `'A'` additive, `'M'` multiplicative. */
  season?: 'N' | 'A' | 'M' | null;
  /** Observations per season (>= 1; 1 non-seasonal, the default; > 24 keeps the initial seasonal states fixed). */
  seasonLength?: number | null;
  /** Seed of simulated prediction intervals (whole number >= 0). Default 0. */
  seed?: number | null;
}

/** Options of automatic ETS (R's `ets`, statsforecast's `AutoETS`). */
export interface AutoEtsOptions {
  /** Observations per season. Default 1 (non-seasonal). */
  seasonLength?: number | null;
  /** Error, trend, season letters; `Z` chooses: error `A M Z`, trend `N A Z`, season `N A M Z`. Default `'ZZZ'`. */
  model?: string | null;
  /** `null` tries damped and undamped trends (default); `true` / `false` forces. */
  damped?: boolean | null;
  /** Exclude additive error with multiplicative season. Default true. */
  restrict?: boolean | null;
  /** Criterion minimised. Default `'aicc'`. */
  ic?: 'aic' | 'aicc' | 'bic' | null;
  /** Seed of simulated prediction intervals. Default 0. */
  seed?: number | null;
}

/** Smoothing parameters and initial states; `null` where the model has no such component. */
export interface EtsParams {
  alpha: number;
  beta: number | null;
  gamma: number | null;
  phi: number | null;
  initialLevel: number;
  initialTrend: number | null;
  /** Initial seasonal states in time order (`initialSeasonal[k]` applies to `y[k]`). */
  initialSeasonal: Float64Array | null;
}

/** A prediction interval at one level, per step. */
export interface PredictionInterval {
  /** Level in percent (e.g. 95). */
  level: number;
  lower: Float64Array;
  upper: Float64Array;
}

/** Point forecasts and prediction intervals. */
export interface EtsForecast {
  /** Point forecasts, `h` values. */
  mean: Float64Array;
  /** One interval per level, in the order asked. */
  intervals: PredictionInterval[];
  /** Whether the intervals come from 5000 simulated paths rather than an analytic variance. */
  simulated: boolean;
}

export interface PredictOptions {
  /** Interval level(s) in percent, each in (0, 100). Default [80, 95]. At most 64. */
  level?: number | number[] | Float64Array | null;
}

export interface LevelOptions {
  /** Interval level in percent, in (0, 100). Default 95. */
  level?: number | null;
}

/** An actual outside its prediction interval, with the reason. */
export interface ResidualAlert {
  /** Position in the series. */
  index: number;
  actual: number;
  expected: number;
  lower: number;
  upper: number;
  /** Interval level in percent. */
  level: number;
  /** Standardised residual, `(actual - expected) / sd` with `sd` implied by the crossed side (signed Infinity for a zero-width side). */
  score: number;
  direction: 'above' | 'below';
  /** E.g. `observed 310.0 is above the 95% interval [240.1, 290.3] around 265.2 (z = 3.5)`. */
  reason: string;
}

/**
 * A fitted ETS model (from `new Ets(options).fit(y)` or `new AutoEts(options).fit(y)`).
 *
 * ```js
 * const fit = new forecast.AutoEts({ seasonLength: 12 }).fit(y);
 * fit.model;                                      // 'ETS(M,Ad,M)'
 * const f = fit.predict(12, { level: [80, 95] }); // f.mean, f.intervals[1].upper
 * fit.alerts({ level: 99 });                      // in-sample points outside the 99% interval
 * ```
 */
export declare class FittedEts {
  /** Not for direct use: throws (`invalid_parameter`). */
  private constructor();
  /** The model's name, e.g. `'ETS(M,Ad,M)'`. */
  readonly model: string;
  readonly aic: number;
  /** Small-sample corrected AIC (Infinity when n <= nParams + 1). */
  readonly aicc: number;
  readonly bic: number;
  /** Log-likelihood (R / statsforecast convention). */
  readonly logLik: number;
  /** Innovation variance, SSE / (n - nParams - 1). */
  readonly sigma2: number;
  /** Parameters counted in the criteria (smoothing, initial states, variance). */
  readonly nParams: number;
  /** The season length used (1 for a non-seasonal model). */
  readonly seasonLength: number;
  /** Whether the initial seasonal states were kept at the heuristic (season length > 24). */
  readonly seasonalStatesFixed: boolean;
  /** A copy of the parameters. */
  readonly params: EtsParams;
  /** One-step-ahead in-sample forecasts. */
  readonly fitted: Float64Array;
  /** `y - fitted`. */
  readonly residuals: Float64Array;
  /** Innovations: `y - fitted`, or `(y - fitted) / fitted` for a multiplicative error. */
  readonly innovations: Float64Array;
  /**
   * Forecasts `h` steps (0..=4096, `out_of_range` above) with intervals at each level;
   * a level outside (0, 100) is `out_of_range` naming `levels[i]`.
   */
  predict(h: number, options?: PredictOptions | null): EtsForecast;
  /** In-sample points outside the one-step-ahead interval at `level` (default 95). */
  alerts(options?: LevelOptions | null): ResidualAlert[];
  /** One line: model, smoothing parameters, AICc and sigma2. */
  summary(): string;
  toString(): string;
}

/**
 * One ETS model with fixed components, fitted by maximum likelihood. Fitting reports
 * `non_finite` (`y[i]`), `invalid_record` (a `y[i] <= 0` with a multiplicative component),
 * `not_enough_data` (fewer than 4 values, or too few for the parameters), `invalid_parameter`
 * (a season with `seasonLength` 1), `out_of_range` (`seasonLength` 0).
 */
export declare class Ets {
  /** Checks the options (`invalid_parameter` for an unknown key or a bad letter). */
  constructor(options?: EtsOptions | null);
  fit(y: Column): FittedEts;
}

/** Automatic ETS: fits every admissible candidate, keeps the lowest information criterion. */
export declare class AutoEts {
  /** Checks the options (the model string is checked by `fit`). */
  constructor(options?: AutoEtsOptions | null);
  fit(y: Column): FittedEts;
}

// ---------------------------------------------------------------------------------------------
// Decomposition

/** STL parameters shared by `stl` and `mstl` (statsmodels' names in camelCase). */
export interface StlCommonOptions {
  /** Trend LOESS window: odd, >= 3, > period. Default: smallest odd >= 1.5 period / (1 - 1.5 / seasonal). */
  trend?: number | null;
  /** Low-pass window: odd, >= 3, > period. Default: smallest odd > period. */
  lowPass?: number | null;
  /** Degrees of the LOESS fits, 0 or 1. Default 1. */
  seasonalDeg?: number | null;
  trendDeg?: number | null;
  lowPassDeg?: number | null;
  /** Robust fitting (sets the default iteration counts). Default false. */
  robust?: boolean | null;
  /** Fit a LOESS every `jump` points (>= 1). Default 1. */
  seasonalJump?: number | null;
  trendJump?: number | null;
  lowPassJump?: number | null;
  /** Inner-loop passes (>= 1). Default 2 if robust, else 5. */
  innerIter?: number | null;
  /** Robustness passes (>= 0). Default 15 if robust, else 0. */
  outerIter?: number | null;
}

export interface StlOptions extends StlCommonOptions {
  /** Seasonal cycle length (>= 2; the series needs 2 periods). Required. */
  period: number;
  /** Seasonal LOESS window: odd, >= 3. Default 7. */
  seasonal?: number | null;
}

/** STL: `y = trend + seasonal + resid`. */
export interface StlDecomposition {
  trend: Float64Array;
  seasonal: Float64Array;
  resid: Float64Array;
  /** Robustness weights (all 1 without outer iterations). */
  weights: Float64Array;
  /** `max(0, 1 - Var(resid) / Var(seasonal + resid))`. */
  seasonalStrength: number;
  /** `max(0, 1 - Var(resid) / Var(trend + resid))`. */
  trendStrength: number;
}

export interface MstlOptions extends StlCommonOptions {
  /** Seasonal periods, each >= 2 and < n / 2. Required. */
  periods: number[];
  /** Seasonal window per period, in the order given. Default 11, 15, ... */
  windows?: number[] | null;
  /** Passes over the seasonal components (>= 1). Default 2. */
  iterate?: number | null;
  /** Box-Cox lambda applied first (`ln y` at 0; needs y > 0). Default none. */
  lmbda?: number | null;
}

/** MSTL: `observed = trend + sum(seasonal) + resid`. */
export interface MstlDecomposition {
  /** Periods, ascending (the order of `seasonal`). */
  periods: number[];
  /** Window used per period. */
  windows: number[];
  /** The series decomposed (Box-Cox transformed when `lmbda` is set). */
  observed: Float64Array;
  trend: Float64Array;
  /** One component per period. */
  seasonal: Float64Array[];
  resid: Float64Array;
  weights: Float64Array;
  /** Seasonal strength of each component, in the order of `periods`. */
  seasonalStrengths: number[];
  trendStrength: number;
}

/** Forecasting: ETS, decomposition, accuracy metrics and rolling-origin evaluation. */
export declare const forecast: {
  Ets: typeof Ets;
  AutoEts: typeof AutoEts;
  FittedEts: typeof FittedEts;
  /**
   * STL decomposition (statsmodels 0.15's `STL`). Errors: `out_of_range` (period < 2, window
   * < 3, degree > 1, jump 0), `invalid_parameter` (even window, window not above period),
   * `not_enough_data` (fewer than 2 periods), `non_finite` (`y[i]`).
   */
  stl(y: Column, options: StlOptions): StlDecomposition;
  /** MSTL decomposition (statsmodels 0.15's `MSTL`); `period`/`seasonal` are not options here. */
  mstl(y: Column, options: MstlOptions): MstlDecomposition;
  /** `max(0, 1 - Var(resid) / Var(seasonal + resid))`. */
  seasonalStrength(seasonal: Column, resid: Column): number;
  /** `max(0, 1 - Var(resid) / Var(trend + resid))`. */
  trendStrength(trend: Column, resid: Column): number;
  readonly metrics: ForecastMetrics;
  RollingOrigin: typeof RollingOrigin;
};

// ---------------------------------------------------------------------------------------------
// Anomaly detection

/** A matrix: `number[][]` rows, or a flat row-major column with `nFeatures` columns. */
export type Matrix = number[][] | Column;

/** Isolation forest parameters (scikit-learn's). */
export interface IsolationForestOptions {
  /** Trees, 1..=10000. Default 100. */
  nEstimators?: number | null;
  /** Rows per tree: `'auto'` (min(256, n), default), a whole count (clipped to n), or `{ fraction }` in (0, 1]. */
  maxSamples?: 'auto' | number | { fraction: number } | null;
  /** `'auto'` (offset -0.5, default) or the expected outlier fraction in (0, 0.5]. */
  contamination?: 'auto' | number | null;
  /** Features per tree: a fraction in (0, 1] (default 1.0) or `{ count }`. */
  maxFeatures?: number | { count: number } | null;
  /** Draw rows with replacement. Default false. */
  bootstrap?: boolean | null;
  /** Seed (whole number >= 0). Default 0. */
  seed?: number | null;
}

/** A fitted isolation forest. */
export declare class FittedIsolationForest {
  /** Not for direct use: throws (`invalid_parameter`). */
  private constructor();
  /** scikit-learn's `score_samples`: in [-1, 0], lower is more abnormal. `length_mismatch` for another feature count. */
  scoreSamples(x: Matrix, nFeatures?: number | null): Float64Array;
  /** `scoreSamples - offset`: negative for outliers. */
  decisionFunction(x: Matrix, nFeatures?: number | null): Float64Array;
  /** `1` inlier, `-1` outlier. */
  predict(x: Matrix, nFeatures?: number | null): Int8Array;
  /** Threshold on the scores: -0.5 for contamination 'auto', else that percentile of the training scores. */
  readonly offset: number;
  readonly nFeatures: number;
  readonly nEstimators: number;
  /** Rows each tree was grown from, resolved. */
  readonly maxSamples: number;
  /** Features each tree could split on, resolved. */
  readonly maxFeatures: number;
  /** Depth limit of the trees. */
  readonly maxDepth: number;
}

/**
 * Isolation forest (Liu, Ting & Zhou 2008) with scikit-learn's parameters and score sign.
 *
 * ```js
 * const model = new anomaly.IsolationForest({ contamination: 0.05, seed: 1 }).fit(rows);
 * model.predict(rows); // Int8Array of 1 / -1
 * ```
 */
export declare class IsolationForest {
  constructor(options?: IsolationForestOptions | null);
  /** Grows the forest: `not_enough_data` without rows, `non_finite` naming `x[row r, column c]`. */
  fit(x: Matrix, nFeatures?: number | null): FittedIsolationForest;
}

/** Robust z-scores against the median and the normal-consistent MAD. */
export interface MadOutliers {
  median: number;
  /** Normal-consistent MAD (may be 0). */
  mad: number;
  /** The scale the scores divide by (a fallback when `mad` is 0; 0 for a constant series). */
  scale: number;
  scores: Float64Array;
  /** Indices with `|score| > threshold`, ascending. */
  outliers: number[];
  nOutliers: number;
}

/** The Hampel filter's output. */
export interface HampelResult {
  /** The series with every outlier replaced by its window median. */
  filtered: Float64Array;
  outliers: number[];
  nOutliers: number;
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
  /** The centre at the step that removed it (plus season and median for the seasonal test). */
  expected: number;
  /** The test statistic R of that step. */
  score: number;
  /** The 0-based ESD step that removed it. */
  step: number;
}

/** A generalized ESD test. */
export interface EsdResult {
  /** By ascending index. */
  anomalies: EsdAnomaly[];
  indices: number[];
  nAnomalies: number;
  /** R_i of each step run. */
  statistics: Float64Array;
  /** lambda_i of each step run. */
  criticalValues: Float64Array;
  /** Index removed at each step (anomalous or not). */
  removed: number[];
}

/** The seasonal hybrid ESD: the ESD on `x - seasonal - median`. */
export interface SeasonalEsdResult extends EsdResult {
  seasonal: Float64Array;
  median: number;
  resid: Float64Array;
}

export interface EsdOptions {
  /** Largest anomalous share, in (0, 0.5]. Default 0.1. */
  maxAnoms?: number | null;
  /** Significance level, in (0, 1). Default 0.05. */
  alpha?: number | null;
  /** `'pos'`, `'neg'` or `'both'` (default). */
  direction?: 'pos' | 'neg' | 'both' | null;
}

export interface SeasonalEsdOptions extends EsdOptions {
  /** Seasonal cycle (>= 2; the series needs 2 cycles). Required. */
  period: number;
}

/** Series for residual alerts, all equally long; `expected[i]` must lie in its interval. */
export interface ResidualSeries {
  actual: Column;
  expected: Column;
  lower: Column;
  upper: Column;
}

/** Anomaly detection. Series are `number[] | Float64Array`; values must be finite (`non_finite`). */
export declare const anomaly: {
  IsolationForest: typeof IsolationForest;
  FittedIsolationForest: typeof FittedIsolationForest;
  /** `c(n)`, the average path length of an unsuccessful BST search (scikit-learn's). */
  averagePathLength(n: number): number;
  /** Normal-consistent MAD, `median |x - median| / 0.6745`; `not_enough_data` when empty. */
  mad(x: Column): number;
  /** Robust z-score outliers, `|z| > threshold` (default 3.5, finite and >= 0). */
  madOutliers(x: Column, options?: { threshold?: number | null } | null): MadOutliers;
  /** Hampel filter: window `2 halfWindow + 1` (default 3, >= 1), threshold `nSigmas` (default 3). */
  hampel(x: Column, options?: { halfWindow?: number | null; nSigmas?: number | null } | null): HampelResult;
  /** Generalized ESD test (Rosner 1983); at least 3 values. */
  esd(x: Column, options?: EsdOptions | null): EsdResult;
  /** Seasonal hybrid ESD (Twitter's AnomalyDetection). */
  seasonalEsd(x: Column, options: SeasonalEsdOptions): SeasonalEsdResult;
  /** Actuals outside `[lower, upper]`, in index order, each with the reason. */
  residualAlerts(series: ResidualSeries, options?: LevelOptions | null): ResidualAlert[];
};
