/**
 * `npm run screenshots` (not part of `npm test`): the pictures in the README, taken from a real
 * n8n 2.41.1 with the packed package, against the sandboxes. Writes docs/images/*.png:
 *
 * - workflow-<template>.png: each bundled workflow as the editor shows it after import;
 * - create-invoice-answer.png: the page a click on "LexOffice: Rechnung erstellen" answers with.
 *
 * Needs a Chromium (Debian: `sudo apt-get install -y chromium`; CHROMIUM_PATH for another binary).
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

import axios from 'axios';
import { chromium, type Page } from 'playwright-core';

import { DEFAULT_OWNER, REPO_ROOT } from '../test/harness';
import { createAppCredential, startN8nWithCredentials, startSandboxes, type Sandboxes } from './lib/stack';
import { importBundledWorkflows, publishEventDriven } from './lib/workflows';

const OUT_DIR = path.join(REPO_ROOT, 'docs', 'images');
const VIEWPORT = { width: 1440, height: 860 };
const CREATE_INVOICE = 'lexoffice-bitrix24-create-invoice';

function chromiumPath(): string {
	const candidates = [
		process.env.CHROMIUM_PATH,
		'/usr/bin/chromium',
		'/usr/bin/chromium-browser',
		'/usr/bin/google-chrome',
	];
	const found = candidates.find((candidate) => candidate && existsSync(candidate));
	if (!found)
		throw new Error(
			'No Chromium found: install it (Debian/Ubuntu: sudo apt-get install -y chromium) or set CHROMIUM_PATH.',
		);
	return found;
}

/** The canvas with every node in view, without the editor's pop-ups. */
async function shootWorkflow(page: Page, baseUrl: string, workflowId: string, file: string): Promise<void> {
	await page.goto(`${baseUrl}/workflow/${workflowId}`, { waitUntil: 'networkidle' });
	await page.waitForSelector('[data-test-id="canvas-node"]', { timeout: 60_000 });
	await page.keyboard.press('Escape');
	await page
		.locator('[data-test-id="canvas-wrapper"], .vue-flow')
		.first()
		.click({ position: { x: 5, y: 5 }, force: true });
	await page.keyboard.press('1'); // the editor's "zoom to fit"
	await page.waitForTimeout(1_500);
	await page.screenshot({ path: file });
}

/** A click on the button of a contact card, answered by the published create-invoice workflow. */
async function answerPage(sandboxes: Sandboxes): Promise<string> {
	const bitrix24 = sandboxes.bitrix24;
	const added = await axios.post(
		`${bitrix24.webhookUrl}crm.contact.add`,
		{
			fields: {
				NAME: 'Inge',
				LAST_NAME: 'Musterfrau',
				EMAIL: [{ VALUE: 'inge.musterfrau@example.de', VALUE_TYPE: 'WORK' }],
			},
		},
		{ proxy: false },
	);
	const response = await bitrix24.simulate.placementCall('CRM_CONTACT_DETAIL_TOOLBAR', {
		ID: Number(added.data.result),
	});
	if (response.status !== 200)
		throw new Error(`the button's handler answered ${response.status}: ${response.body.slice(0, 300)}`);
	return response.body;
}

async function main(): Promise<void> {
	mkdirSync(OUT_DIR, { recursive: true });
	const sandboxes = await startSandboxes({ limits: 'off', contacts: 20, seedBitrix24: true });
	const running = await startN8nWithCredentials(sandboxes.endpoints('enterprise'), 'screenshots');
	const browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox'] });
	try {
		const { n8n } = running;
		await createAppCredential(n8n, sandboxes.bitrix24, 'enterprise');
		const bundles = await importBundledWorkflows(n8n);
		for (const outcome of await publishEventDriven(n8n, bundles)) {
			if (!outcome.published) console.log(`not published ${outcome.file}: ${outcome.error}`);
		}
		if (!bundles.some((bundle) => bundle.file === CREATE_INVOICE)) throw new Error(`${CREATE_INVOICE}.json is missing`);

		const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
		const login = await context.request.post(`${n8n.baseUrl}/rest/login`, {
			data: { emailOrLdapLoginId: DEFAULT_OWNER.email, password: DEFAULT_OWNER.password },
		});
		if (!login.ok()) throw new Error(`login failed: ${login.status()} ${await login.text()}`);
		const page = await context.newPage();
		for (const bundle of bundles) {
			const file = path.join(OUT_DIR, `workflow-${bundle.file.replace(/^lexoffice-bitrix24-/, '')}.png`);
			await shootWorkflow(page, n8n.baseUrl, bundle.id, file);
			console.log(`wrote ${path.relative(REPO_ROOT, file)}`);
		}

		const answer = await browser.newPage({ viewport: { width: 900, height: 520 } });
		await answer.setContent(await answerPage(sandboxes), { waitUntil: 'load' });
		const file = path.join(OUT_DIR, 'create-invoice-answer.png');
		await answer.screenshot({ path: file });
		console.log(`wrote ${path.relative(REPO_ROOT, file)}`);
	} finally {
		await browser.close();
		await running.stop();
		await sandboxes.close();
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
