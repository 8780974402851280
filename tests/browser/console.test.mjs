// Browser tests of the staff console (assets/console/), run by
// tests/integration/console.sh against a real sceaux-hub (HUB_URL) with the
// bundled data, staff users anne (staff, signing SIGNATURE) and bruno
// (admin), a kiosk token (KIOSK_TOKEN_FILE) and a staff token for
// sceaux-admin (STAFF_TOKEN_FILE, named STAFF_TOKEN_NAME). Drives Debian's Chromium through playwright-core;
// runs a real sceaux-syncd for the replica. Prints "ok NAME" / "not ok NAME".
import { chromium } from 'playwright-core';
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const HUB = process.env.HUB_URL;
const BIN = process.env.SCEAUX_BIN;
const TMP = process.env.TMPDIR_TEST || tmpdir();
const SHOTS = process.env.SHOTS;
const TOKEN_FILE = process.env.KIOSK_TOKEN_FILE;
const KIOSK_TOKEN = readFileSync(TOKEN_FILE, 'utf8').trim();
const REPLICA = join(TMP, 'replica.db');
const ANNE = { name: 'anne', password: 'mot-de-passe-anne' };
const SIGNATURE = process.env.SIGNATURE;
const STAFF_TOKEN_FILE = process.env.STAFF_TOKEN_FILE;
const STAFF_TOKEN_NAME = process.env.STAFF_TOKEN_NAME;

let failures = 0;
async function step(name, fn) {
  try {
    await fn();
    console.log(`ok ${name}`);
  } catch (e) {
    failures++;
    console.log(`not ok ${name}`);
    console.log(String((e && e.stack) || e).split('\n').slice(0, 8).map((l) => `# ${l}`).join('\n'));
  }
}
function assert(cond, what) {
  if (!cond) throw new Error(`assertion failed: ${what}`);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/* Polls fn() until it returns a truthy value or ms pass. */
async function until(fn, ms, what) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms: ${what}`);
    await sleep(25);
  }
}

function sql(db, query) {
  return execFileSync('sqlite3', ['-readonly', db, query], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
}

/* One value read from the hub's database: HUB_DB is a SQLite file or a
 * PostgreSQL URL (read with PSQL), as console.sh was run. */
function hubSql(query) {
  const db = process.env.HUB_DB;
  if (!/^postgres(ql)?:\/\//.test(db)) return sql(db, query);
  return execFileSync(process.env.PSQL, ['-qAtX', '-d', db, '-c', query],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
}

/* curl is the kiosk here, as the protocol says it is enough. */
function kioskPush(changes) {
  const body = JSON.stringify({ format: 'sceaux/1', changes });
  const out = execFileSync('curl', ['-sf', '-X', 'POST', '-H', `Authorization: Bearer ${KIOSK_TOKEN}`,
    '-H', 'Content-Type: application/json', '--data-binary', body, `${HUB}/v1/push`], { encoding: 'utf8' });
  return JSON.parse(out).results;
}
async function hubRow(table, id) {
  const res = await fetch(`${HUB}/v1/changes?since=0&limit=5000`, { headers: { Authorization: `Bearer ${KIOSK_TOKEN}` } });
  const page = await res.json();
  const c = page.changes.find((x) => x.table === table && x.op === 'upsert' && x.row.id === id);
  return c ? c.row : null;
}

/* Paris wall-clock time -> UTC RFC 3339 (as the console does). */
function parisToIso(y, mo, d, h, mi) {
  const fmt = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const off = (ms) => {
    const p = Object.fromEntries(fmt.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
    return Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute) - Math.floor(ms / 60000) * 60000;
  };
  const guess = Date.UTC(y, mo - 1, d, h, mi);
  const t = guess - off(guess - off(guess));
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
function parisToday(plusDays) {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(new Date(Date.now() + plusDays * 86400000)).map((x) => [x.type, x.value]));
  return { y: +p.year, m: +p.month, d: +p.day, text: `${p.year}-${p.month}-${p.day}` };
}

/* ---- syncd ---------------------------------------------------------------- */

let syncd = null;
function startSyncd() {
  syncd = spawn(join(BIN, 'sceaux-syncd'), ['--db', REPLICA, '--hub', HUB, '--token-file', TOKEN_FILE],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  syncd.stderr.on('data', () => {});
}
async function stopSyncd() {
  if (!syncd) return;
  const p = new Promise((r) => syncd.once('exit', r));
  syncd.kill('SIGTERM');
  await p;
  syncd = null;
}

/* ---- browser ----------------------------------------------------------------- */

const profile = mkdtempSync(join(TMP, 'chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--lang=fr-FR'],
  viewport: { width: 1440, height: 900 },
  locale: 'fr-FR',
  timezoneId: 'Europe/Paris',
});
const page = context.pages()[0] || await context.newPage();
const pageErrors = [];
page.on('pageerror', (e) => pageErrors.push(String(e)));
page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });

async function shot(name, opts = {}) {
  await page.screenshot({ path: join(SHOTS, `console-${name}.png`), fullPage: opts.fullPage !== false });
}
async function show(view) {
  await page.evaluate((v) => { location.hash = `#${v}`; }, view);
  await page.locator(`#view-${view}`).waitFor({ state: 'visible' });
}

