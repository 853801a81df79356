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
