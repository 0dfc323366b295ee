// Opens a running server's /dashboard in Chromium through playwright-core, waits for its data, and prints what the page
// shows as one JSON object: the numbers (by data-testid), the charts' points, the last calls and one call's trace, what
// the keyboard reaches first, console errors. With a KEY, the server is behind keys instead (its real gate answers 401
// without one): it prints whether the page asked for a key once, sent it as a bearer token, and then drew its data.
// Usage: node dashboard.cjs BASE_URL SCREENSHOT CHROMIUM [KEY]   (HEARTH_NPM_CLIENTS: where playwright-core is)
const path = require('path');
const { chromium } = require(path.join(process.env.HEARTH_NPM_CLIENTS, 'node_modules', 'playwright-core'));

const [base, screenshot, executablePath, key] = process.argv.slice(2);
const WAIT = { timeout: 60000 };

async function shown(page) {
  return page.evaluate(() => {
    const out = { numbers: {}, spendRows: [], callRows: [], charts: {}, privacyKinds: {} };
    document.querySelectorAll('dd[data-testid], span[data-testid]').forEach((e) => {
      out.numbers[e.dataset.testid] = { text: e.textContent, value: e.dataset.value === undefined ? null : e.dataset.value };
    });
    document.querySelectorAll('[data-testid="spend-row"]').forEach((r) => {
      out.spendRows.push({ key: r.dataset.key, cost: r.querySelector('[data-value]').dataset.value });
    });
    document.querySelectorAll('[data-testid="call-row"]').forEach((r) => out.callRows.push(r.dataset.id));
    document.querySelectorAll('#privacy-kinds li[data-kind]').forEach((li) => {
      out.privacyKinds[li.dataset.kind] = Number(li.dataset.value);
    });
    for (const [name, u] of Object.entries(window.hearthDashboard.charts)) {
      // uPlot keeps the data it drew: one x array, then one array per series
      out.charts[name] = {
        points: u.data.slice(1).map((s) => s.filter((v) => v !== null && v !== undefined).length),
        sums: u.data.slice(1).map((s) => s.reduce((a, v) => a + (v || 0), 0)),
        canvas: !!u.root.querySelector('canvas'),
      };
    }
    out.status = document.querySelector('[data-testid="status"]').textContent;
    return out;
  });
}

(async () => {
  const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'] });
  const result = { consoleErrors: [] };
  try {
    if (key === undefined) {
      const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
      const page = await context.newPage();
      page.on('console', (m) => { if (m.type() === 'error') result.consoleErrors.push(m.text()); });
      page.on('pageerror', (e) => result.consoleErrors.push(String(e)));
      await page.goto(base + '/dashboard');
      await page.waitForFunction(() => window.hearthDashboard && window.hearthDashboard.refreshes >= 1, null, WAIT);
      Object.assign(result, await shown(page));
      // the keyboard: the first Tab reaches a real button; a call's trace opens with Enter
      await page.keyboard.press('Tab');
      result.firstFocus = await page.evaluate(() => document.activeElement.tagName + ':' + document.activeElement.textContent);
      const traced = result.callRows[result.callRows.length - 1];
      await page.focus(`[data-testid="call-row"][data-id="${traced}"] button`);
      await page.keyboard.press('Enter');
      await page.waitForSelector('[data-testid="trace"]:not([hidden])', WAIT);
      result.trace = { id: traced, events: await page.locator('#trace-events li').count(),
        focused: await page.evaluate(() => document.activeElement.id) };
      await page.screenshot({ path: screenshot, fullPage: true });
      await context.close();
    } else {
      // the server's own gate: the page's API calls are 401 until it sends the key
      const keyed = await browser.newContext({ viewport: { width: 1366, height: 900 } });
      const gated = await keyed.newPage();
      gated.on('console', (m) => { if (m.type() === 'error' && !m.text().includes('401')) result.consoleErrors.push(m.text()); });
      gated.on('pageerror', (e) => result.consoleErrors.push(String(e)));
      const seen = { unauthorized: 0, withKey: 0, okWithKey: 0 };
      gated.on('response', (r) => {
        if (!r.url().includes('/v1/hearth/')) return;
        const auth = r.request().headers()['authorization'];
        if (r.status() === 401) seen.unauthorized++;
        if (auth === 'Bearer ' + key) { seen.withKey++; if (r.status() === 200) seen.okWithKey++; }
      });
      await gated.goto(base + '/dashboard');
      await gated.waitForSelector('[data-testid="key-form"]:not([hidden])', WAIT);
      const askedAfter = seen.unauthorized;
      result.keyFormFocused = await gated.evaluate(() => document.activeElement.id);
      await gated.getByLabel('API key').fill(key);
      await gated.keyboard.press('Enter');
      await gated.waitForFunction(() => window.hearthDashboard.refreshes >= 1, null, WAIT);
      result.key = { askedAfter, unauthorized: seen.unauthorized, withKey: seen.withKey, okWithKey: seen.okWithKey,
        stored: await gated.evaluate(() => sessionStorage.getItem('hearth.dashboard.key')),
        formHidden: await gated.evaluate(() => document.querySelector('[data-testid="key-form"]').hidden),
        callsShown: await gated.evaluate(() => document.querySelector('[data-testid="calls-total"]').dataset.value) };
      await keyed.close();
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(result));
})().catch((e) => { console.error(e); process.exit(1); });
