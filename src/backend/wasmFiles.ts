/**
 * Where tfjs-backend-wasm's .wasm binaries live on disk. ferc never fetches them over the network:
 * the wasm backend is pointed at the directory inside node_modules before it initialises.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);

/** Absolute directory (with trailing slash, as `setWasmPaths` concatenates) of the .wasm files. */
export function wasmDistDir(): string {
  const pkg = require.resolve("@tensorflow/tfjs-backend-wasm/package.json");
  return join(dirname(pkg), "dist") + "/";
}
