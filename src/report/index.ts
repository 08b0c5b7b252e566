/** Public surface of reports and plots. */
export { lineChart, confusionSvg, groupedBarsSvg, niceTicks, esc, type Series, type LineChartOptions, type GroupedBarsOptions } from "./svg.js";
export { lossSvg, accuracySvg, confusionPlot, classesSvg, type ClassDistribution } from "./plots.js";
export { reportMarkdown, perClassMarkdown, confusionMarkdown, type RunReport } from "./markdown.js";
