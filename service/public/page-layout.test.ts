import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RunningServer } from '../src/server';
import { type FaultProxy, startFaultProxy } from '../test/fault-proxy';
import { hasChromium, launchChromium, servePage, watch } from '../test/page-browser';

if (!hasChromium)
  console.warn('page-layout.test.ts: skipped, chromium is not installed (apt-get install chromium)');

/** Screenshots land here for a human to look at; the assertions below are what the test checks. */
const SHOTS = fileURLToPath(new URL('../../build/page-screenshots/', import.meta.url));
const POLL = { timeout: 10_000, interval: 50 };

// Same surname twice and long words, so sorting and wrapping are both exercised.
const GUESTS = [
  ['100000001', 'Noa', 'Katz', 2, 'noa.katz@example.com'],
  ['100000002', 'Avi', 'Katz', 1, 'avi@example.com'],
  ['100000003', 'Maximilian', 'Abramovich-Rosenberg', 4, 'maximilian.abramovich-rosenberg@example.com'],
  ['100000004', 'Dana', 'Levi', 3, 'dana@example.com'],
  ['100000005', 'Yael', 'Ben-David', 2, 'yael.ben.david@example.org'],
] as const;

async function post(server: RunningServer, guest: (typeof GUESTS)[number]): Promise<void> {
  const [id, firstname, surname, quantity, email] = guest;
  const res = await fetch(`${server.url}/guests`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id, firstname, surname, quantity, phone: '0501234567', email }),
  });
  expect(res.status).toBe(201);
}

/** Elements whose box crosses the viewport's right edge (visually hidden ones excepted), and the page's scroll width. */
function overflow(page: Page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const clipped = (el: Element) => {
      for (let e: Element | null = el; e; e = e.parentElement) {
        if (getComputedStyle(e).clipPath !== 'none') return true;
      }
      return false;
    };
    const offenders = Array.from(document.body.querySelectorAll('*'))
      .filter((el) => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && (r.right > width + 0.5 || r.left < -0.5) && !clipped(el);
      })
      .map((el) => `${el.tagName.toLowerCase()}#${el.id}.${el.className}: ${el.textContent?.slice(0, 30)}`);
    return { offenders, scrollWidth: document.documentElement.scrollWidth, width };
  });
}

/** Words (of visible headers, cells and buttons) whose letters lie on more than one line. */
function brokenWords(page: Page, selector: string) {
  return page.evaluate((sel) => {
    const broken: string[] = [];
    for (const el of Array.from(document.querySelectorAll(sel))) {
      if (!(el as HTMLElement).checkVisibility() || getComputedStyle(el).clipPath !== 'none') continue;
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent ?? '';
        for (const match of text.matchAll(/\S+/g)) {
          const range = document.createRange();
          range.setStart(node, match.index);
          range.setEnd(node, match.index + match[0].length);
          const tops = new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top)));
          if (tops.size > 1) broken.push(match[0]);
        }
      }
    }
    return broken;
  }, selector);
}

