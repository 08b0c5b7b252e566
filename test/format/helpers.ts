/** Shared fixtures for the format/diff/yaml tests: every spec in specs/ plus inline ones. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const SPECS = join(import.meta.dirname, "..", "..", "specs");

/** [file name, text] of every `.fer` file in specs/ (recursively). */
export function specFiles(): [string, string][] {
  const out: [string, string][] = [];
  const walk = (dir: string): void => {
    let entries: string[] = [];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const e of entries.sort()) {
      const p = join(dir, e);
      if (e.endsWith(".fer")) out.push([p.slice(SPECS.length + 1), readFileSync(p, "utf8")]);
      else if (!e.includes(".")) walk(p);
    }
  };
  walk(SPECS);
  return out;
}

/** The reference spec from the language description. */
export const VGG_SMALL = `spec vgg-small
dataset fer2013 {
  source "data/fer2013.csv"
  input 48x48x1
  classes angry disgust fear happy sad surprise neutral
  split { train = usage "Training"; val = usage "PublicTest"; test = usage "PrivateTest" }
  clean { drop blank; drop duplicates }
}
preprocess { standardize per-image }
augment { rotate 40deg; shift 0.2 0.2; shear 0.2rad; flip horizontal }
model {
  repeat 3 with filters = [16, 32, 64] {
    conv 3x3 filters relu; batchnorm
    conv 3x3 filters relu; batchnorm
    maxpool 2x2; dropout 0.25
  }
  flatten; dense 256 relu; batchnorm; dropout 0.5
  dense 7 softmax
}
train { optimizer adam; loss categorical-crossentropy; batch 128; epochs 100
        early-stop val.loss patience 5 restore-best }
expect { params trainable 140343 non-trainable 960 total 141303; shape block1.conv1 = 46x46x16 }
`;

/** A messy but valid spelling of a small spec: odd spacing, reordered sections, comments. */
export const MESSY = `# a tiny model
model {   # layers follow
  conv   3x3  8 relu    // first
  maxpool 2x2

  flatten ; dense 7.0 softmax
  # trailing note in model
}
train { epochs 2; batch 32 ; optimizer adam lr=0.0010 }
spec   tiny
dataset fer2013 { classes angry disgust fear happy sad surprise neutral; input 48x48x1; source "data/fer2013.csv" }
# the end
`;

/** Exercises the less common syntax: synthetic data, residual, named repeat, sgd, schedule. */
export const RICH = `spec resnet-mini
dataset synth {
  source synthetic count 700 seed 3
  input 48x48x1
  classes angry disgust fear happy sad surprise neutral
  split { val = 10% of train }
  clean { drop blank threshold 2 }
}
preprocess { scale; standardize dataset }
augment { rotate 0.1rad; zoom 0.1; crop 4; erase 0.25; fill constant }
model {
  conv 3x3 16 relu same as stem
  residual project project-bn relu {
    conv 3x3 32 same stride 2; batchnorm; conv 3x3 32 same
  }
  repeat 2 as stage with f = [32, 64] {
    conv 3x3 f relu same
  }
  globalavgpool
  dense 7 softmax
}
train {
  optimizer sgd lr 0.05 momentum 0.9 nesterov
  schedule plateau patience 3
  weight-decay 5e-4
  label-smoothing 0.1
  batch 64; epochs 3; seed 7
  class-weights balanced
  early-stop val.acc patience 2
}
expect { accuracy test >= 0.5 }
`;

export const INLINE_SPECS: [string, string][] = [
  ["inline:vgg-small", VGG_SMALL],
  ["inline:messy", MESSY],
  ["inline:rich", RICH],
];
