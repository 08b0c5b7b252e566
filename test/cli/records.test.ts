/**
 * `ferc eval` / `ferc predict` / `ferc run --resume` on damaged or incomplete run records: each
 * names the file at fault, exits 2 without a stack trace, and writes nothing into the record.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { promises as fsp } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PNG } from "pngjs";
import { ferc } from "./helpers.js";

let tmp: string;
let good: string;
let face: string;
const env = (): Record<string, string> => ({ FERC_CACHE_DIR: path.join(tmp, "cache") });

/** Every file under dir with its content hash: the record's state, to compare before and after. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await fsp.readdir(dir, { recursive: true, withFileTypes: true })) {
    const full = path.join(e.parentPath, e.name);
    out[path.relative(dir, full)] = e.isFile() ? createHash("sha256").update(await fsp.readFile(full)).digest("hex") : "dir";
  }
  return out;
}

/** A one-epoch run on a little synthetic data: a complete record in a few seconds. */
const SPEC = `spec tiny
dataset synthetic-faces {
  source synthetic count 700 seed 7
  input 48x48x1
  classes angry disgust fear happy sad surprise neutral
}
preprocess { standardize per-image }
model { conv 5x5 8 relu stride 2 same; maxpool 2x2; flatten; dense 7 softmax }
train { optimizer adam; loss categorical-crossentropy; batch 64; epochs 1; seed 7 }
`;

beforeAll(async () => {
  tmp = await fsp.mkdtemp(path.join(os.tmpdir(), "ferc-records-"));
  await fsp.writeFile(path.join(tmp, "tiny.fer"), SPEC);
  const r = await ferc(["run", path.join(tmp, "tiny.fer"), "--plain", "--runs-dir", path.join(tmp, "good")], { env: env() });
  expect(r.code, r.stderr).toBe(0);
  good = path.join(tmp, "good", (await fsp.readdir(path.join(tmp, "good")))[0]!);
  const png = new PNG({ width: 48, height: 48 });
  png.data.fill(128);
  face = path.join(tmp, "face.png");
  await fsp.writeFile(face, PNG.sync.write(png));
}, 120_000);

afterAll(async () => {
  await fsp.rm(tmp, { recursive: true, force: true });
});

type Damage = (dir: string) => Promise<void>;
const rm = (rel: string): Damage => (dir) => fsp.rm(path.join(dir, rel), { recursive: true, force: true });
const write = (rel: string, text: string): Damage => (dir) => fsp.writeFile(path.join(dir, rel), text);
const truncate = (rel: string, bytes: number): Damage => (dir) => fsp.truncate(path.join(dir, rel), bytes);
const both = (f: (kind: string) => Damage): Damage => async (dir) => {
  await f("best")(dir);
  await f("last")(dir);
};

/** A marker that no error message may repeat: what a hostile record's files hold. */
const SECRET = "SECRET-CONTENT-OF-ANOTHER-FILE";
/** The file replaced by a link to a file outside the record (think /etc/shadow). */
const link = (rel: string): Damage => async (dir) => {
  const outside = path.join(tmp, `outside-${rel.replace(/\W/g, "-")}`);
  await fsp.writeFile(outside, `${SECRET}\n`);
  await fsp.rm(path.join(dir, rel), { force: true });
  await fsp.symlink(outside, path.join(dir, rel));
};
const linkDir = (rel: string): Damage => async (dir) => {
  const outside = path.join(tmp, `outside-dir-${path.basename(dir)}`);
  await fsp.cp(path.join(dir, rel), outside, { recursive: true });
  await fsp.rm(path.join(dir, rel), { recursive: true, force: true });
  await fsp.symlink(outside, path.join(dir, rel));
};
const fifo = (rel: string): Damage => async (dir) => {
  await fsp.rm(path.join(dir, rel), { force: true });
  execFileSync("mkfifo", [path.join(dir, rel)]);
};
const edit = (rel: string, f: (text: string) => string): Damage => async (dir) => fsp.writeFile(path.join(dir, rel), f(await fsp.readFile(path.join(dir, rel), "utf8")));
type Ir = { dataset: { classes: string[] }; model: { layers: { kind: string; options: Record<string, unknown> }[] } };
const editIr = (f: (ir: Ir) => void): Damage => edit("spec.ir.json", (t) => {
  const ir = JSON.parse(t) as Ir;
  f(ir);
  return JSON.stringify(ir);
});
const layerOf = (ir: Ir, kind: string) => ir.model.layers.find((l) => l.kind === kind)!;
/** The IR of the same spec with twice the filters: a valid spec, not the checkpoint's model. */
const otherIr: Damage = async (dir) => {
  const wider = path.join(tmp, "wider.fer");
  await fsp.writeFile(wider, SPEC.replace("conv 5x5 8", "conv 5x5 16"));
  const r = await ferc(["compile", wider, "--emit", "ir"]);
  await fsp.writeFile(path.join(dir, "spec.ir.json"), r.stdout);
};

