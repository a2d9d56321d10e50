/**
 * A model of Komerza's token bucket (capacity C, +R every I ms, docs/komerza-api.md §2) whose refill phase we do not
 * know, reached by requests that arrive up to `jitterMs` after we send them. It answers "may one more request go
 * now?" so that Komerza accepts every request whatever its phase (proof sketch in docs/shared-state.md §2).
 *
 * For one candidate phase φ (refills at φ + kI) the worst case over delays is the recursion
 *   on a send:          T -= 1
 *   at a refill time u: T = min(T + R, C − sends in [u − D', u])
 * (a request sent just before a refill may arrive just after it, when Komerza's bucket is full and wastes the refill).
 * A send is allowed iff every candidate phase still has T ≥ 1. Phases lie on a grid of `phaseStepMs`; a true phase
 * between grid points behaves like the next grid point with the window widened by one step: D' = jitter + step.
 *
 * Pure and synchronous: the in-memory limiter uses it directly, and src/redis/komerza-bucket-script.ts is the
 * same algorithm in Lua, line for line (a property test holds the two together).
 */

export interface PhaseBucketOptions {
  capacity: number;
  refillAmount: number;
  refillIntervalMs: number;
  /** How much later than we send it a request may reach Komerza (the spread of that delay, in ms). */
  jitterMs: number;
  /**
   * Distance between candidate phases; smaller is tighter but costs more per decision. Default 50 ms, or 1/40 of a
   * longer interval (at most 40 phases, so a state stays small and a decision cheap).
   */
  phaseStepMs?: number;
}

export interface PhaseBucketState {
  /** The time up to which refills have been applied. */
  at: number;
  /** T per candidate phase, phase j refilling at j·step + k·interval. */
  tokens: number[];
  /** Recent sends as [time, count], oldest first; only those that can still fall in a refill's window. */
  sends: Array<[number, number]>;
}

export const DEFAULT_PHASE_STEP_MS = 50;

/** The numbers the model runs on, checked once. */
export interface PhaseGeometry {
  capacity: number;
  refillAmount: number;
  intervalMs: number;
  /** D' = jitter + phase step: the window of sends that may still be in flight at a refill. */
  windowMs: number;
  stepMs: number;
  phases: number;
}

export function phaseGeometry(options: PhaseBucketOptions): PhaseGeometry {
  const { capacity, refillAmount, refillIntervalMs, jitterMs } = options;
  const stepMs = Math.min(
    options.phaseStepMs ?? Math.max(DEFAULT_PHASE_STEP_MS, Math.ceil(refillIntervalMs / 40)),
    refillIntervalMs,
  );
  if (!(capacity >= 1 && refillAmount >= 1 && refillIntervalMs >= 1)) {
    throw new RangeError('a token bucket needs capacity, refillAmount and refillIntervalMs of at least 1');
  }
  if (!(jitterMs >= 0 && stepMs >= 1)) throw new RangeError('jitterMs must be ≥ 0 and phaseStepMs ≥ 1');
  // A window as long as the interval is still safe (a refill may then lower T, so a wake-up time can come early;
  // the limiter just computes the next one), but it holds throughput back: keep the margin well under the interval.
  const windowMs = jitterMs + stepMs;
  return {
    capacity,
    refillAmount,
    intervalMs: refillIntervalMs,
    windowMs,
    stepMs,
    phases: Math.ceil(refillIntervalMs / stepMs),
  };
}

/** A bucket that has been idle for long: full whatever Komerza's phase. */
export function fullState(g: PhaseGeometry, now: number): PhaseBucketState {
  return { at: now, tokens: new Array<number>(g.phases).fill(g.capacity), sends: [] };
}

/** Sends in [from, to]. */
function sendsBetween(state: PhaseBucketState, from: number, to: number): number {
  let count = 0;
  for (const [time, n] of state.sends) if (time >= from && time <= to) count += n;
  return count;
}

