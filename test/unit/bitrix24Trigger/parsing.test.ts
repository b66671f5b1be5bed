/**
 * The pure parsers behind the trigger: bracketed form keys, placement calls (bitrix24-api.md §9)
 * and install callbacks (§1.2).
 */
import { parse as parseQueryString } from 'node:querystring';

import { parseInstallCallback } from '../../../nodes/Bitrix24Trigger/appInstall';
import { entityOfPlacement } from '../../../nodes/Bitrix24/helpers/crmEntities';
import { parseCrmEventCall } from '../../../nodes/Bitrix24Trigger/crmEvents';
import { keyPath, nestBracketedKeys, parseFormEncoded } from '../../../nodes/Bitrix24Trigger/formBody';
import { parsePlacementCall } from '../../../nodes/Bitrix24Trigger/placement';

describe('bracketed form keys', () => {
	it.each([
		['data[FIELDS][ID]', ['data', 'FIELDS', 'ID']],
		['auth[application_token]', ['auth', 'application_token']],
		['event', ['event']],
		['a[]', ['a', '']],
		['broken[', ['broken[']],
	])('splits %s', (key, path) => {
		expect(keyPath(key)).toEqual(path);
	});

	const nested = {
		event: 'ONCRMCONTACTADD',
		data: { FIELDS: { ID: '5' } },
		auth: { domain: 'acme.bitrix24.de', application_token: 'tok' },
	};

	it('turns flat keys (as n8n 2.41 parses forms) into the nested shape', () => {
		const flat = parseQueryString(
			'event=ONCRMCONTACTADD&data%5BFIELDS%5D%5BID%5D=5&auth%5Bdomain%5D=acme.bitrix24.de&auth%5Bapplication_token%5D=tok',
		);
		expect(nestBracketedKeys(flat as never)).toEqual(nested);
	});

	it('leaves an already nested body as it is, and merges a mix of both', () => {
		expect(nestBracketedKeys(nested)).toEqual(nested);
		expect(
			nestBracketedKeys({
				event: 'ONCRMCONTACTADD',
				data: { FIELDS: { ID: '5' } },
				'auth[domain]': 'acme.bitrix24.de',
				auth: { application_token: 'tok' },
			}),
		).toEqual(nested);
	});

	it('appends empty-bracket keys and keeps prototype keys out', () => {
		const parsed = parseFormEncoded('a[]=x&a[]=y&__proto__[polluted]=1&b[constructor][prototype][polluted]=1');
		expect(parsed).toEqual({ a: { 0: 'x', 1: 'y' } });
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		expect(nestBracketedKeys(parseQueryString('a[]=x&a[]=y') as never)).toEqual({ a: { 0: 'x', 1: 'y' } });
	});
});

describe('placement calls', () => {
	// The documented example (widgets/crm/document-generator-button.md), moved to a contact toolbar.
	const body = {
		AUTH_ID: '83fd7166007e9c94001e30ba00000001f0f107a52e6ad7ef9a1b8c3d5e2f4061',
		AUTH_EXPIRES: '3600',
		REFRESH_ID: '737c9966007e9c94001e30ba00000001f0f1072b8d4e6f01a3c57d9e8b2f4160',
		SERVER_ENDPOINT: 'https://oauth.bitrix.info/rest/',
		APPLICATION_TOKEN: 'ec1b2074a9d3f5c81b6e40d27a95cf38',
		APPLICATION_SCOPE: 'crm,placement',
		member_id: 'd897063e1ce7c5eb9f04b9751eef5915',
		status: 'L',
		PLACEMENT: 'CRM_CONTACT_DETAIL_TOOLBAR',
		PLACEMENT_OPTIONS: '{"ID":"8061","URI":"\\/crm\\/contact\\/details\\/8061\\/?any=details%2F8061%2F"}',
	};
	const query = { DOMAIN: 'xxx.bitrix24.com', PROTOCOL: '1', LANG: 'de', APP_SID: '23ab3058338edf7c4c30a52e4d0b3f94' };

	it('parses the documented payload into type and id', () => {
		const call = parsePlacementCall(body, query);
		expect(call).toMatchObject({
			placement: 'CRM_CONTACT_DETAIL_TOOLBAR',
			entityType: 'contact',
			entityTypeId: 3,
			id: 8061,
			portal: {
				domain: 'xxx.bitrix24.com',
				url: 'https://xxx.bitrix24.com',
				memberId: 'd897063e1ce7c5eb9f04b9751eef5915',
			},
			recordUrl: 'https://xxx.bitrix24.com/crm/contact/details/8061/?any=details%2F8061%2F',
			language: 'de',
		});
		// The user's tokens stay out of the item.
		expect(JSON.stringify(call)).not.toMatch(/83fd7166|737c9966|ec1b2074/);
	});

	it('reads ENTITY_ID where a placement sends that instead of ID', () => {
		const call = parsePlacementCall(
			{ ...body, PLACEMENT: 'CRM_COMPANY_DOCUMENTGENERATOR_BUTTON', PLACEMENT_OPTIONS: '{"ENTITY_ID":"5"}' },
			query,
		);
		expect(call).toMatchObject({ entityType: 'company', entityTypeId: 4, id: 5, recordUrl: null });
	});

	it('survives options that are not JSON, and a domain that is not a host', () => {
		const call = parsePlacementCall(
			{ ...body, PLACEMENT_OPTIONS: '{oops' },
			{ ...query, DOMAIN: 'evil.example/<script>' },
		);
		expect(call).toMatchObject({ id: null, options: {}, portal: { domain: '', url: '' }, recordUrl: null });
	});

	it.each([
		['CRM_CONTACT_DETAIL_TOOLBAR', { entityType: 'contact', entityTypeId: 3 }],
		['CRM_COMPANY_LIST_MENU', { entityType: 'company', entityTypeId: 4 }],
		['CRM_SMART_INVOICE_DETAIL_TAB', { entityType: 'smartInvoice', entityTypeId: 31 }],
		['CRM_DYNAMIC_183_DETAIL_TOOLBAR', { entityType: 'dynamic', entityTypeId: 183 }],
		['CRM_DEAL_DETAIL_ACTIVITY', { entityType: 'deal', entityTypeId: 2 }],
		['crm_lead_detail_toolbar', { entityType: 'lead', entityTypeId: 1 }],
		['CRM_REQUISITE_AUTOCOMPLETE', undefined],
		['TASK_VIEW_TAB', undefined],
	])('maps placement %s', (code, entity) => {
		expect(entityOfPlacement(code)).toEqual(entity);
	});
});

