/** Bitrix24 sandbox over real HTTP: outbound events, placement calls, install callback, control API, faults. */
import {
	parseFormBody,
	startCallbackReceiver,
	startHttpServer,
	type CallbackReceiver,
	type RunningServer,
} from '../../sandbox/common';
import { startBitrix24Sandbox, type Bitrix24Sandbox } from '../../sandbox/bitrix24';
import { callBitrix } from '../../sandbox/bitrix24/client';

let sb: Bitrix24Sandbox;
let receiver: CallbackReceiver;
let restBase: string;

beforeAll(async () => {
	sb = await startBitrix24Sandbox({ limits: 'off' });
	restBase = `${sb.url}/rest/`;
});
afterAll(async () => await sb.close());
beforeEach(async () => {
	sb.reset();
	sb.events.setMode('auto');
	receiver = await startCallbackReceiver();
});
afterEach(async () => await receiver.close());

async function bindEvent(event: string, handler: string): Promise<string> {
	const tokens = await sb.oauth.issueTokens();
	const bound = await callBitrix(restBase, 'event.bind', { event, handler }, { token: tokens.access_token });
	expect(bound.body.result).toBe(true);
	return tokens.access_token;
}

describe('outbound events (§10)', () => {
	it('POSTs a form body with bracketed keys and the app tokens after a CRM change', async () => {
		await bindEvent('ONCRMCONTACTADD', `${receiver.url}/bitrix/events`);
		const id = (await callBitrix(sb.webhookUrl, 'crm.contact.add', { fields: { NAME: 'Käthe' } })).body.result;
		await sb.events.flush();
		const [request] = await receiver.waitFor(1);
		expect(request.method).toBe('POST');
		expect(request.path).toBe('/bitrix/events');
		expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
		const raw = request.rawBody.toString();
		expect(raw).toContain(`data%5BFIELDS%5D%5BID%5D=${id}`);
		const body = parseFormBody(request.rawBody) as Record<string, any>;
		expect(body).toMatchObject({
			event: 'ONCRMCONTACTADD',
			data: { FIELDS: { ID: String(id) } },
			auth: {
				domain: new URL(sb.url).host,
				client_endpoint: `${sb.url}/rest/`,
				member_id: sb.oauth.memberId,
				application_token: sb.oauth.applicationToken,
			},
		});
		expect(Number(body.ts)).toBeGreaterThan(0);
		// The event's token is a real access token of the app.
		expect((await callBitrix(restBase, 'user.current', {}, { token: body.auth.access_token })).status).toBe(200);
	});

	it('does not retry a failed delivery', async () => {
		receiver.respondWith(500);
		await bindEvent('ONCRMCOMPANYADD', receiver.url);
		await callBitrix(sb.webhookUrl, 'crm.company.add', { fields: { TITLE: 'Fahrrad Kühn e.K.' } });
		const [delivery] = await sb.events.flush();
		expect(delivery.status).toBe(500);
		await sb.events.flush();
		expect(receiver.received).toHaveLength(1);
	});

	it('delivers to outgoing webhooks without OAuth tokens, and dynamic-item events for invoices', async () => {
		sb.events.setMode('manual');
		const token = sb.events.addOutgoingWebhook(receiver.url, ['ONCRMCOMPANYUPDATE', 'ONCRMDYNAMICITEMADD']);
		const company = (await callBitrix(sb.webhookUrl, 'crm.company.add', { fields: { TITLE: 'Hansa Druck KG' } })).body
			.result;
		await callBitrix(sb.webhookUrl, 'crm.company.update', { id: company, fields: { COMMENTS: 'geändert' } });
		await callBitrix(sb.webhookUrl, 'crm.item.add', { entityTypeId: 31, fields: { title: 'RE-1' } });
		expect(sb.events.pending().map((event) => event.event)).toEqual(['ONCRMCOMPANYUPDATE', 'ONCRMDYNAMICITEMADD']);
		expect(receiver.received).toHaveLength(0);
		await sb.events.flush();
		const bodies = receiver.received.map((request) => parseFormBody(request.rawBody) as Record<string, any>);
		expect(bodies.map((body) => body.event)).toEqual(['ONCRMCOMPANYUPDATE', 'ONCRMDYNAMICITEMADD']);
		expect(bodies[0].auth.application_token).toBe(token);
		expect(bodies[0].auth).not.toHaveProperty('access_token');
		expect(bodies[1].data.FIELDS).toEqual({ ID: expect.any(String), ENTITY_TYPE_ID: '31' });
	});
});

