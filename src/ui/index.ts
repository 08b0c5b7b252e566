/** Public surface of the run UI. */
export { Dashboard, LiveDashboard, TestResults } from "./Dashboard.js";
export { createDashboardStore, reduceDashboard, initialDashboardState, type DashboardState, type DashboardStore } from "./state.js";
export { formatPlain } from "./plain.js";
export { formatJsonLine } from "./jsonl.js";
export { createEventOutput, chooseMode, type EventOutput, type OutputMode, type OutputOptions } from "./sink.js";