// [what, damage, the file the message must name, what it must say]
const cases: [string, Damage, string, RegExp][] = [
  ["missing weights.bin", both((k) => rm(`checkpoints/${k}/weights.bin`)), "checkpoints/best/weights.bin", /is missing/],
  ["truncated weights.bin", both((k) => truncate(`checkpoints/${k}/weights.bin`, 100)), "checkpoints/best/weights.bin", /is damaged: 100 bytes.*truncated/],
  ["missing model.json", both((k) => rm(`checkpoints/${k}/model.json`)), "checkpoints/best/model.json", /is missing/],
  ["model.json that is not JSON", write("checkpoints/best/model.json", "{bad"), "checkpoints/best/model.json", /is damaged: not valid JSON/],
  ["model.json of the wrong shape", write("checkpoints/best/model.json", "{}"), "checkpoints/best/model.json", /is damaged: no modelTopology/],
  ["missing state.json", rm("checkpoints/best/state.json"), "checkpoints/best/state.json", /is missing/],
  ["missing preprocess.json", rm("preprocess.json"), "preprocess.json", /is missing/],
  ["preprocess.json of the wrong shape", write("preprocess.json", '{"version":1}'), "preprocess.json", /is damaged/],
  ["no checkpoints/", rm("checkpoints"), "checkpoints", /has no checkpoint/],
  ["spec.ir.json that is not JSON", write("spec.ir.json", "{bad"), "spec.ir.json", /is damaged: not valid JSON/],
  ["missing spec.fer", rm("spec.fer"), "spec.fer", /is missing/],
  ["run.yaml that is not YAML", write("run.yaml", "status: [\n"), "run.yaml", /is damaged: not valid YAML/],
  ["missing run.yaml", rm("run.yaml"), "run.yaml", /is missing/],
];

