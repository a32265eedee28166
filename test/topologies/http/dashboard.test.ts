// The live dashboard in a real headless browser (Debian's chromium driven by puppeteer-core, no
// browser download): a serving instance on the embedded broker scores records sent every 100 ms;
// the page loads with no console error, names the current model and its shadow, and its chart
// gains points (records/s, p50 and p99 per interval) while records flow.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import puppeteer, { type Browser } from 'puppeteer-core';
import { startBroker, type RunningBroker } from '../../../lib/broker/index.ts';
import { startServingInstance, type ServingInstance } from '../../../topologies/cli/serve.ts';
import { ModelType } from '../../../topologies/codecs/messages.ts';
import { needs, type Dependency } from '../../requirements.ts';
import { files, pmmlDescriptor, serdes, wineRecords } from '../fixtures.ts';

const CHROMIUM = process.env.MODELSTREAM_CHROMIUM ?? '/usr/bin/chromium';
const chromium: Dependency = {
  name: 'chromium (Debian)',
  requiredBy: ['MODELSTREAM_REQUIRE_BROWSER'],
  missing: () => (existsSync(CHROMIUM) ? undefined : `no browser at ${CHROMIUM} (apt-get install -y chromium, or MODELSTREAM_CHROMIUM)`),
};

needs(chromium)('the dashboard loads with no console error, shows the models and a chart that updates while records flow', async () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'modelstream-dashboard-'));
  let broker: RunningBroker | undefined;
  let instance: ServingInstance | undefined;
  let browser: Browser | undefined;
  let timer: NodeJS.Timeout | undefined;
  const producer = () => new kafkajs.Kafka({ brokers: broker!.brokers, logLevel: kafkajs.logLevel.NOTHING }).producer();
  let p: ReturnType<typeof producer> | undefined;
  try {
    broker = await startBroker({ port: 0 });
    instance = await startServingInstance({ brokers: broker.brokers, kind: 'naive', host: '127.0.0.1', port: 0, partitions: 1, stateDir, log: () => {} });
    p = producer();
    await p.connect();
    const send = (topic: string, key: string | null, value: Uint8Array) => p!.send({ topic, acks: -1, messages: [{ key, value: Buffer.from(value) }] });
    await send('models_models', 'wine', serdes.descriptor.serialize(pmmlDescriptor(files.tree, 'wine', 'tree', '')));
    await send('models_models', 'wine', serdes.descriptor.serialize({
      name: 'onnx-shadow', description: '', dataType: 'wine', modelType: ModelType.ONNX, role: 'shadow',
      data: readFileSync(new URL('../../../data/models/wine-onnx.onnx', import.meta.url)),
    }));
    const records = wineRecords(200);
    let i = 0;
    timer = setInterval(() => { void send('models_data', `k${i}`, serdes.wine.serialize(records[i++ % records.length]!)).catch(() => {}); }, 100);

    browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(String(e)));
    await page.goto(instance.server.url + '/', { waitUntil: 'load' });
    // Page-side code as strings: this test is compiled without the DOM's types.
    await page.waitForFunction("document.querySelector('.champion') !== null && document.querySelector('.role') !== null", { timeout: 20_000 });
    const text = await page.evaluate("document.querySelector('#datatypes').innerText") as string;
    assert.match(text, /dataType wine/);
    assert.match(text, /tree\s+champion\s+PMML/);
    assert.match(text, /onnx-shadow\s+shadow\s+ONNX/);
    const points = async () => Number(await page.evaluate("document.querySelector('.chart').dataset.points ?? 0"));
    await page.waitForFunction("Number(document.querySelector('.chart').dataset.points ?? 0) >= 2", { timeout: 20_000 });
    const before = await points();
    await new Promise((r) => setTimeout(r, 2500));
    assert.ok((await points()) > before, 'the chart gained points');
    assert.ok(await page.$('.chart canvas'), 'uPlot drew a canvas');
    // p99 of an interval's records, from the difference of two polls' histograms.
    await page.waitForFunction("Number(document.querySelector('.chart').dataset.p99) > 0", { timeout: 20_000 });
    const pct = await page.evaluate("document.querySelector('.champion .pct').textContent") as string;
    assert.match(pct, /^[\d.e-]+ \/ [\d.e-]+$/, 'the champion\'s p50 / p99');
    assert.equal(problems, [], 'no console errors');
    // The README's picture: MODELSTREAM_DASHBOARD_SCREENSHOT=docs/dashboard.png npm test -- dashboard
    const shot = process.env.MODELSTREAM_DASHBOARD_SCREENSHOT;
    if (shot) {
      await page.setViewport({ width: 900, height: 700 });
      await new Promise((r) => setTimeout(r, 1500));
      await page.screenshot({ path: shot as `${string}.png`, fullPage: true });
    }
  } finally {
    clearInterval(timer);
    await browser?.close().catch(() => {});
    await p?.disconnect().catch(() => {});
    await instance?.stop().catch(() => {});
    await broker?.stop().catch(() => {});
    rmSync(stateDir, { recursive: true, force: true });
  }
});

test.run();
