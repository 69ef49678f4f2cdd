import {
  appConfigFragmentPath,
  binaries,
  deployDemo,
  demoAccounts,
  LocalOidc,
  LocalPostgres,
  setGatewayNetworkLabel,
  CLUSTERS_TURN_TIMEOUT_MS,
  lockClusters,
  resetIstio,
  startOidcIssuer,
  startLocalPostgres,
  stopLocalPostgres,
} from '@istio-mesh/local-clusters';
import { randomBytes } from 'node:crypto';
import {
  createRootCa,
  writeRootCaDir,
} from '@istio-mesh/plugin-istio-mesh-node';
import { ChildProcess, spawn } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { joinThroughLibrary } from './__testUtils__/libraryJoin';

// The repository's own portal, started as the README's start command starts it.
// eslint-disable-next-line no-restricted-syntax
const repoRoot = resolve(__dirname, '../../..');
const artifacts = join(repoRoot, 'test-results', 'browser');
const APP = 'http://localhost:3000';
const BACKEND = 'http://127.0.0.1:7007';
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** Chromium that only ever talks to loopback: every other host fails to resolve. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
];

async function waitForUrl(url: string, seconds: number, portal: ChildProcess) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (portal.exitCode !== null) {
      throw new Error(
        `the portal exited with ${portal.exitCode}; see test-results/browser/portal.log`,
      );
    }
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(1000);
  }
  throw new Error(
    `${url} did not answer within ${seconds}s; see test-results/browser/portal.log`,
  );
}

/** Runs a check on a page; a failing page is photographed for the artifacts first. */
async function onPage(
  browser: Browser,
  name: string,
  check: (page: Page) => Promise<void>,
) {
  const page = await browser.newPage({
    viewport: { width: 1400, height: 1000 },
  });
  try {
    await check(page);
    await page.screenshot({
      path: join(artifacts, `${name}.png`),
      fullPage: true,
    });
  } catch (e) {
    await page.screenshot({
      path: join(artifacts, `${name}-failed.png`),
      fullPage: true,
    });
    writeFileSync(join(artifacts, `${name}-failed.html`), await page.content());
    throw e;
  } finally {
    await page.close();
  }
}

/** ada, of the platform team: the mesh admin the pages are opened as. */
const accounts = demoAccounts();
const ada = accounts.find(a => a.login === 'ada')!;

/**
 * Each page opens in a fresh browser context, so each signs in as a person does in
 * production: the sign-in page's button opens the identity provider's window (the
 * local issuer), where ada types her login and password; the window closes itself.
 */
async function signIn(page: Page, path: string) {
  await page.goto(`${APP}${path}`);
  const button = page.getByRole('button', { name: 'Sign In' });
  await button.waitFor({ timeout: 60_000 });
  const [popup] = await Promise.all([
    page.waitForEvent('popup'),
    button.click(),
  ]);
  await popup.getByLabel('Login').fill(ada.login);
  await popup.getByLabel('Password').fill(ada.password);
  await Promise.all([
    popup.waitForEvent('close', { timeout: 60_000 }),
    popup.getByRole('button', { name: 'Sign in' }).click(),
  ]);
}

