#!/usr/bin/env node
// Builds the self-contained GPU check bundle under .gpu-check/ (git-ignored), for a machine that
// has a GPU but no Node, no network and at most 64 MiB of files brought along:
//   ferc.tar.xz  ferc bundled by esbuild (the CLI, the bench, the check), dawn.node, the
//                tfjs-backend-wasm binaries, ferc's native addon, specs, schema, the PyTorch twin
//   node.xz      this machine's Node binary, stripped and xz-compressed
//   debs/        the Vulkan loader (libvulkan1) and GL dispatch packages, unpacked there by run.sh
//   run.sh       the one command to run there: `bash .gpu-check/run.sh`
// Needs dist/ (tsc) first: `npm run gpu:check` does both, then runs the check here.
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const out = join(root, ".gpu-check");
const LIMIT = 64 * 2 ** 20;
const DEBS = ["libvulkan1", "libegl1", "libglvnd0", "libopengl0", "libgl1", "libglx0", "libgles2"];
const log = (m) => process.stdout.write(`gpu-check build: ${m}\n`);
const mib = (b) => `${(b / 2 ** 20).toFixed(1)} MiB`;

function sizeOf(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.size;
  return readdirSync(path).reduce((n, f) => n + sizeOf(join(path, f)), 0);
}

if (!existsSync(join(root, "dist", "tools", "gpuCheck.js"))) {
  console.error("gpu-check build: dist/ is missing or stale: run `npx tsc -p tsconfig.json` (npm run gpu:check does)");
  process.exit(2);
}
mkdirSync(out, { recursive: true });
const stage = join(tmpdir(), `ferc-gpu-check-${process.pid}`);
const ferc = join(stage, "ferc");
rmSync(stage, { recursive: true, force: true });
mkdirSync(ferc, { recursive: true });

// 1. ferc, bundled: one copy of tfjs per entry point (every package resolved through its Node
// "main"), each entry at its place under dist/, so that import.meta.url-relative paths
// (../../native, ../../specs, ../../schema) land inside the bundle as they do in the repo. No code
// splitting: a dynamically imported CommonJS package (tfjs) split into its own chunk keeps only a
// default export, where ferc's code reads named ones. The copies cost little once xz has them.
const entries = ["cli/main.js", "bench/measure.js", "bench/profile.js", "tools/gpuCheck.js"].map((e) => join(root, "dist", e));
const result = await build({
  entryPoints: entries,
  outbase: join(root, "dist"),
  outdir: join(ferc, "dist"),
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  mainFields: ["main", "module"],
  minify: false,
  metafile: true,
  // Not in the bundle: packages ferc probes at run time (absent there), and ink's devtools, which
  // ink loads only under DEV=true but which a bundle would import at start: an empty stub.
  external: ["@tensorflow/tfjs-node", "@tensorflow/tfjs-node-gpu", "onnxruntime-node", "playwright-core"],
  plugins: [
    {
      name: "stub-devtools",
      setup(b) {
        b.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: "react-devtools-core", namespace: "stub" }));
        b.onLoad({ filter: /.*/, namespace: "stub" }, () => ({ contents: "export default { initialize() {}, connectToDevTools() {} };" }));
      },
    },
  ],
  logLevel: "error",
  // CommonJS modules inside the bundle expect require/__dirname/__filename. They are supplied
  // under names no bundled ES module declares (webgpu's index.js has its own const __dirname and
  // const require): require as a global, the paths through define.
  define: { __dirname: "__fercDirname", __filename: "__fercFilename" },
  banner: {
    js: [
      "import { createRequire as __fercCreateRequire } from 'node:module';",
      "import { fileURLToPath as __fercToPath } from 'node:url';",
      "import { dirname as __fercDirOf } from 'node:path';",
      "globalThis.require ??= __fercCreateRequire(import.meta.url);",
      "const __fercFilename = __fercToPath(import.meta.url);",
      "const __fercDirname = __fercDirOf(__fercFilename);",
    ].join(" "),
  },
});
// webgpu's index.js loads dist/<platform>-<arch>/dawn.node beside the file that holds it.
const outputs = Object.keys(result.metafile.outputs).map((p) => join(root, p));
const holders = outputs.filter((p) => p.endsWith(".js") && readFileSync(p, "utf8").includes("dawn.node"));
if (holders.length === 0) throw new Error("no bundled file loads dawn.node: is the webgpu package installed?");
// One copy, hard-linked beside each holder: tar stores the links once.
let dawn = "";
for (const h of holders) {
  const dest = join(dirname(h), "dist", "linux-x64");
  if (existsSync(join(dest, "dawn.node"))) continue;
  mkdirSync(dest, { recursive: true });
  if (dawn === "") {
    dawn = join(dest, "dawn.node");
    copyFileSync(join(root, "node_modules", "webgpu", "dist", "linux-x64", "dawn.node"), dawn);
  } else linkSync(dawn, join(dest, "dawn.node"));
}
log(`bundled ${entries.length} entry points; dawn.node beside ${holders.map((h) => relative(ferc, h)).join(", ")}`);

