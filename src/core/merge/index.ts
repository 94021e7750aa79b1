/** Mail merge (see types.ts for the flow). */
export * from './types';
export { columnKey, dataFormatFor, parseMergeData, readMergeData } from './data';
export { detectSeparator, readCsv } from './csv';
export { scanTemplate } from './template';
export { checkRow, renderRow, RowReuse } from './render';
export { planMerge } from './plan';
export type { PlanOptions } from './plan';
export { runMerge, rowFileName } from './run';
export { parseJournal, readJournal, JournalWriter } from './journal';
export type { JournalState } from './journal';
export { isQuotaReply } from './quota';
export { defaultRateFor, parseRate } from './rates';
export { formatMergeProblem } from './problems';
export { journalPathFor, reportCsv, reportPathFor, writeReport } from './report';
