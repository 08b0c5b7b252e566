/**
 * Trial progress from `ferc run --json` output (a child's stdout, or a Slurm task's log file):
 * JSON Lines in, one short status line per trial out. On a terminal the lines are redrawn in
 * place (one per trial); elsewhere a line is printed when a trial starts, ends an epoch or ends.
 */
export interface TrialProgress {
  phase: "waiting" | "queued" | "loading" | "training" | "testing" | "done";
  epoch?: number;
  epochs?: number;
  batch?: number;
  batches?: number;
  etaSec?: number;
  valAcc?: number;
  runDir?: string;
  status?: string;
  resumedFromEpoch?: number;
}

/** Feed one JSON line; returns true when the line was an event that changes the display. */
export function applyEventLine(p: TrialProgress, line: string): boolean {
  const t = line.trim();
  if (!t.startsWith("{")) return false;
  let e: Record<string, unknown>;
  try {
    e = JSON.parse(t) as Record<string, unknown>;
  } catch {
    return false;
  }
  const num = (k: string): number | undefined => (typeof e[k] === "number" ? (e[k] as number) : undefined);
  switch (e["type"]) {
    case "run-start":
      p.phase = "training";
      if (typeof e["runDir"] === "string") p.runDir = e["runDir"];
      p.epochs = num("epochs");
      if (num("resumedFromEpoch") !== undefined) p.resumedFromEpoch = num("resumedFromEpoch");
      return true;
    case "epoch-start":
      p.phase = "training";
      p.epoch = num("epoch");
      p.epochs = num("epochs");
      p.batch = 0;
      p.batches = num("batches");
      return true;
    case "batch":
      p.batch = num("batch");
      p.batches = num("batches");
      p.etaSec = num("etaSec");
      return false;
    case "epoch-end":
      p.epoch = num("epoch");
      if (num("valAcc") !== undefined) p.valAcc = num("valAcc");
      p.phase = "training";
      return true;
    case "test-result":
      p.phase = "testing";
      return false;
    case "done":
      p.phase = "done";
      if (typeof e["status"] === "string") p.status = e["status"];
      if (typeof e["runDir"] === "string") p.runDir = e["runDir"];
      return true;
    default:
      return false;
  }
}

export function progressText(id: string, p: TrialProgress, label: string): string {
  const head = `${id.padEnd(4)} ${label}`;
  switch (p.phase) {
    case "waiting":
      return `${head}  waiting`;
    case "queued":
      return `${head}  queued`;
    case "loading":
      return `${head}  starting`;
    case "done":
      return `${head}  ${p.status ?? "done"}${p.valAcc !== undefined ? `  val.acc ${p.valAcc.toFixed(4)}` : ""}`;
    default: {
      const ep = p.epoch !== undefined ? `epoch ${p.epoch}/${p.epochs ?? "?"}` : "starting";
      const pct = p.batch !== undefined && p.batches ? ` ${String(Math.floor((100 * p.batch) / p.batches)).padStart(3)}%` : "";
      const val = p.valAcc !== undefined ? `  val.acc ${p.valAcc.toFixed(4)}` : "";
      const eta = p.etaSec !== undefined && p.phase === "training" ? `  eta ${Math.round(p.etaSec)}s` : "";
      return `${head}  ${p.phase === "testing" ? "testing" : `${ep}${pct}`}${val}${eta}`;
    }
  }
}

export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(s: string): unknown;
}

/**
 * The per-trial lines. On a TTY the block of lines is redrawn in place (cursor up, clear line),
 * at most every `minIntervalMs`; off a TTY only `note()` lines are written.
 */
export class ProgressBoard {
  private readonly lines = new Map<string, string>();
  private drawn = 0;
  private last = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly out: ProgressStream,
    private readonly minIntervalMs = 100,
  ) {}

  get live(): boolean {
    return this.out.isTTY === true;
  }

  set(id: string, text: string): void {
    this.lines.set(id, text);
    if (!this.live) return;
    const now = Date.now();
    if (now - this.last >= this.minIntervalMs) this.draw();
    else this.timer ??= setTimeout(() => this.draw(), this.minIntervalMs);
  }

  /** A one-off line (off a TTY: state changes; on a TTY: printed above the live block). */
  note(text: string): void {
    if (!this.live) {
      this.out.write(`${text}\n`);
      return;
    }
    this.clear();
    this.out.write(`${text}\n`);
    this.draw();
  }

  draw(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.last = Date.now();
    if (!this.live) return;
    const width = Math.max(20, (this.out.columns ?? 100) - 1);
    let s = this.drawn > 0 ? `\u001b[${this.drawn}F` : "";
    for (const text of this.lines.values()) s += `\u001b[2K${text.length > width ? `${text.slice(0, width - 1)}…` : text}\n`;
    this.out.write(s);
    this.drawn = this.lines.size;
  }

  private clear(): void {
    if (this.drawn === 0) return;
    this.out.write(`\u001b[${this.drawn}F\u001b[J`);
    this.drawn = 0;
  }

  /** Final draw; the lines stay on screen. */
  close(): void {
    if (this.live) this.draw();
  }
}
