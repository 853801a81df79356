// A Web Worker running one long call of channelwise's shared API (js/index.js sends it): its own
// instance of the module (the page posts the compiled WebAssembly.Module), progress posted as it
// comes, the result or the error posted at the end. The page terminates it to cancel.
import { init, _runInWorker } from './index.js';

self.onmessage = async ({ data }) => {
  try {
    await init(data.module);
    const result = _runInWorker(data.job, (done, total, stage) => self.postMessage({ progress: { done, total, stage } }));
    self.postMessage({ result });
  } catch (e) {
    self.postMessage({ error: { message: String(e?.message ?? e), code: e?.code, name: e?.name } });
  }
};
