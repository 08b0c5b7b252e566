/**
 * The live training dashboard for a TTY (Ink): spec and backend, data counts and cleaning,
 * augmentation, epoch/batch progress with ETA and img/s, per-epoch table, text curves, early
 * stopping state, and at the end the test results with per-class metrics and confusion matrix.
 * `Dashboard` is a pure view of `DashboardState`; `LiveDashboard` binds it to a store.
 */
import { useSyncExternalStore } from "react";
import { Box, Text } from "ink";
import { distillText, type EvalResult } from "../train/events.js";
import type { DashboardState, DashboardStore } from "./state.js";
import { backendLabel, bar, duration, fixed, flatReason, lrText, pct, sparkline, table } from "./format.js";
import { doneSummary, summaryColor } from "./summary.js";

const BAR = 28;
/** Most recent epochs shown in the table; older ones stay in metrics.jsonl. */
const TABLE_ROWS = 8;

function Header({ s }: { s: DashboardState }) {
  const st = s.start;
  if (!st) return <Text dimColor>ferc: {s.phase ?? "waiting for the run to start"}…</Text>;
  const c = st.cleaning;
  const cleaned = [`${c.blank} blank`, `${c.duplicates} duplicate${c.duplicates === 1 ? "" : "s"}`, ...Object.entries(c.other ?? {}).map(([k, v]) => `${v} ${k}`)];
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold color="cyan">ferc</Text> spec <Text bold>{st.spec}</Text>  backend <Text bold>{backendLabel(st.backend, st.kernels)}</Text>
        {st.backendReason ? <Text dimColor> ({flatReason(st.backendReason)})</Text> : null}
        {st.params !== undefined ? <Text dimColor>  {st.params.toLocaleString("en-US")} params</Text> : null}
      </Text>
      <Text>
        data  train {st.counts.train} · val {st.counts.val} · test {st.counts.test}   cleaning dropped {cleaned.join(", ")}   augment{" "}
        <Text color={st.augment ? "green" : "gray"}>{st.augment ? "on" : "off"}</Text>
      </Text>
      {st.distill ? <Text>distill  {distillText(st.distill)}</Text> : null}
      {st.runDir ? <Text dimColor>run   {st.runDir}{st.resumedFromEpoch !== undefined ? `  (resumed after epoch ${st.resumedFromEpoch})` : ""}</Text> : null}
    </Box>
  );
}

function Progress({ s }: { s: DashboardState }) {
  if (!s.start || s.done) return null;
  const epochFrac = s.epochs ? (Math.max(0, s.epoch - 1) + (s.batch && s.batches ? s.batch.batch / s.batches : 0)) / s.epochs : 0;
  const b = s.batch;
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text>
        epoch {String(s.epoch).padStart(String(s.epochs).length)}/{s.epochs} {bar(epochFrac, BAR)} {pct(epochFrac, 0)}
        {b ? `  ETA ${duration(b.etaSec)}` : ""}
      </Text>
      <Text>
        batch {b ? `${String(b.batch).padStart(String(s.batches).length)}/${s.batches}` : `0/${s.batches}`} {bar(b && s.batches ? b.batch / s.batches : 0, BAR)}{" "}
        {b ? `${Math.round(b.imagesPerSec)} img/s  loss ${fixed(b.loss)}  acc ${pct(b.acc)}` : ""}
        {s.lr !== null ? `  lr ${lrText(s.lr)}` : ""}
      </Text>
      {s.phase ? <Text dimColor>{s.phase}…</Text> : null}
    </Box>
  );
}

function EpochTable({ s }: { s: DashboardState }) {
  if (s.history.length === 0) return null;
  const rows = s.history.slice(-TABLE_ROWS).map((h) => [
    `${h.epoch}${h.epoch === h.bestEpoch ? " *" : ""}`,
    fixed(h.loss),
    pct(h.acc),
    fixed(h.valLoss),
    pct(h.valAcc),
    lrText(h.lr),
    duration(h.timeMs / 1000),
  ]);
  const lines = table(["epoch", "loss", "acc", "val loss", "val acc", "lr", "time"], rows);
  const hidden = s.history.length - rows.length;
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text bold>{lines[0]}</Text>
      {hidden > 0 ? <Text dimColor>… {hidden} earlier epoch{hidden === 1 ? "" : "s"}</Text> : null}
      {lines.slice(1).map((l, i) => (
        <Text key={i}>{l}</Text>
      ))}
    </Box>
  );
}

