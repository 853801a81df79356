//! Off-main-thread work: the `...Async` exports run their computation on libuv's thread pool.

use channelwise::Error;
use napi::bindgen_prelude::{ToNapiValue, TypeName};
use napi::{Env, Task};

use crate::error::{rejection, run};

/// Work whose inputs were read on the main thread; `compute` runs on a pool thread.
///
/// Input errors are carried in `work` too, so an async export never throws synchronously: it
/// always returns a promise, rejected with the coded error.
pub struct Compute<T> {
    work: Option<channelwise::Result<Work<T>>>,
}

/// A computation to run off the main thread.
pub(crate) type Work<T> = Box<dyn FnOnce() -> channelwise::Result<T> + Send>;

impl<T> Compute<T> {
    /// A task running `prepared`'s closure, or rejecting with its error.
    pub(crate) fn new<F>(prepared: channelwise::Result<F>) -> Self
    where
        F: FnOnce() -> channelwise::Result<T> + Send + 'static,
    {
        let work = prepared.map(|f| Box::new(f) as Work<T>);
        Compute { work: Some(work) }
    }
}

impl<T> Task for Compute<T>
where
    T: ToNapiValue + TypeName + Send + 'static,
{
    type Output = channelwise::Result<T>;
    type JsValue = T;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(match self.work.take() {
            Some(Ok(f)) => run(f),
            Some(Err(e)) => Err(e),
            None => Err(Error::Internal("async task computed twice".into())),
        })
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<T> {
        output.map_err(|e| rejection(env, &e))
    }
}