try {
  await step('console-static-headers', async () => {
    const res = await fetch(`${HUB}/console/`);
    assert(res.status === 200, `GET /console/ is ${res.status}`);
    const csp = res.headers.get('content-security-policy') || '';
    assert(/script-src 'self'/.test(csp) && !/unsafe-inline/.test(csp), `CSP: ${csp}`);
    const html = await res.text();
    assert(!/<script(?![^>]*\bsrc=)[^>]*>/i.test(html), 'no inline script in the page');
    assert(!/\son[a-z]+=/i.test(html), 'no inline event handler in the page');
    for (const file of ['console.js', 'forms.js', 'ideas.js', 'picture.js']) {
      const js = await fetch(`${HUB}/console/${file}`);
      assert(js.status === 200 && /javascript/.test(js.headers.get('content-type')), `${file} served as JavaScript`);
      assert(!/\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write/.test(await js.text()), `${file} never writes HTML`);
    }
    const missing = await fetch(`${HUB}/console/../../etc/passwd`);
    assert(missing.status === 404 || missing.status === 400, `path escape answered ${missing.status}`);
  });

  await step('console-kiosk-token-cannot-use-console', async () => {
    for (const path of ['/v1/console/session', '/v1/console/audit']) {
      const res = await fetch(`${HUB}${path}`, { headers: { Authorization: `Bearer ${KIOSK_TOKEN}` } });
      assert(res.status === 401, `${path} with a kiosk token: ${res.status}`);
    }
  });

  await step('console-login-csrf-refused', async () => {
    const res = await fetch(`${HUB}/v1/console/login`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', Origin: 'http://evil.example' },
      body: JSON.stringify(ANNE),
    });
    assert(res.status === 403, `login from another origin: ${res.status}`);
  });

  await step('console-session-cookie-and-csrf', async () => {
    const res = await fetch(`${HUB}/v1/console/login`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', Origin: HUB }, body: JSON.stringify(ANNE),
    });
    assert(res.status === 200, `login: ${res.status}`);
    const cookie = res.headers.get('set-cookie') || '';
    assert(/HttpOnly/i.test(cookie) && /SameSite=Strict/i.test(cookie) && /Max-Age=\d+/i.test(cookie), `cookie flags: ${cookie}`);
    const jar = cookie.split(';')[0];
    const body = JSON.stringify({ format: 'sceaux/1', changes: [] });
    const evil = await fetch(`${HUB}/v1/push`, { method: 'POST', headers: { Cookie: jar, Origin: 'http://evil.example', 'Content-Type': 'application/json' }, body });
    assert(evil.status === 403, `push with the cookie from another origin: ${evil.status}`);
    const none = await fetch(`${HUB}/v1/push`, { method: 'POST', headers: { Cookie: jar, 'Content-Type': 'application/json' }, body });
    assert(none.status === 403, `push with the cookie and no Origin: ${none.status}`);
    const good = await fetch(`${HUB}/v1/push`, { method: 'POST', headers: { Cookie: jar, Origin: HUB, 'Content-Type': 'application/json' }, body });
    assert(good.status === 200, `push with the cookie from the hub's origin: ${good.status}`);
    const out = await fetch(`${HUB}/v1/console/logout`, { method: 'POST', headers: { Cookie: jar, Origin: HUB } });
    assert(out.status === 200, `logout: ${out.status}`);
    const after = await fetch(`${HUB}/v1/console/session`, { headers: { Cookie: jar } });
    assert(after.status === 401, `session after logout: ${after.status}`);
  });

  await page.goto(`${HUB}/console/`);
  await page.locator('#login-form').waitFor({ state: 'visible' });

  await step('console-login-refused-then-rate-limited', async () => {
    await shot('login');
    const statuses = [];
    for (let i = 0; i < 5; i++) {
      await page.fill('#login-name', 'bruno');
      await page.fill('#login-password', `faux-${i}`);
      const [res] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/v1/console/login')),
        page.click('#login-form button[type="submit"]'),
      ]);
      statuses.push(res.status());
      await until(() => page.locator('#login-error').textContent(), 2000, 'an error message');
    }
    assert(statuses.slice(0, 4).every((s) => s === 401), `first four: ${statuses}`);
    assert(statuses[4] === 429, `fifth quick retry: ${statuses[4]}`);
    const text = await page.locator('#login-error').textContent();
    assert(/Trop de tentatives/.test(text), `message: ${text}`);
    await shot('login-refused');
    assert(await page.locator('#tabs').isHidden(), 'still logged out');
  });

  await step('console-login-with-keyboard', async () => {
    await page.fill('#login-name', '');
    await page.fill('#login-password', '');
    await page.focus('#login-name');
    await page.keyboard.type(ANNE.name);
    await page.keyboard.press('Tab');
    await page.keyboard.type(ANNE.password);
    await page.keyboard.press('Enter');
    await page.locator('#tabs').waitFor({ state: 'visible' });
    const who = await page.locator('#who-name').textContent();
    assert(who.includes('anne'), `who: ${who}`);
    await until(() => page.evaluate(() => Array.from(document.querySelectorAll('[data-ann-count]'))
      .reduce((n, e) => n + (+(/\d+/.exec(e.textContent) || [0])[0]), 0) > 0), 5000, 'announcements loaded');
  });

  await step('console-urgent-announcement-reaches-replica', async () => {
    startSyncd();
    await until(() => { try { return +sql(REPLICA, 'SELECT count(*) FROM site') >= 2; } catch { return false; } }, 15000, 'replica filled');
    await show('annonces');
    const title = `Coupure d’eau rue Houdan ${Date.now()}`;
    await page.fill('#ann-title', title);
    await page.fill('#ann-body', 'L’eau sera coupée de 14 h à 16 h pour travaux. Merci de votre compréhension.');
    await page.selectOption('#ann-priority', 'urgent');
    const banner = await page.locator('#preview .k-banner').textContent();
    assert(banner.includes(title), 'the preview shows the urgent banner');
    await page.click('#pv-portrait');
    assert(await page.locator('#preview.portrait').count() === 1, 'portrait preview');
    await shot('annonces-preview-portrait');
    await page.click('#pv-landscape');
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/v1/push')),
      page.click('#ann-submit'),
    ]);
    const t0 = Date.now();
    assert(res.status() === 200, `push: ${res.status()}`);
    const q = `SELECT priority || '|' || author FROM announcement WHERE title = '${title.replace(/'/g, "''")}'`;
    const got = await until(() => { try { return sql(REPLICA, q); } catch { return ''; } }, 1000, 'the announcement in the replica within 1 s');
    assert(got === `urgent|${SIGNATURE}`, `replica row (signed, never a login name): ${got} after ${Date.now() - t0} ms`);
    await until(() => page.evaluate((t) => Array.from(document.querySelectorAll('#ann-list .item-title')).some((e) => e.textContent === t), title), 3000, 'listed as current');
    await shot('annonces');
  });

  await step('console-urgent-announcement-on-kiosk-screen', async () => {
    // The kiosk itself, headless on the replica syncd keeps: the banner
    // shows the title typed in the console.
    const title = sql(REPLICA, `SELECT title FROM announcement WHERE author = '${SIGNATURE.replace(/'/g, "''")}' AND priority = 'urgent' ORDER BY seq DESC LIMIT 1`);
    assert(title, 'an urgent announcement signed by anne\'s service in the replica');
    const script = join(TMP, 'kiosk-banner.script');
    writeFileSync(script, `wait ${title}\nscreenshot ${join(SHOTS, 'console-kiosk-banner.png')}\nquit\n`);
    execFileSync(join(BIN, 'sceaux-kiosk'), ['--db', REPLICA, '--kiosk', 'kiosk-mairie',
      '--site', 'site-hotel-de-ville', '--script', script],
    { env: { ...process.env, SDL_VIDEODRIVER: 'dummy', SDL_RENDER_DRIVER: 'software' }, stdio: ['ignore', 'ignore', 'pipe'] });
  });

  await step('console-preview-contrast', async () => {
    // WCAG AA: every text of the kiosk preview reaches 4.5:1 against what
    // is behind it, opacity included (the grey "Autre annonce" card was
    // 2.75:1).
    await show('annonces');
    for (const prio of ['info', 'important', 'urgent']) {
      await page.selectOption('#ann-priority', prio);
      const worst = await page.evaluate(() => {
        const rgb = (c) => (c.match(/[\d.]+/g) || []).map(Number);
        const lum = ([r, g, b]) => {
          const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
          return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
        };
        const mix = (a, b, t) => a.map((v, i) => v * t + b[i] * (1 - t));
        /* The first opaque background at or above n, and the opacity of
         * n's ancestors up to it (and the backdrop behind them). */
        const ground = (n) => {
          for (let e = n; e; e = e.parentElement) {
            const c = rgb(getComputedStyle(e).backgroundColor);
            if (c.length === 3 || (c.length === 4 && c[3] > 0)) return c.slice(0, 3);
          }
          return [255, 255, 255];
        };
        let worst = { ratio: 99, text: '' };
        for (const n of document.querySelectorAll('#preview *')) {
          const own = Array.from(n.childNodes).filter((c) => c.nodeType === 3).map((c) => c.textContent).join('').trim();
          if (!own) continue;
          let op = 1, top = n;
          for (let e = n; e && e.id !== 'preview'; e = e.parentElement) {
            const o = +getComputedStyle(e).opacity;
            if (o < 1) { op *= o; top = e; }
          }
          const backdrop = ground(top.parentElement);
          const bg = mix(ground(n), backdrop, op);
          const fg = mix(rgb(getComputedStyle(n).color).slice(0, 3), backdrop, op);
          const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
          const ratio = (hi + 0.05) / (lo + 0.05);
          if (ratio < worst.ratio) worst = { ratio, text: own };
        }
        return worst;
      });
      assert(worst.ratio >= 4.5, `${prio}: "${worst.text}" at ${worst.ratio.toFixed(2)}:1`);
    }
    await page.selectOption('#ann-priority', 'info');
    await page.locator('#preview').screenshot({ path: join(SHOTS, 'console-apercu.png') });
  });

  await step('console-signature-edited', async () => {
    await show('annonces');
    assert(await page.inputValue('#ann-author') === SIGNATURE, 'the form shows the account\'s signature');
    await page.fill('#ann-author', 'Délégation ESS');
    const title = `Forum de l’emploi solidaire ${Date.now()}`;
    await page.fill('#ann-title', title);
    await page.fill('#ann-body', 'Rencontrez les structures de l’économie sociale et solidaire qui recrutent.');
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/v1/push') && r.status() === 200),
      page.click('#ann-submit'),
    ]);
    const row = await until(async () => {
      const page2 = await (await fetch(`${HUB}/v1/changes?since=0&limit=5000`, { headers: { Authorization: `Bearer ${KIOSK_TOKEN}` } })).json();
      const c = page2.changes.find((x) => x.table === 'announcement' && x.op === 'upsert' && x.row.title === title);
      return c && c.row;
    }, 3000, 'the announcement in the hub');
    assert(row.author === 'Délégation ESS', `author: ${row.author}`);
    assert(hubSql("SELECT signature FROM staff_user WHERE name = 'anne'") === 'Délégation ESS', 'kept for the account');
    assert(await page.inputValue('#ann-author') === 'Délégation ESS', 'the form keeps it for the next one');
  });

  const ideaId = `idee-test-${Date.now()}`;
  const ideaText = '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2"> Un jardin partagé derrière la gare';
  await step('console-idea-shown-as-text', async () => {
    const r = kioskPush([{ id: `kiosk-mairie:${ideaId}`, table: 'proposal', op: 'upsert',
      row: { id: ideaId, text: ideaText, domain: 'environnement', author_name: '<b>Zoé</b>', status: 'submitted' } }]);
    assert(r[0].status === 'applied', `kiosk push: ${JSON.stringify(r[0])}`);
    await show('idees');
    const item = page.locator(`#idea-list li[data-id="${ideaId}"]`);
    await item.waitFor({ state: 'visible', timeout: 5000 });
    const text = await item.locator('.item-text').textContent();
    assert(text === ideaText, `shown as text: ${text}`);
    const injected = await page.evaluate(() => ({
      xss: window.__xss, tags: document.querySelectorAll('#idea-list script, #idea-list img, #idea-list b').length,
    }));
    assert(injected.xss === undefined && injected.tags === 0, `nothing injected: ${JSON.stringify(injected)}`);
    const count = await page.locator('#count-ideas').textContent();
    assert(+count >= 1, `pending count in the tab: ${count}`);
    await shot('idees');
  });

  await step('console-moderate-idea', async () => {
    const item = page.locator(`#idea-list li[data-id="${ideaId}"]`);
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/v1/push') && r.status() === 200),
      item.getByRole('button', { name: /^Publier/ }).click(),
    ]);
    const row = await until(async () => { const r = await hubRow('proposal', ideaId); return r && r.status === 'published' && r; }, 3000, 'published in the hub');
    assert(row.text === ideaText, 'text unchanged');
    await until(() => { try { return sql(REPLICA, `SELECT status FROM proposal WHERE id = '${ideaId}'`) === 'published'; } catch { return false; } }, 3000, 'published on the kiosk replica');
  });

  /* What became of the idea: an outcome that decides without the city's
   * answer is refused beside the answer field, before any push; with it,
   * both reach the hub and the kiosk's replica. */
  await step('console-answer-idea', async () => {
    await page.click('[data-idea-filter="published"]');
    const item = page.locator(`#idea-list li[data-id="${ideaId}"]`);
    await item.getByRole('button', { name: /^Répondre/ }).click();
    await page.locator('#idea-form').waitFor({ state: 'visible' });
    await page.selectOption('#idea-outcome', 'retenue');
    await page.fill('#idea-answer', '   ');
    let pushed = false;
    const seen = (r) => { if (r.url().endsWith('/v1/push')) pushed = true; };
    page.on('request', seen);
    await page.click('#idea-save');
    const err = await until(async () => page.locator('#idea-answer-error').textContent(), 2000, 'an error beside the answer');
    page.off('request', seen);
    assert(/réponse de la ville/.test(err) && !pushed, `refused before sending: ${err} (pushed: ${pushed})`);
    assert(await page.locator('[data-field="answer"].has-error').count() === 1, 'the answer field marked');
    assert(await page.evaluate(() => document.activeElement.id) === 'idea-answer', 'the answer field has the focus');
    await shot('idees-reponse-erreur', { fullPage: false });
    const answer = 'Une parcelle du parc des Blagis lui est réservée au printemps.';
    await page.fill('#idea-answer', answer);
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/v1/push') && r.status() === 200),
      page.click('#idea-save'),
    ]);
    await page.locator('#idea-form').waitFor({ state: 'hidden' });
    const row = await until(async () => { const r = await hubRow('proposal', ideaId); return r && r.outcome === 'retenue' && r; }, 3000, 'the outcome in the hub');
    assert(row.answer === answer && row.status === 'published' && row.supports === 0, `hub row: ${JSON.stringify(row)}`);
    await until(() => { try { return sql(REPLICA, `SELECT outcome || '|' || answer FROM proposal WHERE id = '${ideaId}'`) === `retenue|${answer}`; } catch { return false; } }, 3000, 'the answer on the kiosk replica');
    await until(async () => /Retenue/.test(await item.textContent()) && (await item.textContent()).includes(answer), 3000, 'the list shows the outcome and answer');
    await shot('idees-reponse', { fullPage: false });
  });

  /* Submits the content form; the push's response when one is sent. */
  async function saveContent(expectPush) {
    if (!expectPush) {
      let pushed = false;
      const seen = (r) => { if (r.url().endsWith('/v1/push')) pushed = true; };
      page.on('request', seen);
      await page.click('#content-save');
      await until(async () => (await page.locator('#content-form .field-error:not(:empty)').count()) > 0, 2000, 'an error beside a field');
      page.off('request', seen);
      assert(!pushed, 'nothing sent to the hub');
      return null;
    }
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/v1/push')),
      page.click('#content-save'),
    ]);
    return res;
  }
  async function fieldError(col) {
    const err = page.locator(`#cf-${col}-error`);
    await until(async () => (await err.textContent()).length > 0, 2000, `error text beside ${col}`);
    assert(await page.locator(`#content-form [data-field="${col}"].has-error`).count() === 1, `the ${col} field is marked`);
    assert(await page.evaluate(() => document.activeElement.id) === `cf-${col}`, `focus moved to ${col}`);
    return err.textContent();
  }

  await step('console-validation-error-beside-field', async () => {
    await show('contenus');
    await page.click('#content-new');
    await page.fill('#cf-title', 'T'.repeat(130));
    await page.fill('#cf-summary', 'Un atelier de réparation de vélos tenu par des bénévoles.');
    await page.fill('#cf-description', 'Chaque samedi matin, des bénévoles aident à réparer son vélo.');
    await page.fill('#cf-carrier', 'Association Vélo Sceaux');
    await saveContent(false);
    const max = (await (await fetch(`${HUB}/v1/console/schema`)).json()).tables.initiative.find((c) => c.name === 'title').max;
    const long = await fieldError('title');
    assert(long === `Trop long : ${max} caractères au plus.`, `French, from the schema's length: ${long}`);
    await shot('contenus-erreur');
    await page.fill('#cf-title', '   ');
    await saveContent(false);
    const empty = await fieldError('title');
    assert(empty === 'Ce champ est obligatoire.', `an empty title: ${empty}`);
    await shot('contenus-titre-vide');
    await page.fill('#cf-title', 'Atelier vélo solidaire');
    const res = await saveContent(true);
    assert(res.status() === 200, `push: ${res.status()}`);
    await until(async () => (await page.locator('#cf-title-error').textContent()) === '', 2000, 'error cleared');
    await until(() => page.evaluate(() => Array.from(document.querySelectorAll('#content-list .item-title')).some((e) => e.textContent === 'Atelier vélo solidaire')), 3000, 'listed');
    await shot('contenus');
  });

  await step('console-hub-error-in-french', async () => {
    // A rule only the hub checks (an event ending before it starts): its
    // refusal is shown in French beside the field, never in English.
    await page.click('[data-kind="event"]');
    await page.fill('#cf-title', 'Conférence sur l’habitat participatif');
    await page.fill('#cf-description', 'Trois projets sceaux présentés par leurs habitants.');
    await page.fill('#cf-starts_at', `${parisToday(3).text}T18:00`);
    await page.fill('#cf-ends_at', `${parisToday(3).text}T17:00`);
    const res = await saveContent(true);
    const r = (await res.json()).results[0];
    assert(r.status === 'rejected' && r.field === 'ends_at' && /[a-z]/.test(r.message), `hub answer: ${JSON.stringify(r)}`);
    const text = await fieldError('ends_at');
    assert(text === 'La fin doit venir après le début, et pas dans le passé.', `French beside the end: ${text}`);
    assert(!(await page.locator('#content-form').textContent()).includes(r.message), 'the English message is not shown');
    await shot('evenement-erreur-hub');
    await page.click('[data-kind="initiative"]');
  });

  await step('console-event-repetition', async () => {
    // An event repeated every month on its start's Nth weekday until a
    // date: one row with its rule; reopened, the form shows the choice.
    await show('contenus');
    await page.click('[data-kind="event"]');
    await page.click('#content-new');
    const day = parisToday(9);
    const wd = new Date(Date.UTC(day.y, day.m - 1, day.d)).getUTCDay();
    const rank = Math.ceil(day.d / 7) === 5 ? -1 : Math.ceil(day.d / 7);
    const names = ['dimanche', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi'];
    await page.fill('#cf-title', 'Up Café du réseau');
    await page.fill('#cf-description', 'Le rendez-vous mensuel des porteurs d’initiatives.');
    await page.fill('#cf-starts_at', `${day.text}T10:00`);
    await page.fill('#cf-ends_at', `${day.text}T11:30`);
    const label = (await page.locator('#cf-rrule-monthly').textContent()).trim();
    const nth = rank === -1 ? 'dernier' : rank === 1 ? '1er' : `${rank}e`;
    assert(label === `Chaque mois, le ${nth} ${names[wd]}`, `the monthly choice follows the start: ${label}`);
    assert(await page.locator('#cf-rrule-until').isHidden(), 'no end date without a repetition');
    await page.selectOption('#cf-rrule', 'monthly');
    const until = parisToday(200);
    await page.fill('#cf-rrule-until', until.text);
    await shot('evenement-repetition');
    const res = await saveContent(true);
    assert(res.status() === 200 && (await res.json()).results[0].status === 'applied', 'applied');
    const id = await page.evaluate(() => contentEditing);
    const row = await hubRow('event', id);
    const end = parisToIso(until.y, until.m, until.d, 23, 59).replace(/[-:]/g, '');
    const want = `FREQ=MONTHLY;BYDAY=${rank}${['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'][wd]};UNTIL=${end}`;
    assert(row && row.rrule === want, `the rule in the hub: ${row && row.rrule}, wanted ${want}`);
    await page.click('[data-kind="initiative"]');
    await page.click('[data-kind="event"]');
    await page.locator('#content-list li', { hasText: 'Up Café du réseau' }).getByRole('button', { name: /Modifier/ }).click();
    assert(await page.inputValue('#cf-rrule') === 'monthly', 'reopened: every month');
    assert(await page.inputValue('#cf-rrule-until') === until.text, 'reopened: the end date');
    await page.selectOption('#cf-rrule', 'weekly');
    await page.fill('#cf-rrule-until', '');
    assert((await (await saveContent(true)).json()).results[0].status === 'applied', 'weekly applied');
    assert((await hubRow('event', id)).rrule === 'FREQ=WEEKLY', 'every week, with no end');
    await page.selectOption('#cf-rrule', '');
    assert((await (await saveContent(true)).json()).results[0].status === 'applied', 'once applied');
    assert((await hubRow('event', id)).rrule === null, 'no rule any more');
    await page.click('[data-kind="initiative"]');
  });

  await step('console-organization-offers', async () => {
    // What an actor offers and the stages it accompanies: a checkbox per
    // value, read from the hub's row and written back as a set; an event
    // links to an actor; a set value the hub refuses shows beside its field.
    await show('contenus');
    await page.click('[data-kind="organization"]');
    await page.locator('#content-list li', { hasText: 'Sceaux Smart' }).getByRole('button', { name: /Modifier/ }).click();
    assert(await page.isChecked('#cf-offers-local') && await page.isChecked('#cf-offers-reseau'), 'its offers are checked');
    assert(!(await page.isChecked('#cf-offers-financement')), 'what it does not offer is not');
    assert(await page.isChecked('#cf-stages-developpement'), 'its stages are checked');
    await page.check('#cf-offers-formation');
    await page.uncheck('#cf-stages-mise_en_oeuvre');
    await shot('organisation-offre');
    assert((await (await saveContent(true)).json()).results[0].status === 'applied', 'applied');
    const row = await hubRow('organization', 'org-sceaux-smart');
    assert(row.offers === 'local,formation,reseau' && row.stages === 'developpement', `in the hub: ${row.offers} / ${row.stages}`);
    await page.evaluate(() => { document.getElementById('cf-offers-conseil').value = 'garderie'; });
    await page.check('#cf-offers-conseil');
    const res = await saveContent(true);
    const r = (await res.json()).results[0];
    assert(r.status === 'rejected' && r.field === 'offers', `hub answer: ${JSON.stringify(r)}`);
    const err = page.locator('#cf-offers-error');
    await until(async () => (await err.textContent()).length > 0, 2000, 'error text beside offers');
    assert(await err.textContent() === 'Cochez des valeurs de la liste, chacune une fois.', `French beside offers: ${await err.textContent()}`);
    assert(await page.locator('#content-form [data-field="offers"].has-error').count() === 1, 'the offers field is marked');
    assert((await hubRow('organization', 'org-sceaux-smart')).offers === 'local,formation,reseau', 'nothing changed');
    await page.click('[data-kind="event"]');
    await page.locator('#content-list li', { hasText: 'Up Café du réseau' }).getByRole('button', { name: /Modifier/ }).click();
    const id = await page.evaluate(() => contentEditing);
    await page.selectOption('#cf-organization_id', 'org-up-sceaux');
    assert((await (await saveContent(true)).json()).results[0].status === 'applied', 'link applied');
    assert((await hubRow('event', id)).organization_id === 'org-up-sceaux', 'the event names its actor');
    await page.click('[data-kind="initiative"]');
  });

  await step('console-picture-upload', async () => {
    // An organization's logo: a file that is not a picture is refused in
    // French beside the field; a generated PNG is checked by the hub, its
    // rendition previewed, the description asked for, then saved: the row
    // names the rendition. A second picture arrives by drag and drop.
    await show('contenus');
    await page.click('[data-kind="organization"]');
    await page.click('#content-new');
    await page.fill('#cf-name', 'Repair Café de Sceaux');
    await page.fill('#cf-description', 'Des bénévoles réparent avec vous vos objets du quotidien.');
    const noise = (name, w, h) => {
      const v = join(TMP, `${name}.v`);
      execFileSync('vips', ['gaussnoise', v, String(w), String(h)]);
      execFileSync('vips', ['cast', v, join(TMP, `${name}.png`), 'uchar']);
      return join(TMP, `${name}.png`);
    };
    const notes = join(TMP, 'notes.png');
    writeFileSync(notes, 'Pas une image : une liste de courses.');
    await page.setInputFiles('#cf-picture-file', notes);
    await until(async () => (await page.locator('#cf-picture-error').textContent()) === 'Ce fichier n’est pas une image JPEG ou PNG.', 5000, 'the refusal in French');
    await page.setInputFiles('#cf-picture-file', noise('logo', 640, 360));
    await until(() => page.evaluate(() => { const i = document.getElementById('cf-picture-preview'); return !i.hidden && i.complete && i.naturalWidth === 640; }), 5000, 'the rendition previewed');
    const up = { sha256: await page.inputValue('#cf-picture') };
    const blob = await fetch(`${HUB}/v1/blobs/${up.sha256}`, { headers: { Authorization: `Bearer ${KIOSK_TOKEN}` } });
    assert(blob.status === 200 && blob.headers.get('content-type') === 'image/png', `the rendition on the hub: ${blob.status}`);
    assert(await page.locator('#cf-picture-error').textContent() === '', 'the earlier refusal is gone');
    await saveContent(false);
    const alt = await fieldError('picture_alt');
    assert(alt === 'Décrivez l’image en quelques mots, pour les personnes qui ne la voient pas.', `a picture without words: ${alt}`);
    await page.fill('#cf-picture_alt', 'Logo du Repair Café : des points de toutes les couleurs');
    await shot('contenus-image');
    const saved = await saveContent(true);
    assert((await saved.json()).results[0].status === 'applied', 'applied');
    const id = await page.evaluate(() => contentEditing);
    let row = await hubRow('organization', id);
    assert(row && row.picture === up.sha256 && row.picture_alt.startsWith('Logo du Repair Café'), `the row: ${JSON.stringify(row)}`);
    const bytes = readFileSync(noise('logo2', 300, 300)).toString('base64');
    await page.evaluate((b64) => {
      const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([data], 'logo2.png', { type: 'image/png' }));
      document.getElementById('cf-picture-drop').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, bytes);
    await until(() => page.evaluate(() => { const i = document.getElementById('cf-picture-preview'); return i.complete && i.naturalWidth === 300; }), 5000, 'the dropped picture previewed');
    const dropped = await page.inputValue('#cf-picture');
    assert((await (await saveContent(true)).json()).results[0].status === 'applied', 'dropped picture applied');
    row = await hubRow('organization', id);
    assert(row.picture === dropped && dropped !== up.sha256, 'the row names the dropped picture');
    await page.click('[data-kind="initiative"]');
  });

  await step('console-announcement-picture', async () => {
    // The announcement form has the picture field too: the hub's
    // rendition previewed in the field and in the kiosk preview's card,
    // its description asked for beside it, the row naming the rendition,
    // and the picture back in the form when the announcement is edited.
    await show('annonces');
    await page.click('#ann-reset');
    const v = join(TMP, 'affiche.v');
    execFileSync('vips', ['gaussnoise', v, '800', '600']);
    execFileSync('vips', ['cast', v, join(TMP, 'affiche.jpg'), 'uchar']);
    const title = `Fête de la musique ${Date.now()}`;
    await page.fill('#ann-title', title);
    await page.fill('#ann-body', 'Scène ouverte au jardin de la Ménagerie, de 18 h à minuit.');
    await page.setInputFiles('#ann-picture-file', join(TMP, 'affiche.jpg'));
    await until(() => page.evaluate(() => { const i = document.getElementById('ann-picture-preview'); return !i.hidden && i.complete && i.naturalWidth === 800; }), 5000, 'the rendition previewed');
    const sha = await page.inputValue('#ann-picture');
    await until(() => page.evaluate((h) => { const i = document.querySelector('#preview .k-card .k-picture'); return !!i && i.src.endsWith(`/v1/blobs/${h}`) && i.complete && i.naturalWidth === 800; }, sha), 5000, 'the picture in the kiosk preview');
    await page.click('#ann-submit');
    const err = page.locator('#ann-picture_alt-error');
    await until(async () => (await err.textContent()).length > 0, 3000, 'the description asked for');
    assert(await err.textContent() === 'Décrivez l’image en quelques mots, pour les personnes qui ne la voient pas.', `beside the description: ${await err.textContent()}`);
    await page.fill('#ann-picture_alt', 'Affiche : une guitare sur fond orange');
    await shot('annonces-image');
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/v1/push')),
      page.click('#ann-submit'),
    ]);
    assert((await res.json()).results[0].status === 'applied', 'applied');
    const row = await until(async () => {
      const all = await (await fetch(`${HUB}/v1/changes?since=0&limit=5000`, { headers: { Authorization: `Bearer ${KIOSK_TOKEN}` } })).json();
      const c = all.changes.find((x) => x.table === 'announcement' && x.op === 'upsert' && x.row.title === title);
      return c && c.row;
    }, 3000, 'the announcement in the hub');
    assert(row.picture === sha && row.picture_alt === 'Affiche : une guitare sur fond orange', `the row: ${row.picture} / ${row.picture_alt}`);
    assert(await page.inputValue('#ann-picture') === '', 'the form is empty again');
    await until(() => page.evaluate((t) => Array.from(document.querySelectorAll('#ann-list .item-title')).some((e) => e.textContent === t), title), 3000, 'listed');
    await page.locator('#ann-list li', { hasText: title }).getByRole('button', { name: /Modifier/ }).click();
    await until(async () => await page.inputValue('#ann-picture') === sha, 3000, 'the picture back in the form');
    assert(await page.inputValue('#ann-picture_alt') === 'Affiche : une guitare sur fond orange', 'and its description');
    await page.click('#ann-reset');
  });

  await step('console-photo-reaches-kiosk-card', async () => {
    // End to end: a photo uploaded on an initiative in the console, the
    // row saved, the running syncd pulls the row then the picture into
    // its cache, and the kiosk (its script runner, on that replica)
    // draws the picture on the initiative's card, decoded, not its
    // placeholder, in landscape and in portrait. The first card of the
    // kiosk's list is the one given the photo, so it is on screen.
    const [id, title] = sql(REPLICA, 'SELECT id || \'|\' || title FROM initiative WHERE published = 1 ORDER BY supports DESC, title COLLATE NOCASE, id LIMIT 1').split('|');
    await show('contenus');
    await page.click('[data-kind="initiative"]');
    await page.locator('#content-list li', { hasText: title }).getByRole('button', { name: /Modifier/ }).click();
    const v = join(TMP, 'chantier.v');
    execFileSync('vips', ['gaussnoise', v, '1600', '1200']);
    execFileSync('vips', ['cast', v, join(TMP, 'chantier.jpg[Q=90]'), 'uchar']);
    await page.setInputFiles('#cf-picture-file', join(TMP, 'chantier.jpg'));
    await until(() => page.evaluate(() => { const i = document.getElementById('cf-picture-preview'); return !i.hidden && i.complete && i.naturalWidth === 1280; }), 10000, 'the rendition previewed');
    const sha = await page.inputValue('#cf-picture');
    const alt = `Le chantier de l’initiative, photo ${Date.now()}`;
    await page.fill('#cf-picture_alt', alt);
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/v1/push')),
      page.click('#content-save'),
    ]);
    assert((await res.json()).results[0].status === 'applied', 'applied');
    const t0 = Date.now();
    const cached = join(`${REPLICA}.pictures`, sha);
    await until(() => existsSync(cached), 15000, 'the picture in syncd\'s cache');
    const ms = Date.now() - t0;
    const script = join(TMP, 'kiosk-photo.script');
    writeFileSync(script, `tap Initiatives\nwait-picture ${alt}\ndump ${join(TMP, 'photo-landscape.json')}\nscreenshot ${join(SHOTS, 'console-kiosk-photo-landscape.png')}\n`
      + `size 1080x1920\nwait-picture ${alt}\ndump ${join(TMP, 'photo-portrait.json')}\nscreenshot ${join(SHOTS, 'console-kiosk-photo-portrait.png')}\nquit\n`);
    execFileSync(join(BIN, 'sceaux-kiosk'), ['--db', REPLICA, '--kiosk', 'kiosk-mairie',
      '--site', 'site-hotel-de-ville', '--script', script],
    { env: { ...process.env, SDL_VIDEODRIVER: 'dummy', SDL_RENDER_DRIVER: 'software' }, stdio: ['ignore', 'ignore', 'pipe'] });
    for (const o of ['landscape', 'portrait']) {
      const dump = JSON.parse(readFileSync(join(TMP, `photo-${o}.json`), 'utf8'));
      const pic = dump.elements.find((e) => e.label === alt);
      assert(pic && pic.role === 'picture', `${o}: the card's picture drawn: ${JSON.stringify(pic)}`);
      assert(dump.elements.some((e) => e.label.includes(title.slice(0, 20))), `${o}: on the card of ${id}`);
    }
    console.log(`# ${id}: in syncd's cache ${ms} ms after the save`);
  });

  await step('console-delete-with-confirmation', async () => {
    await show('contenus');
    const item = page.locator('#content-list li', { hasText: 'Atelier vélo solidaire' });
    await item.getByRole('button', { name: /Modifier/ }).click();
    const id = await page.evaluate(() => contentEditing);
    assert(await hubRow('initiative', id), 'the initiative is in the hub');
    await page.click('#content-delete');
    const dialog = page.locator('#confirm');
    await dialog.waitFor({ state: 'visible' });
    assert(/Atelier vélo solidaire/.test(await dialog.textContent()), 'the dialog names the initiative');
    await shot('contenus-suppression', { fullPage: false });
    await page.click('#confirm-cancel');
    await dialog.waitFor({ state: 'hidden' });
    assert(await hubRow('initiative', id), 'cancelled: still in the hub');
    await page.click('#content-delete');
    await dialog.waitFor({ state: 'visible' });
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/v1/push') && r.status() === 200),
      page.click('#confirm-ok'),
    ]);
    await until(async () => !(await hubRow('initiative', id)), 3000, 'deleted in the hub');
    await until(async () => (await item.count()) === 0, 3000, 'gone from the list');
    await until(() => { try { return sql(REPLICA, `SELECT count(*) FROM initiative WHERE id = '${id}'`) === '0'; } catch { return false; } }, 3000, 'gone from the kiosk replica');
  });

  await step('console-figure-edit-reaches-kiosk', async () => {
    // A key figure of "L'ESS en chiffres": a percentage over 100 is refused
    // by the hub, in French beside the value; fixed, it reaches the kiosk
    // replica through syncd and the kiosk draws the bar with it.
    await show('contenus');
    await page.click('[data-kind="figure"]');
    await page.locator('#content-list li', { hasText: 'Santé' }).getByRole('button', { name: /Modifier/ }).click();
    assert(await page.inputValue('#cf-value') === '19', 'the bundled value');
    await page.fill('#cf-value', '119');
    const r = (await (await saveContent(true)).json()).results[0];
    assert(r.status === 'rejected' && r.field === 'value', `hub answer: ${JSON.stringify(r)}`);
    const text = await fieldError('value');
    assert(text === 'Indiquez un nombre entier, 0 ou plus (100 au plus pour un pourcentage).', `French beside the value: ${text}`);
    await shot('chiffres-erreur');
    await page.fill('#cf-value', '21');
    await page.fill('#cf-year', '2016');
    assert((await (await saveContent(true)).json()).results[0].status === 'applied', 'applied');
    await until(() => { try { return sql(REPLICA, "SELECT value || ' ' || year FROM figure WHERE id = 'fig-emplois-sante'") === '21 2016'; } catch { return false; } }, 3000, 'on the kiosk replica');
    const script = join(TMP, 'kiosk-figures.script');
    const dump = join(TMP, 'kiosk-figures.json');
    writeFileSync(script, `size 1080x1920\ntap Chiffres\ndump ${dump}\nquit\n`);
    execFileSync(join(BIN, 'sceaux-kiosk'), ['--db', REPLICA, '--kiosk', 'kiosk-mairie',
      '--site', 'site-hotel-de-ville', '--script', script],
    { env: { ...process.env, SDL_VIDEODRIVER: 'dummy', SDL_RENDER_DRIVER: 'software' }, stdio: ['ignore', 'ignore', 'pipe'] });
    const bars = JSON.parse(readFileSync(dump, 'utf8')).elements.filter((e) => e.role === 'bar').map((e) => e.label);
    assert(bars.includes('Santé\u00a0: 21\u00a0%'), `the kiosk's bars: ${JSON.stringify(bars)}`);
    await page.click('[data-kind="initiative"]');
  });

  await step('console-cancel-booking', async () => {
    const day = parisToday(1);
    const id = `resa-test-${Date.now()}`;
    const r = kioskPush([{ id: `kiosk-mairie:${id}`, table: 'booking', op: 'upsert', row: {
      id, room_id: 'room-hdv-associations', starts_at: parisToIso(day.y, day.m, day.d, 10, 0),
      ends_at: parisToIso(day.y, day.m, day.d, 11, 30), holder: 'Club d’échecs', purpose: 'Tournoi des jeunes',
      status: 'confirmed', cancel_code: '482913' } }]);
    assert(r[0].status === 'applied', `kiosk booking: ${JSON.stringify(r[0])}`);
    await show('reservations');
    await until(() => page.evaluate(() => document.querySelectorAll('#booking-room option').length > 0), 3000, 'rooms listed');
    await page.selectOption('#booking-room', 'room-hdv-associations');
    await page.fill('#booking-day', day.text);
    await page.dispatchEvent('#booking-day', 'change');
    const btn = page.getByRole('button', { name: /Annuler la réservation de Club/ });
    await until(async () => (await btn.count()) === 1, 5000, 'the booking listed');
    await shot('reservations');
    await btn.click();
    await until(async () => { const row = await hubRow('booking', id); return row && row.status === 'cancelled'; }, 3000, 'cancelled in the hub');
  });

  await step('console-help-offers-by-initiative-passed-on', async () => {
    const stamp = Date.now();
    const offers = [
      { id: `offre-a-${stamp}`, initiative_id: 'ini-repair-cafe', first_name: 'Camille', contact: `camille.${stamp}@example.org` },
      { id: `offre-b-${stamp}`, initiative_id: 'ini-repair-cafe', first_name: '<b>Noé</b>', contact: '06 12 34 56 78' },
      { id: `offre-c-${stamp}`, initiative_id: 'ini-cafe-entrepreneurs', first_name: 'Inès', contact: `ines.${stamp}@example.org` },
    ];
    const r = kioskPush(offers.map((o) => ({ id: `kiosk-mairie:${o.id}`, table: 'help_offer', op: 'upsert',
      row: { ...o, consent: true, status: 'new' } })));
    assert(r.every((x) => x.status === 'applied'), `kiosk offers: ${JSON.stringify(r)}`);
    await show('engagements');
    const repair = page.locator('#offer-groups section[data-initiative="ini-repair-cafe"]');
    await until(async () => (await repair.locator('li').count()) === 2, 5000, 'two offers under the repair café');
    assert(await repair.locator('h2').textContent() === 'Repair café mensuel', 'the initiative names the group');
    assert((await repair.textContent()).includes('Collectif Répar’Sceaux'), 'its carrier, to pass them on');
    assert(await page.locator('#offer-groups section[data-initiative="ini-cafe-entrepreneurs"] li').count() === 1, 'the other initiative its own');
    assert((await repair.textContent()).includes('<b>Noé</b> · 06 12 34 56 78'), 'names shown as text');
    assert(await page.locator('#offer-groups b').count() === 0, 'nothing injected');
    assert(+(await page.locator('#count-offers').textContent()) >= 3, 'the tab counts them');
    assert(await page.locator('#offer-days').textContent() === '30', 'the hub\'s retention told');
    await shot('engagements');
    await Promise.all([
      page.waitForResponse((x) => x.url().endsWith('/v1/push') && x.status() === 200),
      page.locator(`li[data-id="offre-a-${stamp}"]`).getByRole('button', { name: /^Marquer transmise/ }).click(),
    ]);
    await until(() => hubSql(`SELECT status FROM help_offer WHERE id = 'offre-a-${stamp}'`) === 'passed_on', 3000, 'passed on in the hub');
    await until(async () => (await repair.locator('li').count()) === 1, 3000, 'no longer to pass on');
    await page.click('[data-offer-filter="passed_on"]');
    await until(async () => (await page.locator(`li[data-id="offre-a-${stamp}"]`).count()) === 1, 3000, 'listed as passed on');
    await page.click('[data-offer-filter="new"]');
    /* The kiosk that sent them receives none, and its replica has no such table. */
    const res = await fetch(`${HUB}/v1/changes?since=0&limit=5000`, { headers: { Authorization: `Bearer ${KIOSK_TOKEN}` } });
    assert(!(await res.json()).changes.some((c) => c.table === 'help_offer'), 'no offer in a kiosk pull');
    assert(sql(REPLICA, "SELECT count(*) FROM sqlite_master WHERE name = 'help_offer'") === '0', 'no table in the replica');
  });

  await step('console-fleet-shows-kiosk-offline', async () => {
    await show('parc');
    const row = page.locator('#fleet-body tr[data-kiosk="kiosk-mairie"]');
    await until(async () => (await row.count()) === 1 && /En ligne/.test(await row.textContent()), 5000, 'online while syncd runs');
    await shot('parc');
    await stopSyncd();
    /* The stopped daemon's long-poll is parked on the hub until a commit
     * answers it: commit something, as life would. */
    kioskPush([{ id: `kiosk-mairie:idee-${Date.now()}`, table: 'proposal', op: 'upsert',
      row: { id: `idee-apres-${Date.now()}`, text: 'Des bancs le long de la coulée verte.', status: 'submitted' } }]);
    await until(async () => /Hors ligne/.test(await row.textContent()), 8000, 'offline after the syncd stopped');
    assert(await page.locator('#fleet-body tr.offline[data-kiosk="kiosk-mairie"]').count() === 1, 'the row stands out');
    const badge = await page.locator('#count-offline').textContent();
    assert(badge === '1', `offline count in the tab: ${badge}`);
    await shot('parc-hors-ligne');
  });

  await step('console-fleet-shows-kiosk-fault', async () => {
    await show('parc');
    const row = page.locator('#fleet-body tr[data-kiosk="kiosk-mairie"]');
    /* A pull as the kiosk's syncd sends it while its disk is full
     * (tests/integration/sync_faults.sh runs the real one on a full disk). */
    const pull = async (fault) => {
      const headers = { Authorization: `Bearer ${KIOSK_TOKEN}` };
      if (fault) headers['X-Sceaux-Fault'] = fault;
      const res = await fetch(`${HUB}/v1/changes?since=0&limit=1`, { headers });
      assert(res.status === 200, `pull: ${res.status}`);
      await res.text();
    };
    await pull('disk_full');
    await page.evaluate(() => loadFleet());
    await until(async () => /Disque plein/.test(await row.textContent()), 5000, 'the fault beside the kiosk');
    const th = await row.locator('th').textContent();
    assert(th.includes('kiosk-mairie') && th.includes('libérer de la place') && !th.includes('disk_full'), `in French beside the kiosk: ${th}`);
    const stats = await page.locator('#fleet-stats').textContent();
    assert(/1\s*en panne sur place/.test(stats), `counted: ${stats}`);
    await shot('parc-panne');
    await pull(null);
    await page.evaluate(() => loadFleet());
    await until(async () => !/Disque plein/.test(await row.textContent()), 5000, 'gone after a request without a fault');
    assert(!/en panne/.test(await page.locator('#fleet-stats').textContent()), 'no fault counted');
  });

  const adminTitle = `Fermeture exceptionnelle de la médiathèque ${Date.now()}`;
  await step('console-audit-lists-sceaux-admin-announce', async () => {
    execFileSync(join(BIN, 'sceaux-admin'), ['--hub', HUB, '--token-file', STAFF_TOKEN_FILE, 'announce',
      '--title', adminTitle, '--body', 'La médiathèque ferme samedi pour inventaire.'], { stdio: ['ignore', 'ignore', 'pipe'] });
    await show('journal');
    await page.evaluate(() => loadAudit());
    const row = page.locator('#audit-body tr', { hasText: adminTitle });
    await until(async () => (await row.count()) === 1, 3000, 'the sceaux-admin announcement in the journal');
    const text = await row.textContent();
    assert(text.includes(STAFF_TOKEN_NAME) && text.includes('annonce') && text.includes('fait'), `journal row: ${text}`);
  });

  await step('console-audit-trail', async () => {
    await show('journal');
    await until(() => page.evaluate(() => Array.from(document.querySelectorAll('#audit-body tr')).filter((tr) => tr.textContent.includes('anne')).length >= 4), 3000, 'anne\'s changes in the journal');
    const txt = await page.locator('#audit-body').textContent();
    assert(txt.includes('idée') && txt.includes('annonce'), 'tables named');
    /* The refused event of console-hub-error-in-french, in French. */
    const refused = await page.locator('#audit-body tr', { hasText: 'Conférence sur l’habitat participatif' }).textContent();
    assert(refused.includes('La fin doit venir après le début') && !/must|before|starts/.test(refused), `refused, in French: ${refused}`);
    assert(txt.includes('publiée') && txt.includes('annulée') && !/published|cancelled/.test(txt), 'statuses in French');
    await shot('journal');
  });

  await step('console-keyboard-and-labels', async () => {
    for (const view of ['annonces', 'idees', 'parc', 'contenus', 'reservations', 'journal']) {
      await show(view);
      const unlabelled = await page.evaluate(() => Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea'))
        .filter((e) => e.offsetParent !== null && e.labels.length === 0 && !e.getAttribute('aria-label')).map((e) => e.id || e.name));
      assert(unlabelled.length === 0, `${view}: fields without a label: ${unlabelled}`);
      const total = await page.evaluate(() => {
        let n = 0;
        for (const e of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea')) {
          if (e.offsetParent === null || e.disabled || e.tabIndex < 0) continue;
          e.dataset.kb = String(n++);
        }
        document.activeElement && document.activeElement.blur();
        return n;
      });
      const seen = new Set();
      await page.evaluate(() => document.body.focus());
      for (let i = 0; i < total + 12 && seen.size < total; i++) {
        await page.keyboard.press('Tab');
        const k = await page.evaluate(() => document.activeElement && document.activeElement.dataset.kb);
        if (k !== undefined) seen.add(k);
      }
      /* Radio groups take one Tab stop: their other options are reached with arrows. */
      const radios = await page.evaluate(() => Array.from(document.querySelectorAll('input[type=radio]')).filter((e) => e.offsetParent !== null && !e.checked).map((e) => e.dataset.kb));
      for (const r of radios) seen.add(r);
      assert(seen.size === total, `${view}: ${seen.size} of ${total} controls reached with Tab`);
    }
    await show('contenus');
    await page.click('#content-new');
    await page.focus('#cf-title');
    await page.keyboard.type('Répar’café du samedi');
    await page.fill('#cf-summary', 'Réparer plutôt que jeter.');
    await page.fill('#cf-description', 'Des bénévoles réparent petit électroménager et vêtements.');
    await page.fill('#cf-carrier', 'Sceaux en transition');
    await page.focus('#cf-title');
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/v1/push')),
      page.keyboard.press('Enter'),
    ]);
    assert(res.status() === 200, 'Enter submits the form');
  });

  await step('console-tablet-layout', async () => {
    await page.setViewportSize({ width: 820, height: 1180 });
    await show('annonces');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
    assert(!overflow, 'no horizontal scrolling on a tablet');
    await shot('annonces-tablette');
    await show('parc');
    await shot('parc-tablette');
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  await step('console-logout', async () => {
    const cookies = await context.cookies();
    const c = cookies.find((x) => x.name === 'sceaux_session');
    assert(c && c.httpOnly && c.sameSite === 'Strict', `cookie: ${JSON.stringify(c)}`);
    await page.click('#logout');
    await page.locator('#login-form').waitFor({ state: 'visible' });
    const res = await fetch(`${HUB}/v1/console/session`, { headers: { Cookie: `${c.name}=${c.value}` } });
    assert(res.status === 401, `the old session after logout: ${res.status}`);
  });

  await step('console-no-page-errors', async () => {
    // Answers the console expects: a refused login or upload, a busy hub.
    const real = pageErrors.filter((e) => !/status of 40[013]|status of 429/.test(e));
    assert(real.length === 0, real.join(' | '));
  });
} finally {
  await stopSyncd();
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
process.exit(failures ? 1 : 0);