describe('the portal in a browser: west joined through its form, then the Mesh pages', () => {
  const work = mkdtempSync(join(tmpdir(), 'istio-mesh-browser-'));
  let unlock: () => void;
  let portal: ChildProcess;
  let browser: Browser;
  let postgres: LocalPostgres;
  let issuer: LocalOidc;

  beforeAll(async () => {
    unlock = await lockClusters('browser');
  }, CLUSTERS_TURN_TIMEOUT_MS);

  beforeAll(async () => {
    // A page kept from an earlier failed run would read as this run's.
    rmSync(artifacts, { recursive: true, force: true });
    mkdirSync(artifacts, { recursive: true });
    await Promise.all(['east', 'west', 'cluster3'].map(resetIstio));
    const rootDir = join(work, 'root');
    await writeRootCaDir(rootDir, await createRootCa());
    // East is the mesh west joins; west joins through the portal's form below.
    await joinThroughLibrary({
      clusters: ['east'],
      rootCaDir: rootDir,
      holder: 'browser test',
    });
    // The portal signs with the same root: the local clusters' config, then this.
    const rootConfig = join(work, 'root-ca.json');
    writeFileSync(
      rootConfig,
      JSON.stringify({
        istioMesh: { rootCa: { type: 'file', directory: rootDir } },
      }),
    );
    // As `./scripts/start --postgres` runs it: production's config, PostgreSQL over
    // TLS, and sign-in through an OIDC issuer that knows the portal's callback.
    postgres = await startLocalPostgres();
    const client = {
      clientId: 'istio-mesh-portal',
      clientSecret: randomBytes(24).toString('base64url'),
    };
    issuer = await startOidcIssuer({
      accounts,
      clients: [
        {
          ...client,
          redirectUris: ['http://localhost:7007/api/auth/oidc/handler/frame'],
        },
      ],
    });
    const portalLog = openSync(join(artifacts, 'portal.log'), 'w');
    portal = spawn(
      'yarn',
      [
        'start',
        ...['--config', join(repoRoot, 'app-config.yaml')],
        ...['--config', appConfigFragmentPath],
        ...['--config', join(repoRoot, 'app-config.production.yaml')],
        ...['--config', rootConfig],
      ],
      {
        cwd: repoRoot,
        detached: true,
        env: {
          ...process.env,
          // Jest's NODE_ENV=test would make the CLI serve a test build.
          NODE_ENV: 'development',
          POSTGRES_HOST: postgres.host,
          POSTGRES_PORT: String(postgres.port),
          POSTGRES_USER: postgres.user,
          POSTGRES_PASSWORD: postgres.password,
          POSTGRES_CA_CERT: postgres.caCertPem,
          OIDC_METADATA_URL: issuer.metadataUrl,
          OIDC_CLIENT_ID: client.clientId,
          OIDC_CLIENT_SECRET: client.clientSecret,
          AUTH_SESSION_SECRET: randomBytes(24).toString('base64url'),
          MESH_STATUS_TOKEN: randomBytes(24).toString('base64url'),
        },
        stdio: ['ignore', portalLog, portalLog],
      },
    );
    await waitForUrl(`${BACKEND}/api/istio-mesh/health`, 300, portal);
    await waitForUrl(APP, 300, portal);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    });
  }, 900_000);

  afterAll(async () => {
    await browser?.close();
    if (portal?.pid) {
      try {
        process.kill(-portal.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      const exited = new Promise(r => portal.once('exit', r));
      if (portal.exitCode === null) await Promise.race([exited, sleep(15_000)]);
    }
    if (postgres) await stopLocalPostgres(postgres);
    await issuer?.stop();
    unlock?.();
    rmSync(work, { recursive: true, force: true });
  });

  it('joins west through the "Add cluster to mesh" form: the cluster picked, reviewed, created, and the task finished', async () => {
    await onPage(browser, 'add-cluster-form', async page => {
      await signIn(page, '/create/templates/default/add-cluster-to-mesh');
      // The EntityPicker's input carries the field's id, as every form field does.
      const cluster = page.locator('input#root_cluster');
      await cluster.waitFor({ timeout: 60_000 });
      await cluster.click();
      await cluster.fill('west');
      await page.getByRole('option', { name: /west/ }).click();
      await page.screenshot({
        path: join(artifacts, 'add-cluster-form-filled.png'),
        fullPage: true,
      });
      await page.getByRole('button', { name: 'Review' }).click();
      await page.getByText('resource:default/west').waitFor();
      await page.screenshot({
        path: join(artifacts, 'add-cluster-review.png'),
        fullPage: true,
      });
      await page.getByRole('button', { name: 'Create' }).click();
      await page.waitForURL(/\/create\/tasks\//, { timeout: 60_000 });
      // The outputs appear once every step has finished; a failed step shows none.
      await page
        .getByRole('link', { name: 'Mesh tab of the cluster' })
        .or(page.getByRole('button', { name: 'Mesh tab of the cluster' }))
        .first()
        .waitFor({ timeout: 600_000 });
      const plan = await page.getByTestId('text-output-box').innerText();
      expect(plan).toContain(
        'label namespace istio-system in west with topology.istio.io/network=network-west',
      );
      expect(plan).toContain(
        "expose the east-west gateway: public, the cluster's LoadBalancer implementation, ports 15021 and 15443 from any address",
      );
      expect(plan).toContain('exchange remote secrets with east');
    });
    // After the joins, as the README says: the demo's pods then get sidecars.
    deployDemo(binaries());
  }, 900_000);

  it("shows the demo component's Mesh tab with a row for each cluster, and each istiod agreeing", async () => {
    await onPage(browser, 'component-mesh-tab', async page => {
      await signIn(page, '/catalog/default/component/reviews/mesh');
      await page
        .getByText('Services across the mesh')
        .waitFor({ timeout: 60_000 });
      await page
        .getByRole('cell', { name: 'west', exact: true })
        .first()
        .waitFor();
      const text = (await page.locator('tbody tr').allInnerTexts()).join('\n');
      expect(text).toMatch(/mesh-demo\/reviews\s+east\s+network-east\s+2\/2/);
      expect(text).toMatch(/mesh-demo\/reviews\s+west\s+network-west\s+1\/1/);
      expect(text).toMatch(/from network-west: via 127\.1\.\d+\.\d+:15443/);
      // Each member's istiod holds the same endpoints as the rows above, once it has
      // read the other cluster after the join: reload past the status cache until then.
      const verdicts = page.locator('[data-istiod-check]');
      let states: (string | null)[] = [];
      for (let attempt = 0; attempt < 8; attempt++) {
        await page.getByText('istiod cross-check').waitFor({ timeout: 60_000 });
        states = await Promise.all(
          (await verdicts.all()).map(v => v.getAttribute('data-istiod-check')),
        );
        if (states.length === 2 && states.every(s => s === 'agrees')) break;
        await sleep(11_000);
        await page.reload();
      }
      expect(states).toEqual(['agrees', 'agrees']);
    });
  }, 180_000);

  /** Reloads the Mesh tab past the status cache until the route panel's verdicts are `want`. */
  async function routePanelStates(page: Page, want: string[]) {
    let states: (string | null)[] = [];
    for (let attempt = 0; attempt < 10; attempt++) {
      await page
        .getByText('What sidecars are told')
        .waitFor({ timeout: 60_000 });
      states = await Promise.all(
        (
          await page.locator('[data-routes-told]').all()
        ).map(v => v.getAttribute('data-routes-told')),
      );
      if (JSON.stringify(states) === JSON.stringify(want)) return states;
      await sleep(11_000);
      await page.reload();
    }
    return states;
  }

  it("shows on the demo component what a sidecar in each cluster is told: east's own pods direct, west's through its gateway", async () => {
    await onPage(browser, 'component-routes-told', async page => {
      await signIn(page, '/catalog/default/component/reviews/mesh');
      expect(await routePanelStates(page, ['agrees', 'agrees'])).toEqual([
        'agrees',
        'agrees',
      ]);
      const panel = (
        await page
          .locator('table', { hasText: 'Sidecar in' })
          .locator('tbody tr')
          .allInnerTexts()
      ).join('\n');
      expect(panel).toMatch(/mesh-demo\/reviews:9080\s+east\s+reviews-/);
      expect(panel).toMatch(/east: direct to 10\.\d+\.\d+\.\d+:9080/);
      expect(panel).toMatch(
        /west: through gateway 127\.2\.\d+\.\d+:15443 \(1 of 1\)/,
      );
      expect(panel).toMatch(
        /east: through gateway 127\.1\.\d+\.\d+:15443 \(2 of 2\)/,
      );
    });
  }, 300_000);

  it("turns the route panel red with the network label fix once west's gateway Service loses its network label", async () => {
    setGatewayNetworkLabel('west');
    try {
      await onPage(browser, 'component-routes-told-broken', async page => {
        await signIn(page, '/catalog/default/component/reviews/mesh');
        const states = await routePanelStates(page, ['disagrees', 'agrees']);
        expect(states).toEqual(['disagrees', 'agrees']);
        const red = await page
          .locator('[data-route-ok="false"]')
          .first()
          .innerText();
        expect(red).toMatch(
          /west: direct to 10\.\d+\.\d+\.\d+:9080 \(1 of 1\): told west's pod addresses directly, across networks/,
        );
        expect(red).toContain(
          'Fix: label the east-west gateway Service in west with topology.istio.io/network=network-west',
        );
      });
    } finally {
      setGatewayNetworkLabel('west', 'network-west');
    }
  }, 300_000);

  it("reaches the overview from the navigation, and shows both clusters linked, every table whole, each istiod's remote clusters, the trust matrix and the certificate calendar", async () => {
    await onPage(browser, 'mesh-overview', async page => {
      await signIn(page, '/catalog');
      await page
        .getByRole('link', { name: 'Service mesh' })
        .click({ timeout: 60_000 });
      await page.waitForURL(`${APP}/istio-mesh`);
      const svg = page.getByTestId('mesh-topology');
      await svg.waitFor({ timeout: 60_000 });
      expect(await svg.locator('[data-cluster]').count()).toBe(2);
      expect(await svg.locator('[data-network]').count()).toBe(2);
      expect(
        await svg.locator('[data-link="east-west"]').getAttribute('data-state'),
      ).toBe('linked');
      // No table is cut off at the right: each ends inside the page.
      const width = page.viewportSize()!.width;
      for (const table of await page.locator('table').all()) {
        const box = (await table.boundingBox())!;
        expect(box.x + box.width).toBeLessThanOrEqual(width);
      }
      // Each member links to its catalog page, titled as the catalog titles it.
      for (const cluster of ['east', 'west']) {
        await page
          .locator(`a[href="/catalog/default/resource/${cluster}"]`)
          .first()
          .waitFor();
      }
      for (const cluster of ['east', 'west']) {
        await page
          .getByText(`Remote clusters of ${cluster} (istioctl remote-clusters)`)
          .waitFor();
      }
      expect(
        await page.getByRole('cell', { name: 'synced', exact: true }).count(),
      ).toBe(4);
      // Each member trusts the other's workloads, proven by its istiod's CA.
      const matrix = page.getByRole('table', { name: 'Trust matrix of mesh1' });
      for (const pair of ['east-west', 'west-east']) {
        expect(
          await matrix
            .locator(`[data-trust="${pair}"]`)
            .getAttribute('data-state'),
        ).toBe('trusted');
      }
      await page
        .getByText(
          'Identity: spiffe://cluster.local/ns/istio-system/sa/istio-mesh-trust-probe (trust domain cluster.local)',
          { exact: false },
        )
        .waitFor();
      // The certificate calendar: the one root and each member's intermediate, fresh.
      const calendar = page.getByRole('table', {
        name: 'Certificate calendar of mesh1',
      });
      for (const [role, count] of [
        ['root', 1],
        ['intermediate', 2],
      ] as const) {
        expect(await calendar.locator(`tr[data-role="${role}"]`).count()).toBe(
          count,
        );
      }
      expect(
        await calendar
          .locator('tr[data-role="intermediate"]')
          .allTextContents(),
      ).toEqual(
        expect.arrayContaining([
          expect.stringContaining('east'),
          expect.stringContaining('west'),
        ]),
      );
    });
  }, 180_000);
});
