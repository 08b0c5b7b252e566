// Optional build of ferc's native kernels (run by `npm install` / `npm ci` through the root
// package's install script). Never fails the install: without a compiler, headers or AVX2 the
// addon is simply absent and ferc uses its portable wasm kernels.
//
// g++ is invoked directly rather than through node-gyp: node-gyp would download Node's headers
// from nodejs.org when they are not already cached, and installs here may be offline. The
// headers that ship with Node (<prefix>/include/node) are used instead.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
// FERC_NATIVE_OUT redirects the output (tests build into a temporary directory).
const out = join(process.env.FERC_NATIVE_OUT || join(here, "build"), "ferc_native.node");

function log(msg) {
  process.stderr.write(`ferc native: ${msg}\n`);
}

function headerDir() {
  const candidates = [
    process.env.FERC_NODE_HEADERS,
    join(dirname(dirname(process.execPath)), "include", "node"),
    "/usr/include/node",
    "/usr/local/include/node",
  ].filter(Boolean);
  return candidates.find((d) => existsSync(join(d, "node_api.h")));
}

function main() {
  if (process.env.FERC_NATIVE === "0") return log("skipped (FERC_NATIVE=0)");
  if (process.arch !== "x64") return log(`skipped: ${process.arch} (kernels need x86-64 AVX2)`);
  const inc = headerDir();
  if (!inc) return log("skipped: node_api.h not found (set FERC_NODE_HEADERS)");
  const cxx = process.env.CXX || "g++";
  mkdirSync(dirname(out), { recursive: true });
  const common = [
    "-O3", "-std=c++20", "-fPIC", "-pthread", "-fvisibility=hidden",
    "-DNAPI_VERSION=8", "-DNODE_GYP_MODULE_NAME=ferc_native", `-I${inc}`,
  ];
  // Every unit is built for AVX2/FMA; the AVX-512 kernels are one more unit, chosen at run time
  // only on CPUs that have AVX-512 F/VL (conv.cc), so the addon still loads on AVX2-only CPUs.
  const units = [
    ["addon.cc", []], ["conv.cc", []], ["conv_avx2.cc", []], ["batchnorm.cc", []], ["pool.cc", []], ["threadpool.cc", []], ["dropout.cc", []], ["elementwise.cc", []],
    ["conv_avx512.cc", ["-mavx512f", "-mavx512vl"]],
  ];
  const objDir = mkdtempSync(join(tmpdir(), "ferc-native-"));
  try {
    const objects = units.map(([file, extra]) => {
      const obj = join(objDir, file.replace(/\.cc$/, ".o"));
      execFileSync(cxx, [...common, "-mavx2", "-mfma", ...extra, "-c", join(here, file), "-o", obj], { stdio: ["ignore", "ignore", "pipe"] });
      return obj;
    });
    // Linked beside the target and renamed over it: a process that has the old addon loaded keeps
    // its mapping instead of seeing the file rewritten under it.
    const tmp = `${out}.${process.pid}.tmp`;
    execFileSync(cxx, ["-shared", "-pthread", ...objects, "-o", tmp], { stdio: ["ignore", "ignore", "pipe"] });
    renameSync(tmp, out);
    log(`built ${out}`);
  } catch (e) {
    log(`build failed, using the portable wasm kernels (${String(e.stderr ?? e.message).split("\n")[0]})`);
  } finally {
    rmSync(objDir, { recursive: true, force: true });
  }
}

try {
  main();
} catch (e) {
  log(`skipped: ${e instanceof Error ? e.message : String(e)}`);
}
