/**
 * An event file that `tensorboard --logdir` reads: `events.out.tfevents.<seconds>.<host>.<pid>.<n>`
 * in a directory, a `brain.Event:2` version record first, then one framed Event per write, each
 * appended and flushed at once (TensorBoard reloads files as they grow; a killed run leaves every
 * complete record readable). Writes are synchronous and small: the callers are event sinks.
 */
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import * as path from "node:path";
import { DT_FLOAT, encodeEvent, sessionEndContent, sessionStartContent, SESSION_STATUS, type EventMessage, type HParamValue, type SummaryValue } from "./proto.js";
import { tfRecord } from "./record.js";

/** The hparams plugin's summary tags (tensorboard/plugins/hparams/metadata.py). */
export const HPARAMS_TAGS = { sessionStart: "_hparams_/session_start_info", sessionEnd: "_hparams_/session_end_info" } as const;

/** A length-0 float vector: the value hparams summaries carry, as TensorBoard writes them (metadata.NULL_TENSOR). */
const NULL_TENSOR = { dtype: DT_FLOAT, tensor_shape: { dim: [{ size: 0 }] } };

let fileCounter = 0;

export class EventFileWriter {
  private fd: number | null;

  private constructor(
    readonly path: string,
    fd: number,
    private readonly clock: () => number,
  ) {
    this.fd = fd;
  }

  /** Creates `dir` (and parents) and a new event file in it. `clock` gives wall time in ms. */
  static open(dir: string, clock: () => number = Date.now): EventFileWriter {
    mkdirSync(dir, { recursive: true });
    const secs = Math.floor(clock() / 1000);
    const name = `events.out.tfevents.${String(secs).padStart(10, "0")}.${hostname().replace(/[^A-Za-z0-9._-]/g, "_")}.${process.pid}.${fileCounter++}`;
    const file = path.join(dir, name);
    const w = new EventFileWriter(file, openSync(file, "a"), clock);
    w.write({ wall_time: clock() / 1000, step: 0, file_version: "brain.Event:2" });
    return w;
  }

  private write(e: EventMessage): void {
    if (this.fd === null) return;
    writeSync(this.fd, tfRecord(encodeEvent(e)));
  }

  private summary(step: number, value: readonly SummaryValue[]): void {
    this.write({ wall_time: this.clock() / 1000, step, summary: { value } });
  }

  /** Scalars at one step (one event): TensorBoard's Scalars tab, one chart per tag. */
  scalars(step: number, values: Readonly<Record<string, number>>): void {
    const vs = Object.entries(values).filter(([, v]) => Number.isFinite(v));
    if (vs.length > 0) this.summary(step, vs.map(([tag, v]) => ({ tag, simple_value: v })));
  }

  /** A PNG image (Images tab); colorspace 4 = RGBA. */
  image(step: number, tag: string, png: Uint8Array, width: number, height: number): void {
    this.summary(step, [{ tag, image: { height, width, colorspace: 4, encoded_image_string: png } }]);
  }

  /** The hparams plugin's session start: this run's hyperparameters (HParams tab). */
  hparamsStart(hparams: Readonly<Record<string, HParamValue>>, startSecs: number): void {
    this.pluginSummary(HPARAMS_TAGS.sessionStart, sessionStartContent(hparams, startSecs));
  }

  /** The hparams plugin's session end: how the run ended. */
  hparamsEnd(status: keyof typeof SESSION_STATUS, endSecs: number): void {
    this.pluginSummary(HPARAMS_TAGS.sessionEnd, sessionEndContent(status, endSecs));
  }

  private pluginSummary(tag: string, content: Uint8Array): void {
    this.summary(0, [{ tag, tensor: NULL_TENSOR, metadata: { plugin_data: { plugin_name: "hparams", content } } }]);
  }

  close(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
  }
}