describe.skipIf(!hasChromium)('guest page layout at 1280 px and 390 px (headless Chromium)', () => {
  // The project's shared DynamoDB Local: the outage below is made by a proxy in front of it, not by stopping it.
  const endpoint = inject('ddbEndpoint');
  const tableName = (base: string) => `${base}-${Date.now().toString(36)}`;
  let browser: Browser;
  let server: RunningServer;
  const servers: RunningServer[] = [];
  let proxy: FaultProxy | undefined;

  beforeAll(async () => {
    [browser] = await Promise.all([launchChromium(), mkdir(SHOTS, { recursive: true })]);
    server = await servePage(endpoint, tableName('page-layout'));
    servers.push(server);
    for (const guest of GUESTS) await post(server, guest);
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all(servers.map((s) => s.close()));
    await proxy?.close();
  });

  it.each([
    [1280, 800],
    [390, 844],
  ])(
    'should fit %i px: no overflow, no word broken, count, sorted rows, favicon, no console error',
    async (width, height) => {
      const page = await browser.newPage({ viewport: { width, height } });
      const watched = watch(page);
      await page.goto(server.url);
      const rows = page.locator('#guest-rows tr');
      await expect.poll(() => rows.count(), POLL).toBe(GUESTS.length);
      await expect.poll(() => page.locator('#guest-count').textContent(), POLL).toBe('5 guests');
      await page.screenshot({ path: `${SHOTS}guests-${width}.png`, fullPage: true });

      expect(await overflow(page)).toEqual({ offenders: [], scrollWidth: width, width });
      expect(
        await brokenWords(page, 'th, h1, h2, label, button, td.col-id, td.col-firstname, td.col-quantity'),
      ).toEqual([]);
      // Surname, then first name: the two Katzes in a fixed order.
      const names = await page
        .locator('#guest-rows tr')
        .evaluateAll((trs) =>
          trs.map(
            (tr) =>
              `${tr.querySelector('.col-surname')?.textContent} ${tr.querySelector('.col-firstname')?.textContent}`,
          ),
        );
      expect(names).toEqual([
        'Abramovich-Rosenberg Maximilian',
        'Ben-David Yael',
        'Katz Avi',
        'Katz Noa',
        'Levi Dana',
      ]);
      expect(
        await page.evaluate(() => document.querySelector('link[rel="icon"]')?.getAttribute('href')),
      ).toBe('/favicon.svg');
      const favicon = await page.request.get(`${server.url}/favicon.svg`);
      expect(favicon.status()).toBe(200);
      expect(favicon.headers()['content-type']).toBe('image/svg+xml');
      expect(watched.errors).toEqual([]);
      expect(watched.failedResponses).toEqual([]);
      await page.close();
    },
  );

  it.each([1280, 390])(
    'should take the first click on Add guest at %i px when leaving a field shows its error',
    async (width) => {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      await page.goto(server.url);
      await page.getByLabel('ID number', { exact: true }).fill('200000001');
      await page.getByLabel('First name', { exact: true }).fill('Rina');
      await page.getByLabel('Surname', { exact: true }).fill('Cohen');
      await page.getByLabel('Phone', { exact: true }).fill('0501234567');
      // The email field keeps the focus with a value its rule refuses.
      await page.getByLabel('Email', { exact: true }).fill('rina@example');
      const button = page.getByRole('button', { name: 'Add guest' });
      const box = await button.boundingBox();
      if (box === null) throw new Error('Add guest has no box');
      // One real press and release at the spot the user sees the button: blur happens on the press.
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.up();
      await expect
        .poll(() => page.locator('#form-message').textContent(), POLL)
        .toBe('Please fix the marked fields.');
      expect(await page.locator('#email-error').textContent()).toBe(
        "Email 'rina@example' must be a valid address of at most 254 characters",
      );

      // Fixed: the very next single click adds the guest.
      await page.getByLabel('Email', { exact: true }).fill('rina@example.com');
      const after = await button.boundingBox();
      if (after === null) throw new Error('Add guest has no box');
      await page.mouse.move(after.x + after.width / 2, after.y + after.height / 2);
      await page.mouse.down();
      await page.mouse.up();
      await expect.poll(() => page.getByRole('status').textContent(), POLL).toBe('Added guest Rina Cohen.');
      const deleted = await fetch(`${server.url}/guests?limit=1000`).then((r) => r.json());
      const seq = Object.values(deleted as Record<string, { id: string; seq_num: string }>).find(
        (g) => g.id === '200000001',
      );
      await fetch(`${server.url}/guests/${seq?.seq_num}`, { method: 'DELETE' });
      await page.close();
    },
  );

  it('should show a friendly message with a retry while the database is down, never its internals', async () => {
    proxy = await startFaultProxy({ upstreamPort: Number(new URL(endpoint).port) });
    const behind = await servePage(proxy.endpoint, tableName('page-outage'), {}, endpoint);
    servers.push(behind);
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await proxy.setFault({ kind: 'refuse' });
    await page.goto(behind.url);
    const alert = page.locator('#list-error');
    await alert.waitFor({ state: 'visible', timeout: 10_000 });
    await page.screenshot({ path: `${SHOTS}outage-390.png`, fullPage: true });
    expect(await alert.locator('p').textContent()).toBe(
      'The guest list is unavailable right now. Please try again in a moment.',
    );
    const text = (await page.locator('body').textContent()) ?? '';
    for (const internal of ['DynamoDB', 'ECONNREFUSED', 'Storage unavailable', 'Scan']) {
      expect(text).not.toContain(internal);
    }
    expect(await page.locator('#loading').isHidden()).toBe(true);
    expect(await overflow(page)).toEqual({ offenders: [], scrollWidth: 390, width: 390 });

    await proxy.setFault({ kind: 'none' });
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByText('No guests yet.').waitFor({ timeout: 10_000 });
    expect(await alert.isHidden()).toBe(true);
    await page.close();
  });
});
