// A seeded synthetic path table (columns), for tests and the overhead benchmark.
export function synthetic(n, seed = 1) {
  let s = seed;
  const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const channels = ['search', 'display', 'email', 'social', 'video', 'direct', 'affiliate', 'referral'];
  const path = [];
  const conversions = new Float64Array(n);
  const nulls = new Float64Array(n);
  const value = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const len = 1 + Math.floor(rnd() * 6);
    path.push(Array.from({ length: len }, () => channels[Math.floor(rnd() * channels.length)]).join('>'));
    conversions[i] = Math.floor(rnd() * 5);
    nulls[i] = Math.floor(rnd() * 20);
    value[i] = conversions[i] * 10;
  }
  return { path, conversions, nulls, value };
}
