// leads.* in the WebAssembly build: funnels, cohorts, scores, lifecycle and health
// (tests/js/leads.mjs, shared with the Node binding).
import { init, leads } from '../js/index.js';
import { runLeads } from '../../tests/js/leads.mjs';

await init();
runLeads({ leads }, 'wasm');
