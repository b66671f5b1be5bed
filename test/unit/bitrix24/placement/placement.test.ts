import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { startBitrix24Sandbox, type Bitrix24Sandbox } from '../../../sandbox/bitrix24';
import { caught, restCalls } from '../helpers';
import { run } from '../invoices/run';

const HANDLER = 'https://n8n.example.com/webhook/7c0e/bitrix24';

describe('Placement (bitrix24-api.md §9)', () => {
	let sb: Bitrix24Sandbox;
	beforeAll(async () => {
		sb = await startBitrix24Sandbox({ limits: 'off' });
	});
	afterAll(async () => await sb.close());
	beforeEach(() => sb.requests.clear());

	const placement = (parameters: Record<string, unknown>, authentication: 'webhook' | 'oAuth2' = 'oAuth2') =>
		run(sb, { authentication, parameters: { resource: 'placement', ...parameters } });

	it('bind → list → bind again (already bound) → unbind, via OAuth2', async () => {
		const bound = await placement({ operation: 'bind', placement: 'CRM_CONTACT_DETAIL_TOOLBAR', handlerUrl: HANDLER });
		expect(bound.json[0]).toMatchObject({
			placement: 'CRM_CONTACT_DETAIL_TOOLBAR',
			handler: HANDLER,
			alreadyBound: false,
		});
		const bindBody = bound.sent.find((request) => request.method === 'placement.bind')?.body;
		expect(bindBody).toEqual({
			PLACEMENT: 'CRM_CONTACT_DETAIL_TOOLBAR',
			HANDLER: HANDLER,
			TITLE: 'LexOffice: Rechnung erstellen',
			LANG_ALL: { de: { TITLE: 'LexOffice: Rechnung erstellen' }, en: { TITLE: 'LexOffice: Create Invoice' } },
		});
		expect(sb.state.placements).toEqual([
			expect.objectContaining({
				placement: 'CRM_CONTACT_DETAIL_TOOLBAR',
				handler: HANDLER,
				title: 'LexOffice: Rechnung erstellen',
			}),
		]);

		await placement({
			operation: 'bind',
			placement: 'CRM_COMPANY_DETAIL_TOOLBAR',
			handlerUrl: HANDLER,
			title: 'Rechnung',
			englishTitle: '',
			placementDescription: 'Erstellt eine Rechnung',
		});
		expect(sb.state.placements[1]).toMatchObject({
			placement: 'CRM_COMPANY_DETAIL_TOOLBAR',
			description: 'Erstellt eine Rechnung',
			langAll: {
				de: { TITLE: 'Rechnung', DESCRIPTION: 'Erstellt eine Rechnung' },
				en: { TITLE: 'Rechnung', DESCRIPTION: 'Erstellt eine Rechnung' },
			},
		});

		const listed = await placement({ operation: 'list' });
		expect(listed.json.map((item) => [item.placement, item.handler])).toEqual([
			['CRM_CONTACT_DETAIL_TOOLBAR', HANDLER],
			['CRM_COMPANY_DETAIL_TOOLBAR', HANDLER],
		]);

		sb.requests.clear();
		const again = await placement({ operation: 'bind', placement: 'CRM_CONTACT_DETAIL_TOOLBAR', handlerUrl: HANDLER });
		expect(again.json[0]).toMatchObject({ alreadyBound: true });
		expect(restCalls(sb).map((call) => call.label)).toEqual(['placement.get']);
		expect(sb.state.placements).toHaveLength(2);

		const unbound = await placement({
			operation: 'unbind',
			placement: 'CRM_CONTACT_DETAIL_TOOLBAR',
			handlerUrl: HANDLER,
		});
		expect(unbound.json[0]).toEqual({ placement: 'CRM_CONTACT_DETAIL_TOOLBAR', handler: HANDLER, removed: 1 });
		expect(sb.state.placements.map((binding) => binding.placement)).toEqual(['CRM_COMPANY_DETAIL_TOOLBAR']);
		const all = await placement({ operation: 'unbind', placement: 'CRM_COMPANY_DETAIL_TOOLBAR' });
		expect(all.sent[0].body).toEqual({ PLACEMENT: 'CRM_COMPANY_DETAIL_TOOLBAR' });
		expect(sb.state.placements).toEqual([]);
	});

	it('a handler that is not an http(s) address is refused before anything is sent', async () => {
		const error = await caught(
			placement({ operation: 'bind', placement: 'CRM_CONTACT_DETAIL_TOOLBAR', handlerUrl: 'n8n.example.com/webhook' }),
		);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toContain('"Handler URL"');
		expect(restCalls(sb)).toHaveLength(0);
	});

	it("Bitrix24's refusal of an unknown placement code comes through with its description", async () => {
		const error = await caught(placement({ operation: 'bind', placement: 'CRM_CONTACT_NOWHERE', handlerUrl: HANDLER }));
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Placement not found');
	});

	it.each([
		[{ operation: 'bind', placement: 'CRM_CONTACT_DETAIL_TOOLBAR', handlerUrl: HANDLER }, 'placement.get'],
		[{ operation: 'list' }, 'placement.get'],
		[{ operation: 'unbind', placement: 'CRM_CONTACT_DETAIL_TOOLBAR' }, 'placement.unbind'],
	])('%p with a webhook credential fails up front, naming the OAuth2 credential', async (parameters, method) => {
		const error = await caught(placement(parameters, 'webhook'));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe(`The Bitrix24 method ${method} needs an OAuth2 local-application credential`);
		expect(restCalls(sb)).toHaveLength(0);
	});
});
