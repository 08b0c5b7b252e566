/**
 * The reference net, vgg-small, built by hand with tfjs-layers. Stand-in until ferc's spec
 * compiler produces the same model from specs/vgg-small.fer. 141,303 parameters.
 */
import * as tfl from "@tensorflow/tfjs-layers";

export const INPUT_SHAPE = [48, 48, 1] as const;
export const NUM_CLASSES = 7;

/** 3 × [conv3x3 relu → BN → conv3x3 relu → BN → maxpool2 → dropout .25], dense 256, dense 7. */
export function buildVggSmall(seed = 1): tfl.LayersModel {
  const model = tfl.sequential({ name: "vgg_small" });
  let first = true;
  let s = seed;
  const init = () => tfl.initializers.glorotUniform({ seed: s++ });
  for (const filters of [16, 32, 64]) {
    for (let i = 0; i < 2; i++) {
      model.add(
        tfl.layers.conv2d({
          ...(first ? { inputShape: [...INPUT_SHAPE] } : {}),
          filters,
          kernelSize: 3,
          padding: "valid",
          activation: "relu",
          kernelInitializer: init(),
        }),
      );
      first = false;
      model.add(tfl.layers.batchNormalization());
    }
    model.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
    model.add(tfl.layers.dropout({ rate: 0.25, seed: s++ }));
  }
  model.add(tfl.layers.flatten());
  model.add(tfl.layers.dense({ units: 256, activation: "relu", kernelInitializer: init() }));
  model.add(tfl.layers.batchNormalization());
  model.add(tfl.layers.dropout({ rate: 0.5, seed: s++ }));
  model.add(tfl.layers.dense({ units: NUM_CLASSES, activation: "softmax", kernelInitializer: init() }));
  return model;
}