// Hostile records (issue 23): a link out of the record, a special file, contents never quoted,
// an IR edited past what a spec allows. eval and predict open a record through the same readers,
// so predict alone is run on these (one process each keeps the file light).
const hostile: [string, Damage, string, RegExp][] = [
  ["spec.fer a link to a file outside", link("spec.fer"), "spec.fer", /is a symbolic link; a run record's files must be regular files/],
  ["run.yaml a link to a file outside", link("run.yaml"), "run.yaml", /is a symbolic link/],
  ["checkpoints/best a link to a directory", linkDir("checkpoints/best"), "checkpoints/best", /is a symbolic link/],
  ["preprocess.json a FIFO", fifo("preprocess.json"), "preprocess.json", /is a FIFO \(named pipe\), not a regular file/],
  ["spec.ir.json that is not JSON, holding a secret", write("spec.ir.json", `${SECRET}:x:0:0`), "spec.ir.json", /is damaged: not valid JSON$/m],
  ["run.yaml that is not YAML, holding a secret", write("run.yaml", `${SECRET}: [\n`), "run.yaml", /is damaged: not valid YAML \(.* at line \d+, column \d+\)$/m],
  ["run.yaml with a secret for a key", edit("run.yaml", (t) => `${t}${SECRET}: 1\n`), "run.yaml", /not a valid run manifest: \/ must NOT have additional properties \(…\)/],
  ["spec.ir.json with a layer 30,000 filters wide", editIr((ir) => layerOf(ir, "conv").options["filters"] = 30000), "spec.ir.json", /is damaged: it does not check as a spec \(F0601 tensor too large\)$/m],
  ["spec.ir.json with 200,000 classes", editIr((ir) => (ir.dataset.classes = Array.from({ length: 200_000 }, (_, i) => `c${i}`))), "spec.ir.json", /is damaged: it lists 200,000 classes, more than a spec can/],
  ["spec.ir.json with 30,000 layers", editIr((ir) => ir.model.layers.splice(1, 0, ...Array.from({ length: 30_000 }, (_, i) => ({ kind: "dropout", name: `d${i}`, options: { rate: 0.1 } })))), "spec.ir.json", /is damaged: its model has more than 10,000 layers/],
  ["spec.ir.json with units out of range", editIr((ir) => (layerOf(ir, "dense").options["units"] = 2e9)), "spec.ir.json", /is damaged: it does not check as a spec \(F0303 output units do not match classes; F0601 tensor too large\)$/m],
  ["preprocess.json with another step than the spec's", edit("preprocess.json", (t) => JSON.stringify({ ...JSON.parse(t), steps: [{ op: "standardize", mode: "dataset" }] })), "preprocess.json", /is damaged: its steps are not the spec's preprocessing steps/],
  ["state.json with an optimizer tensor of length -1", edit("checkpoints/best/state.json", (t) => {
    const st = JSON.parse(t) as { optimizer: { tensors: { length: number }[] } };
    st.optimizer.tensors[0]!.length = -1;
    return JSON.stringify(st);
  }), "checkpoints/best/optimizer.bin", /is damaged: an optimizer tensor entry is malformed/],
  ["spec.ir.json of another, valid spec", otherIr, "checkpoints/best/model.json", /is damaged: its weights hold 8,279 parameters, the model of spec.ir.json has 16,\d{3}/],
];

async function damagedCopy(name: string, damage: Damage): Promise<string> {
  const dir = path.join(tmp, "damaged", name.replace(/\W+/g, "-"));
  await fsp.cp(good, dir, { recursive: true });
  await damage(dir);
  return dir;
}

function expectClearError(r: { code: number | null; stderr: string }, command: string, file: string, says: RegExp): void {
  expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  expect(r.stderr).not.toContain(SECRET);
  expect(r.stderr.trim().split("\n")).toHaveLength(1);
  expect(r.stderr).toContain(`ferc ${command}: ${file}`);
  expect(r.stderr).toMatch(says);
  expect(r.code).toBe(2);
}

describe("eval and predict on a damaged record", () => {
  it("the undamaged record evaluates and predicts", async () => {
    const e = await ferc(["eval", good, "--json"], { env: env() });
    expect(e.code, e.stderr).toBe(0);
    expect((JSON.parse(e.stdout) as { n: number }).n).toBeGreaterThan(0);
    const p = await ferc(["predict", good, face, "--json"], { env: env() });
    expect(p.code, p.stderr).toBe(0);
  });

  it.each(cases)("%s: names the file, exits 2, writes nothing", async (what, damage, rel, says) => {
    const dir = await damagedCopy(what, damage);
    const before = await snapshot(dir);
    expectClearError(await ferc(["eval", dir], { env: env() }), "eval", path.join(dir, rel), says);
    expectClearError(await ferc(["predict", dir, face], { env: env() }), "predict", path.join(dir, rel), says);
    expect(await snapshot(dir)).toEqual(before);
  }, 60_000);

  it.each(hostile)("%s: predict names the file, exits 2, quotes nothing, writes nothing", async (what, damage, rel, says) => {
    const dir = await damagedCopy(what, damage);
    const before = await snapshot(dir);
    expectClearError(await ferc(["predict", dir, face], { env: env() }), "predict", path.join(dir, rel), says);
    expect(await snapshot(dir)).toEqual(before);
  }, 60_000);

  it("a failed run (no checkpoint, no statistics) says it failed and why", async () => {
    const runs = path.join(tmp, "failed");
    const r = await ferc(["run", path.join(tmp, "tiny.fer"), "--plain", "--data", path.join(tmp, "no-such.csv"), "--runs-dir", runs], { env: env() });
    expect(r.code).toBe(1);
    const dir = path.join(runs, (await fsp.readdir(runs))[0]!);
    const before = await snapshot(dir);
    for (const command of ["eval", "predict"]) {
      // eval is given data (the recorded --data never existed): the record's own problem shows.
      const e = await ferc(command === "eval" ? ["eval", dir, "--data", "synthetic"] : ["predict", dir, face], { env: env() });
      expectClearError(e, command, path.join(dir, "preprocess.json"), /is missing; the run record is incomplete: the run failed \(.*no-such\.csv/);
    }
    expect(await snapshot(dir)).toEqual(before);
  }, 60_000);

  it("predict on an image that is a FIFO or a device: refused by kind, not read forever", async () => {
    const fifo = path.join(tmp, "face.fifo.png");
    execFileSync("mkfifo", [fifo]);
    for (const image of [fifo, "/dev/zero"]) {
      const r = await ferc(["predict", good, image], { env: env(), timeoutMs: 30_000 });
      expect(r.signal).toBeNull();
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`cannot read ${image}: it is a (FIFO \\(named pipe\\)|character device), not a regular file`));
    }
  }, 60_000);

  it("a path that is no run directory", async () => {
    expectClearError(await ferc(["eval", path.join(tmp, "nope")]), "eval", path.join(tmp, "nope"), /no such run directory/);
    expectClearError(await ferc(["predict", face, face]), "predict", face, /is not a run directory/);
  });
});

describe("run --resume on a record that cannot resume", () => {
  it("a completed run: says so, exits 2, writes nothing", async () => {
    const before = await snapshot(good);
    const r = await ferc(["run", "--resume", good], { env: env() });
    expectClearError(r, "run", good, /already completed \(epochs\); nothing to resume/);
    expect(await snapshot(good)).toEqual(before);
  });

  it("a damaged record: names the file", async () => {
    const dir = await damagedCopy("resume-bad-yaml", write("run.yaml", "status: [\n"));
    expectClearError(await ferc(["run", "--resume", dir], { env: env() }), "run", path.join(dir, "run.yaml"), /is damaged/);
  });
});

describe("report on a hostile record", () => {
  it.each([
    ["classes.svg", "classes.svg"],
    ["spec.fer", "spec.fer"],
    ["report.json", "report.json"],
  ])("%s a link to a file outside: refused, never embedded", async (_what, rel) => {
    const dir = await damagedCopy(`report-link-${rel}`, link(rel));
    const out = path.join(tmp, `report-${rel}.html`);
    const r = await ferc(["report", dir, "--html", "-o", out], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${path.join(dir, rel)} is a symbolic link`);
    expect(r.stderr + r.stdout).not.toContain(SECRET);
    await expect(fsp.access(out)).rejects.toThrow();
  });

  it("the undamaged record's report embeds its own class plot", async () => {
    const out = path.join(tmp, "report-good.html");
    expect((await ferc(["report", good, "--html", "-o", out], { env: env() })).code).toBe(0);
    expect(await fsp.readFile(out, "utf8")).toContain('alt="class distribution" src="data:image/svg+xml;base64,');
  });
});