// 2. What the bundle reads from disk at run time.
const wasmPkg = join(root, "node_modules", "@tensorflow", "tfjs-backend-wasm");
const wasmDest = join(ferc, "node_modules", "@tensorflow", "tfjs-backend-wasm");
mkdirSync(join(wasmDest, "dist"), { recursive: true });
copyFileSync(join(wasmPkg, "package.json"), join(wasmDest, "package.json"));
for (const f of readdirSync(join(wasmPkg, "dist")).filter((f) => f.endsWith(".wasm"))) copyFileSync(join(wasmPkg, "dist", f), join(wasmDest, "dist", f));
for (const dir of ["specs", "schema"]) cpSync(join(root, dir), join(ferc, dir), { recursive: true });
mkdirSync(join(ferc, "src", "bench"), { recursive: true });
copyFileSync(join(root, "src", "bench", "torch_twin.py"), join(ferc, "src", "bench", "torch_twin.py"));
copyFileSync(join(root, "package.json"), join(ferc, "package.json"));
const addon = join(root, "native", "build", "ferc_native.node");
if (existsSync(addon)) {
  mkdirSync(join(ferc, "native", "build"), { recursive: true });
  copyFileSync(addon, join(ferc, "native", "build", "ferc_native.node"));
} else log("native addon not built: the bundle's wasm path will be portable");
log(`staged ${mib(sizeOf(ferc))}`);
execFileSync("tar", ["-cJf", join(out, "ferc.tar.xz"), "-C", stage, "ferc"], { env: { ...process.env, XZ_OPT: "-9 -T0" } });
rmSync(stage, { recursive: true, force: true });

// 3. Node: this binary, stripped, compressed once (it does not change between builds).
const nodeXz = join(out, "node.xz");
const stamp = join(out, "node.version");
if (!existsSync(nodeXz) || !existsSync(stamp) || readFileSync(stamp, "utf8") !== process.version) {
  log(`compressing ${process.execPath} (${process.version}); takes a minute or two`);
  const stripped = join(tmpdir(), `ferc-node-${process.pid}`);
  const s = spawnSync("strip", ["-o", stripped, process.execPath]);
  if (s.status !== 0) copyFileSync(process.execPath, stripped);
  execFileSync("sh", ["-c", `xz -9 -T0 -c "${stripped}" > "${nodeXz}"`]);
  rmSync(stripped, { force: true });
  writeFileSync(stamp, process.version);
}

// 4. The Vulkan loader and GL dispatch libraries, as Debian amd64 packages (the GPU machine's
// image has the NVIDIA driver but no loader).
const debs = join(out, "debs");
if (!existsSync(debs) || readdirSync(debs).filter((f) => f.endsWith(".deb")).length < DEBS.length) {
  mkdirSync(debs, { recursive: true });
  const o = ["-oAPT::Architecture=amd64", "-oAPT::Architectures=amd64", `-oDir::State::Lists=${join(tmpdir(), "ferc-apt-amd64")}`];
  mkdirSync(join(tmpdir(), "ferc-apt-amd64", "partial"), { recursive: true });
  const up = spawnSync("apt-get", [...o, "update", "-qq"], { stdio: "inherit" });
  const dl = up.status === 0 ? spawnSync("apt-get", [...o, "download", ...DEBS], { cwd: debs, stdio: "inherit" }) : up;
  if (dl.status !== 0) log("could not download the Vulkan loader packages (apt-get): run.sh will rely on the machine's own");
}

copyFileSync(join(root, "scripts", "gpu-check", "run.sh"), join(out, "run.sh"));
const total = sizeOf(out);
const tracked = execFileSync("git", ["ls-files", "-z"], { cwd: root, encoding: "utf8" })
  .split("\0")
  .filter(Boolean)
  .reduce((n, f) => n + (existsSync(join(root, f)) ? statSync(join(root, f)).size : 0), 0);
log(`bundle ${mib(total)} (ferc ${mib(sizeOf(join(out, "ferc.tar.xz")))}, node ${mib(sizeOf(nodeXz))}, debs ${existsSync(debs) ? mib(sizeOf(debs)) : "none"}); with the tracked tree (${mib(tracked)}): ${mib(total + tracked)} of ${mib(LIMIT)}`);
if (total + tracked > LIMIT) {
  console.error(`gpu-check build: over the ${mib(LIMIT)} a GPU machine takes along`);
  process.exit(1);
}
