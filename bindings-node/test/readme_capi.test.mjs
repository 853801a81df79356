// README example for Node back ends: a webhook verified, then a Meta Conversions API batch built
// from it. Kept between the START/END markers (scripts/sync_readme.py copies it into README.md);
// it runs at this module's top level, `console` shadowed to capture what it prints.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { platform as cwp } from 'channelwise';

const logged = [];
const console = { log: (...args) => logged.push(args.map(String).join(' ')) };

// A Shopify orders/paid webhook as a Node server receives it (signed here with the app's secret,
// as Shopify would), paid a minute ago
const SHOPIFY_SECRET = 'shpss_example_secret';
const order = {
  id: 820982911946154508, name: '#9001', email: ' Jon@Example.com', phone: '+1 (650) 555-1212', currency: 'USD', total_price: '598.94',
  processed_at: new Date(Date.now() - 60_000).toISOString(), order_status_url: 'https://shop.example/orders/8209',
  client_details: { user_agent: 'Mozilla/5.0 (iPhone)', browser_ip: '203.0.113.7' },
};
const paid = Buffer.from(JSON.stringify(order));
const paidHeaders = { 'x-shopify-hmac-sha256': cwp.signWebhook({ scheme: 'shopify', secret: SHOPIFY_SECRET, body: paid }) };

// START: readme-js-platform-capi
import { platform } from 'channelwise';

// Verify the raw body, then build Meta Conversions API request bodies (at most 1,000 events
// each; customer data normalised and SHA-256 hashed here, never sent raw)
function purchaseEvents(rawBody, headers) {
  const header = headers['x-shopify-hmac-sha256'];
  if (!platform.verifyWebhook({ scheme: 'shopify', secret: SHOPIFY_SECRET, body: rawBody, header })) return null; // 401
  const order = JSON.parse(rawBody.toString('utf8'));
  return platform.metaCapiEvents([{
    event_name: 'Purchase',
    event_time: Math.floor(Date.parse(order.processed_at) / 1000), // older than 7 days throws
    // the pixel's eventID, so Meta counts the purchase once (not `order.id`: beyond 2^53, JSON.parse rounds it)
    event_id: `order-${order.name}`,
    action_source: 'website',
    event_source_url: order.order_status_url,
    user_data: {
      em: order.email, ph: order.phone, // hashed
      client_user_agent: order.client_details.user_agent, client_ip_address: order.client_details.browser_ip, // as they are
    },
    custom_data: { currency: order.currency, value: Number(order.total_price) },
  }], { nowMs: Date.now() });
}
const bodies = purchaseEvents(paid, paidHeaders);
// POST each to https://graph.facebook.com/v21.0/<PIXEL_ID>/events with your access token
console.log(bodies.length, bodies[0].data[0].user_data.em); // 1 '<64 hex digits>'
console.log(purchaseEvents(Buffer.from(paid.toString().replace('598.94', '0.01')), paidHeaders)); // null
// END: readme-js-platform-capi

test('README CAPI example: a verified webhook becomes one hashed Purchase event; a tampered one none', () => {
  assert.deepEqual(logged, [`1 ${cwp.hash('em', 'jon@example.com')}`, 'null']);
  assert.equal(bodies.length, 1);
  const e = bodies[0].data[0];
  assert.equal(e.event_id, 'order-#9001');
  assert.equal(e.user_data.em, cwp.hash('em', 'jon@example.com'));
  assert.equal(e.user_data.ph, cwp.hash('ph', '16505551212'));
  assert.equal(e.user_data.client_ip_address, '203.0.113.7');
  assert.deepEqual(e.custom_data, { currency: 'USD', value: 598.94 });
  assert.ok(!JSON.stringify(bodies).includes('Jon@Example.com'));
});
