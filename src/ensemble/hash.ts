/**
 * A member's hash: sha256 over the files its predictions depend on, each framed by its name and
 * length: the spec as run (`spec.ir.json`: layers, input, views), the preprocessing statistics
 * (`preprocess.json`) and the checkpoint the ensemble uses (`model.json`, `weights.bin` or the
 * weight shards model.json lists, each framed on its own). An
 * ensemble record stores it per member and every command that uses the ensemble recomputes it, so
 * a member retrained, resumed (a new best checkpoint), edited or swapped is refused, never
 * silently averaged. Reads go through src/run/recordFiles.ts (a missing file is a RecordError).
 */
import { createHash } from "node:crypto";
import * as path from "node:path";
import { checkpointDir, checkpointWeightFiles, type CheckpointKind } from "../run/checkpoint.js";
import { FILES } from "../run/layout.js";
import { readRecordBytes, RecordError } from "../run/recordFiles.js";

/** The files hashed, as paths relative to the run directory (the checkpoint's resolved). */
async function hashedFiles(runDir: string, kind: CheckpointKind): Promise<{ name: string; file: string }[]> {
  const ck = await checkpointDir(runDir, kind);
  if (ck === null) {
    const missing = path.join(runDir, "checkpoints", kind);
    throw new RecordError(`${missing} is missing: the run has no ${kind} checkpoint`, missing);
  }
  return [
    { name: FILES.ir, file: path.join(runDir, FILES.ir) },
    { name: FILES.preprocess, file: path.join(runDir, FILES.preprocess) },
    { name: `checkpoints/${kind}/model.json`, file: path.join(ck, "model.json") },
    ...(await checkpointWeightFiles(ck)).map((n) => ({ name: `checkpoints/${kind}/${n}`, file: path.join(ck, n) })),
  ];
}

export async function memberHash(runDir: string, kind: CheckpointKind): Promise<string> {
  const h = createHash("sha256");
  for (const { name, file } of await hashedFiles(runDir, kind)) {
    const bytes = await readRecordBytes(file);
    h.update(`${name}\0${bytes.byteLength}\0`);
    h.update(bytes);
  }
  return `sha256:${h.digest("hex")}`;
}
