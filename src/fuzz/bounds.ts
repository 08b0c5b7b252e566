/**
 * What every fuzz target's oracle shares: findings collected by kind (one example each, counted),
 * a time bound per call and a memory bound on the process (its peak resident set: a bomb that
 * allocates gigabytes for a moment shows there even after the memory is freed).
 */
import type { Failure } from "./oracle.js";
import { FercError } from "../errors.js";

export interface TargetOptions {
  /** Inputs to try. */
  readonly runs: number;
  readonly seed: number;
  /** Per-call time bound, ms. */
  readonly timeLimitMs: number;
  /** Bound on the process's peak resident set, MiB. */
  readonly memoryLimitMb: number;
  /** Progress, now and then (inputs tried, distinct failures). */
  readonly onProgress?: (tried: number, failures: number) => void;
}

/** A distinct failure: its first input (shrunk by the fer target) and how many inputs failed so. */
export interface Finding extends Omit<Failure, "input"> {
  input: string;
  count: number;
}

export interface TargetReport {
  readonly target: string;
  readonly inputs: number;
  readonly failures: readonly Finding[];
  readonly slowestMs: number;
  readonly slowestWhat: string;
  readonly peakRssMb: number;
  readonly seconds: number;
  /** Per call: accepted and refused inputs. */
  readonly outcomes: Readonly<Record<string, { accepted: number; refused: number }>>;
}

/** A property that did not hold, thrown by an oracle and caught by its target. */
export class PropertyBroken extends FercError {
  readonly kind = "internal";
  constructor(
    readonly property: string,
    message: string,
  ) {
    super(message);
  }
}

export const broken = (property: string, message: string): never => {
  throw new PropertyBroken(property, message);
};

/** The process's peak resident set so far, MiB. */
export const peakRssMb = (): number => process.resourceUsage().maxRSS / 1024;

/** Findings of one target, keyed by property and the message's shape (numbers masked). */
export class Findings {
  private readonly byKey = new Map<string, Finding>();
  slowestMs = 0;
  slowestWhat = "";
  /** Per call: how often it returned and how often it refused the input (shows what was exercised). */
  readonly outcomes = new Map<string, { accepted: number; refused: number }>();

  /** Count one call's outcome. */
  outcome(what: string, accepted: boolean): void {
    const o = this.outcomes.get(what) ?? { accepted: 0, refused: 0 };
    if (accepted) o.accepted++;
    else o.refused++;
    this.outcomes.set(what, o);
  }

  record(f: Failure): void {
    const key = `${f.property}: ${f.message.split("\n")[0]!.replace(/\d+/g, "N").slice(0, 120)}`;
    const seen = this.byKey.get(key);
    if (seen) seen.count++;
    else this.byKey.set(key, { ...f, count: 1 });
  }

  get size(): number {
    return this.byKey.size;
  }

  list(): Finding[] {
    return [...this.byKey.values()];
  }

  /** Run `f` under the time bound; a throw of anything but PropertyBroken is `<what>.throws`. */
  async timed<T>(what: string, limitMs: number, f: () => Promise<T> | T): Promise<T> {
    const t0 = performance.now();
    let out: T;
    let timer: NodeJS.Timeout | undefined;
    // A call that never settles (a FIFO opened for reading blocks) fails at 5x the bound rather
    // than stalling the campaign; a synchronous loop cannot be cut short, and is caught after.
    const hang = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new PropertyBroken(`${what}.hang`, `${what} did not finish in ${5 * limitMs} ms`)), 5 * limitMs);
    });
    try {
      out = await Promise.race([Promise.resolve().then(f), hang]);
    } catch (err) {
      if (err instanceof PropertyBroken) throw err;
      const e = err instanceof Error ? `${err.name}: ${err.message}\n${(err.stack ?? "").split("\n").slice(1, 6).join("\n")}` : String(err);
      return broken(`${what}.throws`, e);
    } finally {
      clearTimeout(timer);
    }
    const ms = performance.now() - t0;
    if (ms > this.slowestMs) {
      this.slowestMs = ms;
      this.slowestWhat = what;
    }
    if (ms > limitMs) broken(`${what}.time`, `${what} took ${ms.toFixed(0)} ms (limit ${limitMs} ms)`);
    return out;
  }

  /** After an input: the process's peak memory is still under the bound. */
  memory(limitMb: number, what: string): void {
    const peak = peakRssMb();
    if (peak > limitMb) broken(`${what}.memory`, `peak resident set ${peak.toFixed(0)} MiB (limit ${limitMb} MiB)`);
  }

  report(target: string, inputs: number, seconds: number): TargetReport {
    return { target, inputs, failures: this.list(), slowestMs: this.slowestMs, slowestWhat: this.slowestWhat, peakRssMb: peakRssMb(), seconds, outcomes: Object.fromEntries(this.outcomes) };
  }
}

/**
 * Run `examine` on each of `runs` inputs; failures are recorded with their input's description.
 * A memory failure ends the target (the peak does not come down again).
 */
export async function campaign<I>(
  target: string,
  opts: TargetOptions,
  findings: Findings,
  next: (i: number) => I | Promise<I>,
  examine: (input: I) => Promise<void>,
  describe: (input: I) => string,
): Promise<TargetReport> {
  const t0 = performance.now();
  let tried = 0;
  for (let i = 0; i < opts.runs; i++) {
    const input = await next(i);
    tried++;
    try {
      await examine(input);
      findings.memory(opts.memoryLimitMb, target);
    } catch (err) {
      const f = err instanceof PropertyBroken ? err : new PropertyBroken(`${target}.oracle`, err instanceof Error ? (err.stack ?? err.message) : String(err));
      findings.record({ property: f.property, message: f.message, input: describe(input) });
      if (f.property.endsWith(".memory")) break;
    }
    if (i % 200 === 0) opts.onProgress?.(tried, findings.size);
  }
  opts.onProgress?.(tried, findings.size);
  return findings.report(target, tried, (performance.now() - t0) / 1000);
}
