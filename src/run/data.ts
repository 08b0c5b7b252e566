/** Reading a run's data set as its request says: source override, base directory, train-image limit. */
import type { DatasetIR } from "../ir.js";
import type { LoadedDataset } from "../data/types.js";
import { loadDataset } from "../data/index.js";
import type { RunDataOptions } from "./request.js";

/** The first `limit` train images (val and test whole), or the data as it is. */
export function limitTrain(data: LoadedDataset, limit: number | undefined): LoadedDataset {
  if (limit === undefined || data.train.n <= limit) return data;
  const t = data.train;
  const per = t.height * t.width * t.channels;
  return { ...data, train: { ...t, n: limit, pixels: t.pixels.subarray(0, limit * per), labels: t.labels.subarray(0, limit) } };
}

/** A RunDeps.loadDataset for these options (src/data's loader, then the limit). */
export function datasetLoader(o: RunDataOptions): (ds: DatasetIR) => Promise<LoadedDataset> {
  return async (ds) => {
    const data = await loadDataset(ds, {
      ...(o.path !== undefined ? { dataPath: o.path } : {}),
      ...(o.baseDir !== undefined ? { baseDir: o.baseDir } : {}),
    });
    return limitTrain(data, o.limit);
  };
}
