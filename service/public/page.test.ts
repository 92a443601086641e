import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server';
import { type DynamoLocal, startDynamoLocal } from '../test/ddb-local';
import { CHROMIUM, hasChromium, launchChromium, servePage, watch } from '../test/page-browser';

if (!hasChromium) {
  console.warn(`page.test.ts: skipped, chromium not installed at ${CHROMIUM} (apt-get install chromium)`);
}

const TOKEN = 'page-test-token-0123456789';

type Server = RunningServer;

const POLL = { timeout: 10_000, interval: 50 };

/** Waits until the element's whole text is `text`. */
async function hasText(locator: Locator, text: string): Promise<void> {
  await expect.poll(() => locator.textContent(), POLL).toBe(text);
}

async function fillGuest(page: Page, guest: Record<string, string>): Promise<void> {
  for (const [label, value] of Object.entries(guest))
    await page.getByLabel(label, { exact: true }).fill(value);
}

const DANA = {
  'ID number': '123456789',
  'First name': 'Dana',
  Surname: 'Levi',
  Quantity: '3',
  Phone: '0501234567',
  Email: 'dana@example.com',
};

describe.skipIf(!hasChromium)('guest page in headless Chromium (skipped when chromium not installed)', () => {
  let ddb: DynamoLocal;
  let browser: Browser;
  const servers: Server[] = [];

  async function serve(tableName: string, apiTokens: readonly string[] = []): Promise<Server> {
    const server = await servePage(ddb.endpoint, tableName, { apiTokens });
    servers.push(server);
    return server;
  }

  beforeAll(async () => {
    [ddb, browser] = await Promise.all([startDynamoLocal(), launchChromium()]);
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all(servers.map((s) => s.close()));
    await ddb?.stop();
  });

  it('should add a guest, list it, delete it, and break no CSP rule', async () => {
    const server = await serve('page-crud');
    const page = await browser.newPage();
    const watched = watch(page);
    const response = await page.goto(server.url);
    expect(response?.headers()['content-security-policy']).toContain("default-src 'self'");
    await page.getByText('No guests yet.').waitFor();

    await fillGuest(page, DANA);
    await page.getByRole('button', { name: 'Add guest' }).click();
    await hasText(page.getByRole('status'), 'Added guest Dana Levi.');
    const row = page.getByRole('row').filter({ hasText: 'dana@example.com' });
    expect(await row.getByRole('cell').allTextContents()).toEqual([
      '123456789',
      'Dana',
      'Levi',
      '3',
      '0501234567',
      'dana@example.com',
      'Delete',
    ]);
    const listed = (await (await fetch(`${server.url}/guests`)).json()) as Record<string, { id: string }>;
    expect(Object.values(listed).map((g) => g.id)).toEqual(['123456789']);

    page.once('dialog', (dialog) => dialog.accept());
    await row.getByRole('button', { name: 'Delete Dana Levi (123456789)' }).click();
    await hasText(page.getByRole('status'), 'Deleted guest Dana Levi.');
    expect(await row.count()).toBe(0);
    expect(await (await fetch(`${server.url}/guests`)).json()).toEqual({});

    expect(watched.csp).toEqual([]);
    expect(watched.errors).toEqual([]);
    // The watcher itself must be able to see a violation: an inline script is refused under this policy.
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'void 0';
      document.body.append(script);
    });
    await expect.poll(() => watched.csp.length, POLL).toBeGreaterThan(0);
    await page.close();
  });

  it('should show the phone rule next to the field and send nothing', async () => {
    const server = await serve('page-validation');
    const page = await browser.newPage();
    const posts: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST') posts.push(request.url());
    });
    await page.goto(server.url);
    await fillGuest(page, { ...DANA, Phone: '12345' });
    await page.getByRole('button', { name: 'Add guest' }).click();

    const phone = page.getByLabel('Phone', { exact: true });
    expect(await page.locator('#phone-error').textContent()).toBe(
      "Phone '12345' must be 0 followed by 8 or 9 digits",
    );
    expect(await phone.getAttribute('aria-invalid')).toBe('true');
    expect(await phone.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(posts).toEqual([]);

    await phone.fill('0521234567');
    expect(await page.locator('#phone-error').textContent()).toBe('');
    await page.close();
  });

  it("should show the server's error when it rejects a guest", async () => {
    const server = await serve('page-server-error');
    const page = await browser.newPage();
    await page.goto(server.url);
    await fillGuest(page, DANA);
    await page.getByRole('button', { name: 'Add guest' }).click();
    await hasText(page.getByRole('status'), 'Added guest Dana Levi.');

    await fillGuest(page, { ...DANA, 'First name': 'Other' });
    await page.getByRole('button', { name: 'Add guest' }).click();
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent(), POLL).not.toBe('');
    // Same body straight to the API: the page must show exactly what the server said.
    const direct = await fetch(`${server.url}/guests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        id: '123456789',
        firstname: 'x',
        surname: 'y',
        quantity: 1,
        phone: '0501234567',
        email: 'a@b.co',
      }),
    });
    expect(direct.status).toBe(409);
    expect(await alert.textContent()).toBe(((await direct.json()) as { error: string }).error);
    await page.close();
  });

  it('should page through guests with Load more', async () => {
    const server = await serve('page-paging');
    await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        fetch(`${server.url}/guests`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            id: String(10_000 + i),
            firstname: `Guest${i}`,
            surname: 'Paged',
            quantity: 1,
            phone: '0501234567',
            email: `g${i}@example.com`,
          }),
        }).then((r) => expect(r.status).toBe(201)),
      ),
    );
    const page = await browser.newPage();
    await page.goto(server.url);
    const rows = page.locator('#guest-rows tr');
    await expect.poll(() => rows.count(), POLL).toBe(50);
    const more = page.getByRole('button', { name: 'Load more' });
    await more.click();
    await expect.poll(() => rows.count(), POLL).toBe(60);
    expect(await more.isHidden()).toBe(true);
    const ids = await page.locator('#guest-rows tr td:first-child').allTextContents();
    expect(new Set(ids).size).toBe(60);
    await page.close();
  });

  it('should ask for a token on 401, then send it as a bearer token', async () => {
    const server = await serve('page-auth', [TOKEN]);
    const page = await browser.newPage();
    const authHeaders: (string | undefined)[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/guests') authHeaders.push(request.headers().authorization);
    });
    await page.goto(server.url);
    const token = page.getByLabel('API token');
    await token.waitFor();
    expect(await page.getByRole('status').textContent()).toBe('Enter an API token.');

    await token.fill('wrong-token-wrong-token');
    await page.getByRole('button', { name: 'Use token' }).click();
    await hasText(page.getByRole('status'), 'That token was rejected. Enter another API token.');

    await token.fill(TOKEN);
    await token.press('Enter');
    await page.getByText('No guests yet.').waitFor();
    expect(await token.isHidden()).toBe(true);
    expect(await page.evaluate(() => sessionStorage.getItem('guestlist.token'))).toBe(TOKEN);

    await fillGuest(page, DANA);
    await page.getByRole('button', { name: 'Add guest' }).click();
    await hasText(page.getByRole('status'), 'Added guest Dana Levi.');
    expect(authHeaders).toEqual([
      undefined,
      'Bearer wrong-token-wrong-token',
      `Bearer ${TOKEN}`,
      `Bearer ${TOKEN}`,
    ]);
    await page.close();
  });
});
