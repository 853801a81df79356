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
  /** Reads a path CSV (header `path,conversions[,nulls][,value]`) into table columns (WASM only). */
  parsePathCsv(text: string, options?: PathCsvOptions | null): PathTableColumns;
  Markov: typeof Markov;
  FittedMarkov: typeof FittedMarkov;
};

/** The channelwise version this module was built from. */
export function version(): string;

/** Every error code this module can throw. */
export function errorCodes(): ErrorCode[];