describe('CRM event calls', () => {
	it('reads a smart-invoice event and drops the tokens', () => {
		const call = parseCrmEventCall({
			event: 'ONCRMDYNAMICITEMUPDATE',
			event_handler_id: '5',
			data: { FIELDS: { ID: '24', ENTITY_TYPE_ID: '31' } },
			ts: '1723538517',
			auth: {
				access_token: 'secret-access',
				refresh_token: 'secret-refresh',
				application_token: 'secret-app',
				domain: 'acme.bitrix24.de',
				member_id: 'm1',
			},
		});
		expect(call).toMatchObject({
			event: 'ONCRMDYNAMICITEMUPDATE',
			action: 'update',
			entityType: 'smartInvoice',
			entityTypeId: 31,
			id: 24,
		});
		expect(call?.auth).toEqual({ domain: 'acme.bitrix24.de', member_id: 'm1' });
	});

	it('ignores events it does not offer', () => {
		expect(parseCrmEventCall({ event: 'ONCRMDEALADD', data: { FIELDS: { ID: '1' } } })).toBeUndefined();
	});
});

describe('install callback', () => {
	const documented = {
		event: 'ONAPPINSTALL',
		data: { VERSION: '1', ACTIVE: 'Y', INSTALLED: 'Y', LANGUAGE_ID: 'de' },
		ts: '1696527000',
		auth: {
			access_token: 'access-secret',
			refresh_token: 'refresh-secret',
			domain: 'Acme.bitrix24.de',
			server_endpoint: 'https://oauth.bitrix.info/rest/',
			status: 'L',
			client_endpoint: 'https://acme.bitrix24.de/rest/',
			member_id: 'a223c6b3710f85df22e9377d6c4f7553',
			application_token: '51856fefc120afa4b628cc82d3935cce',
		},
	};

	it('keeps what must be stored, with instructions, and leaves the OAuth tokens out', () => {
		const parsed = parseInstallCallback(documented);
		expect(parsed).toMatchObject({
			applicationToken: '51856fefc120afa4b628cc82d3935cce',
			memberId: 'a223c6b3710f85df22e9377d6c4f7553',
			domain: 'acme.bitrix24.de',
			portalUrl: 'https://acme.bitrix24.de',
			application: { VERSION: '1', INSTALLED: 'Y' },
		});
		expect((parsed as { instructions: string }).instructions).toMatch(/Application Token/);
		expect(JSON.stringify(parsed)).not.toMatch(/access-secret|refresh-secret/);
	});

	it('names the fields a non-install request lacks', () => {
		expect(parseInstallCallback({ auth: { domain: 'acme.bitrix24.de' } })).toEqual({
			missing: ['auth[application_token]', 'auth[member_id]'],
		});
	});
});
