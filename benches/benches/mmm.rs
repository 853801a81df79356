//! Media mix model fits: 208 weekly rows, 5/10/20 channels, two controls, yearly seasonality of
//! order 2, four starts; point fit and fit with Laplace intervals (1000 draws).

#![allow(missing_docs)] // criterion_group! generates undocumented items

use channelwise::optimize::mmm::{Mmm, Uncertainty};
use channelwise_benches::synthetic_mmm;
use criterion::{criterion_group, criterion_main, Criterion};

fn mmm(c: &mut Criterion) {
    let mut g = c.benchmark_group("mmm");
    g.sample_size(10);
    for channels in [5, 10, 20] {
        let (data, _) = synthetic_mmm(208, channels, 42);
        let spec = Mmm::default().yearly_seasonality(2);
        g.bench_function(format!("fit/{channels}ch/channelwise"), |b| {
            b.iter(|| {
                let f = spec.clone().uncertainty(Uncertainty::None).fit(&data).expect("fit");
                assert!(f.diagnostics().r2 > 0.5);
            })
        });
        g.bench_function(format!("fit_laplace/{channels}ch/channelwise"), |b| {
            b.iter(|| {
                let f = spec.fit(&data).expect("fit");
                assert_eq!(f.draws().len(), 1000);
            })
        });
    }
    g.finish();
}

criterion_group!(benches, mmm);
criterion_main!(benches);