function Curves({ s }: { s: DashboardState }) {
  if (s.history.length < 2) return null;
  const series: [string, number[], (v: number) => string][] = [
    ["loss", s.history.map((h) => h.loss), (v) => fixed(v, 3)],
    ["val loss", s.history.flatMap((h) => (h.valLoss === undefined ? [] : [h.valLoss])), (v) => fixed(v, 3)],
    ["acc", s.history.map((h) => h.acc), (v) => pct(v)],
    ["val acc", s.history.flatMap((h) => (h.valAcc === undefined ? [] : [h.valAcc])), (v) => pct(v)],
  ];
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text bold>curves</Text>
      {series
        .filter(([, v]) => v.length > 1)
        .map(([name, v, fmt]) => (
          <Text key={name}>
            {name.padEnd(9)} <Text color={name.includes("acc") ? "green" : "yellow"}>{sparkline(v.slice(-60))}</Text>  {fmt(v[0]!)} → {fmt(v[v.length - 1]!)}
          </Text>
        ))}
    </Box>
  );
}

function EarlyStopLine({ s }: { s: DashboardState }) {
  const last = s.history.at(-1);
  if (!last) return null;
  return (
    <Box marginTop={1}>
      <Text>
        best epoch <Text bold>{last.bestEpoch || "—"}</Text> by {last.monitor}
        {last.patienceLeft !== undefined ? `  patience left ${last.patienceLeft}` : "  (early stopping off)"}
        {s.earlyStop ? (
          <Text color="magenta">
            {"  "}early stop at epoch {s.earlyStop.epoch}
            {s.earlyStop.restoredBest ? `, restored epoch ${s.earlyStop.bestEpoch}` : ""}
          </Text>
        ) : null}
      </Text>
    </Box>
  );
}

export function TestResults({ t }: { t: EvalResult }) {
  const perClass = table(
    ["class", "precision", "recall", "F1", "support"],
    [...t.perClass.map((c) => [c.name, c.precision.toFixed(3), c.recall.toFixed(3), c.f1.toFixed(3), String(c.support)]), ["macro avg", "", "", t.macroF1.toFixed(3), String(t.n)]],
  );
  const short = (n: string) => n.slice(0, 8);
  const cm = table(["true\\pred", ...t.classes.map(short)], t.confusion.map((row, i) => [short(t.classes[i]!), ...row.map(String)]));
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text>
        <Text bold>test</Text> accuracy <Text bold color="green">{pct(t.acc, 2)}</Text>  loss {fixed(t.loss)}  macro F1 {t.macroF1.toFixed(3)}  (n={t.n})
      </Text>
      {/* Stacked, not side by side: 7 classes already fill an 80-column terminal. */}
      <Box flexDirection="column" marginTop={1}>
        <Box flexDirection="column" marginBottom={1}>
          {perClass.map((l, i) => (
            <Text key={i} bold={i === 0}>{l}</Text>
          ))}
        </Box>
        <Box flexDirection="column">
          {cm.map((l, i) => (
            <Text key={i} bold={i === 0}>{l}</Text>
          ))}
        </Box>
      </Box>
    </Box>
  );
}

/** `summary` false: the live dashboard prints the done line after Ink exits (see sink.ts). */
function Status({ s, summary }: { s: DashboardState; summary: boolean }) {
  return (
    <Box flexDirection="column">
      {s.nan ? <Text color="red">✗ {s.nan}</Text> : null}
      {s.interrupted && !s.done ? <Text color="yellow">stopping: finishing the batch and saving a checkpoint…</Text> : null}
      {s.done && summary ? <Text color={summaryColor(s.done)}>{doneSummary(s.done)}</Text> : null}
    </Box>
  );
}

export function Dashboard({ state, summary = true }: { state: DashboardState; summary?: boolean }) {
  return (
    <Box flexDirection="column">
      <Header s={state} />
      <Progress s={state} />
      <EpochTable s={state} />
      <Curves s={state} />
      <EarlyStopLine s={state} />
      {state.test ? <TestResults t={state.test} /> : null}
      <Box marginTop={1}>
        <Status s={state} summary={summary} />
      </Box>
    </Box>
  );
}

export function LiveDashboard({ store, summary = true }: { store: DashboardStore; summary?: boolean }) {
  const state = useSyncExternalStore(store.subscribe, store.getState, store.getState);
  return <Dashboard state={state} summary={summary} />;
}
