// leads.*: funnels, cohorts, scores, lifecycle and health (tests/js/leads.mjs, shared with the
// WebAssembly build).
import { createRequire } from 'node:module';
import { runLeads } from '../../tests/js/leads.mjs';

const require = createRequire(import.meta.url);
runLeads(require('../index.js'), 'node');