describe('placements and install (§9, §1.2)', () => {
	let handler: RunningServer;
	const seen: Array<{ url: string; body: Record<string, any> }> = [];

	beforeAll(async () => {
		handler = await startHttpServer(async (req, res) => {
			const chunks: Buffer[] = [];
			for await (const chunk of req) chunks.push(chunk as Buffer);
			seen.push({ url: req.url ?? '', body: parseFormBody(Buffer.concat(chunks)) });
			res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
			res.end('<html><body>LexOffice-Tab</body></html>');
		});
	});
	afterAll(async () => await handler.close());

	it('simulates a placement click with the documented query and body, and returns the handler answer', async () => {
		const tokens = await sb.oauth.issueTokens();
		await callBitrix(
			restBase,
			'placement.bind',
			{ PLACEMENT: 'CRM_CONTACT_DETAIL_TAB', HANDLER: `${handler.url}/tab`, TITLE: 'LexOffice' },
			{ token: tokens.access_token },
		);
		const answer = await sb.simulate.placementCall('CRM_CONTACT_DETAIL_TAB', { ID: 1001 });
		expect(answer.status).toBe(200);
		expect(answer.headers['content-type']).toContain('text/html');
		expect(answer.body).toContain('LexOffice-Tab');
		const call = seen.at(-1);
		const query = new URL(call?.url ?? '', handler.url).searchParams;
		expect(query.get('DOMAIN')).toBe(new URL(sb.url).host);
		expect(query.get('PROTOCOL')).toBe('0');
		expect(query.get('LANG')).toBe('de');
		expect(query.get('APP_SID')).toMatch(/^[0-9a-f]+$/);
		expect(call?.body).toMatchObject({
			PLACEMENT: 'CRM_CONTACT_DETAIL_TAB',
			APPLICATION_TOKEN: sb.oauth.applicationToken,
			member_id: sb.oauth.memberId,
		});
		expect(call?.body.PLACEMENT_OPTIONS).toBe('{"ID":"1001"}');
		expect((await callBitrix(restBase, 'user.current', {}, { token: call?.body.AUTH_ID })).status).toBe(200);
		await expect(sb.simulate.placementCall('CRM_COMPANY_DETAIL_TAB', { ID: 1 })).rejects.toThrow(/no handler/);
	});

	it('posts the install callback with all tokens', async () => {
		const answer = await sb.simulate.appInstall(`${handler.url}/install`);
		expect(answer.status).toBe(200);
		expect(seen.at(-1)?.body).toMatchObject({
			event: 'ONAPPINSTALL',
			auth: {
				application_token: sb.oauth.applicationToken,
				member_id: sb.oauth.memberId,
				refresh_token: expect.any(String),
				access_token: expect.any(String),
			},
		});
	});
});

describe('control API and faults', () => {
	const control = async (method: string, path: string, body?: unknown) => {
		const response = await fetch(`${sb.url}/_sandbox${path}`, {
			method,
			headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		return { status: response.status, body: response.status === 204 ? undefined : ((await response.json()) as any) };
	};

	it('exposes info, seed, state, limits, requests and token expiry over HTTP', async () => {
		const info = await control('GET', '/info');
		expect(info.body).toMatchObject({
			webhookUrl: sb.webhookUrl,
			oauth: { clientId: sb.oauth.clientId, tokenUrl: sb.oauth.tokenUrl },
		});
		const seeded = await control('POST', '/seed', { contacts: 5, companies: 2, invoices: 1 });
		expect(seeded.body).toMatchObject({ contacts: 5, companies: 2, invoices: 1 });
		expect((await control('GET', '/state')).body).toMatchObject({ contacts: 5, companies: 2, items: 1 });
		expect(sb.state.contacts[0].NAME).toEqual(expect.any(String));
		expect((await control('PUT', '/limits', { limits: 'enterprise' })).body).toEqual({ limits: 'enterprise' });
		await control('PUT', '/limits', { limits: 'off' });

		await callBitrix(sb.webhookUrl, 'crm.contact.list', {}, { transport: 'form' });
		const logged = await control('GET', '/requests?label=crm.contact.list');
		expect(logged.body.at(-1)).toMatchObject({ label: 'crm.contact.list', transport: 'form', auth: 'webhook' });

		const tokens = await sb.oauth.issueTokens();
		await control('POST', '/oauth/expire-tokens');
		expect((await callBitrix(restBase, 'profile', {}, { token: tokens.access_token })).body.error).toBe(
			'expired_token',
		);
		expect((await control('POST', '/reset')).body.contacts).toBe(0);
	});

	it('injects faults with Bitrix24 error bodies, before or after processing', async () => {
		sb.setFaults({ failNext: [{ pathIncludes: 'crm.contact.add', status: 503 }] });
		const refused = await callBitrix(sb.webhookUrl, 'crm.contact.add', { fields: { NAME: 'A' } });
		expect(refused).toMatchObject({ status: 503, body: { error: 'QUERY_LIMIT_EXCEEDED' } });
		expect(sb.state.contacts).toHaveLength(0);
		sb.setFaults({ failNext: [{ pathIncludes: 'crm.contact.add', status: 500, afterProcessing: true }] });
		const lost = await callBitrix(sb.webhookUrl, 'crm.contact.add', { fields: { NAME: 'B' } });
		expect(lost.status).toBe(500);
		expect(sb.state.contacts.map((contact) => contact.NAME)).toEqual(['B']);
		expect(sb.requests.calls().at(-1)).toMatchObject({ fault: 'injected', processed: true, label: 'crm.contact.add' });
	});
});