/** Applies every candidate refill in (state.at, now]. A clock that went backwards is held where it was. */
export function advance(g: PhaseGeometry, state: PhaseBucketState, now: number): void {
  if (now <= state.at) return;
  const lastSend =
    state.sends.length > 0
      ? (state.sends[state.sends.length - 1]?.[0] ?? Number.NEGATIVE_INFINITY)
      : Number.NEGATIVE_INFINITY;
  for (let j = 0; j < g.phases; j++) {
    const phase = j * g.stepMs;
    const last = Math.floor((now - phase) / g.intervalMs);
    let tokens = state.tokens[j] ?? 0;
    for (let k = Math.floor((state.at - phase) / g.intervalMs) + 1; k <= last; k++) {
      const u = phase + k * g.intervalMs;
      if (u - g.windowMs > lastSend) {
        // No send can fall in this or any later window: the remaining refills just add up to the capacity.
        tokens = Math.min(g.capacity, tokens + (last - k + 1) * g.refillAmount);
        break;
      }
      tokens = Math.min(tokens + g.refillAmount, g.capacity - sendsBetween(state, u - g.windowMs, u));
    }
    state.tokens[j] = tokens;
  }
  state.at = now;
  // A send older than now − D' can fall in no future refill's window.
  state.sends = state.sends.filter(([time]) => time >= now - g.windowMs);
}

/** Tokens every candidate phase agrees on. */
export function available(state: PhaseBucketState): number {
  return Math.max(0, Math.min(...state.tokens));
}

/** Grants up to `wanted` sends at `now` (after `advance`); returns how many. */
export function take(g: PhaseGeometry, state: PhaseBucketState, now: number, wanted: number): number {
  advance(g, state, now);
  const granted = Math.max(0, Math.min(wanted, available(state)));
  if (granted > 0) record(state, now, granted);
  return granted;
}

function record(state: PhaseBucketState, now: number, count: number): void {
  for (let j = 0; j < state.tokens.length; j++) state.tokens[j] = (state.tokens[j] ?? 0) - count;
  const last = state.sends[state.sends.length - 1];
  if (last && last[0] === now) last[1] += count;
  else state.sends.push([now, count]);
}

/**
 * The earliest time ≥ now at which a send would be allowed, if nothing else is sent (after `advance`): the latest,
 * over phases, first refill that brings T to 1. While D' is shorter than the interval refills never lower T, so that
 * is exact; with a longer D' it can be early, never late, and the caller asks again then. Always > now when no token
 * is available now, so a waiter never spins.
 */
export function nextAllowedAt(g: PhaseGeometry, state: PhaseBucketState, now: number): number {
  advance(g, state, now);
  let at = now;
  for (let j = 0; j < g.phases; j++) {
    let tokens = state.tokens[j] ?? 0;
    if (tokens >= 1) continue;
    const phase = j * g.stepMs;
    let u = phase + (Math.floor((now - phase) / g.intervalMs) + 1) * g.intervalMs;
    while (tokens < 1) {
      tokens = Math.min(tokens + g.refillAmount, g.capacity - sendsBetween(state, u - g.windowMs, u));
      if (tokens < 1) u += g.intervalMs;
    }
    at = Math.max(at, u);
  }
  return at;
}

/**
 * Komerza answered 429: its bucket is empty now. No phase may then hold a token until its next refill (the request
 * that was refused is no longer in flight, so T = 0 rather than less).
 */
export function drain(g: PhaseGeometry, state: PhaseBucketState, now: number): void {
  advance(g, state, now);
  for (let j = 0; j < state.tokens.length; j++) state.tokens[j] = Math.min(state.tokens[j] ?? 0, 0);
}

/**
 * Assume `count` requests were just sent from a full bucket, on top of what is known: the safe start when the past
 * is unknown but was compliant (a lost Redis state, a switch to or from the fallback). Past compliant sends plus
 * future sends that respect this phantom burst stay compliant (docs/shared-state.md §2).
 */
export function phantomBurst(g: PhaseGeometry, state: PhaseBucketState, now: number, count: number): void {
  advance(g, state, now);
  for (let j = 0; j < state.tokens.length; j++) {
    state.tokens[j] = Math.min(state.tokens[j] ?? 0, g.capacity - count);
  }
  if (count > 0) {
    const last = state.sends[state.sends.length - 1];
    if (last && last[0] === now) last[1] += count;
    else state.sends.push([now, count]);
  }
}
