/**
 * Prints the figures the architecture test holds to zero: import tangles (strongly connected
 * components of src/'s module graph, type and dynamic imports counted) and upward imports between
 * floors (floors.ts). Run: `npx vite-node test/architecture/measure.ts`.
 */
import { importGraph, tangles, upwardImports } from "./importGraph.js";

const graph = importGraph();
const cycles = tangles(graph);
const upward = upwardImports(graph);
console.log(`${graph.size} modules, ${[...graph.values()].flat().length} imports`);
console.log(`tangles (strongly connected components): ${cycles.length}`);
for (const c of cycles) console.log(`  ${c.join(", ")}`);
console.log(`upward imports: ${upward.length}`);
for (const u of upward) console.log(`  ${u}`);
