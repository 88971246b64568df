// Workflow entry points registered with the worker (worker/worker.ts bundles this file).
export { caseWorkflow } from './case';
export { campaignWorkflow } from './campaign';
export { supervisionWorkflow } from './supervision';
export { publicReportWorkflow } from './public-report';
export { surveyImportWorkflow } from './survey-import';
