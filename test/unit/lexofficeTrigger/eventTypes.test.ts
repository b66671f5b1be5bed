import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { EVENT_TYPE_OPTIONS, LEXOFFICE_EVENT_TYPES } from '../../../nodes/Lexoffice/helpers/eventTypes';
import { eventPermalinks, resourcePath } from '../../../nodes/Lexoffice/helpers/eventResources';

const REFERENCE = join(__dirname, '..', '..', '..', 'docs', 'reference', 'lexoffice-api.md');

/** The event names of lexoffice-api.md §6.2's table; `…changed` continues the row's first name. */
function documentedEventTypes(): string[] {
	const text = readFileSync(REFERENCE, 'utf8');
	const section = text.slice(text.indexOf('### 6.2'), text.indexOf('### 6.3'));
	const names: string[] = [];
	for (const row of section.split('\n').filter((line) => line.startsWith('|'))) {
		const cells = row.split('|');
		// Event names only (the token row also quotes `/v1/profile`).
		const tokens = [...(cells[2] ?? '').matchAll(/`([^`]+)`/g)]
			.map((match) => match[1])
			.filter((token) => /^(…|[a-z-]+\.)[a-z.]+$/.test(token));
		if (tokens.length === 0) continue;
		const resource = tokens[0].split('.')[0];
		for (const token of tokens) names.push(token.startsWith('…') ? `${resource}.${token.slice(1)}` : token);
	}
	return names;
}

describe('LexOffice event types', () => {
	it('are exactly the 42 documented in lexoffice-api.md §6.2', () => {
		const documented = documentedEventTypes();
		expect(documented).toHaveLength(42);
		expect([...LEXOFFICE_EVENT_TYPES].sort()).toEqual([...documented].sort());
	});

	it('are offered once each in the picker', () => {
		const values = EVENT_TYPE_OPTIONS.map((option) => option.value);
		expect(new Set(values).size).toBe(42);
		expect(EVENT_TYPE_OPTIONS.find((option) => option.value === 'credit-note.status.changed')?.name).toBe(
			'Credit Note Status Changed',
		);
	});

	it('map to the resource endpoints and documented permalinks (§4.4, §8.1)', () => {
		const id = '4d43ad14-671d-4e0c-fd4b-2fd8cc117eff';
		expect(resourcePath('contact.changed', id)).toBe(`/v1/contacts/${id}`);
		expect(resourcePath('down-payment-invoice.status.changed', id)).toBe(`/v1/down-payment-invoices/${id}`);
		expect(resourcePath('payment.changed', id)).toBe(`/v1/payments/${id}`);
		expect(resourcePath('token.revoked', id)).toBeUndefined();
		const app = 'https://app.lexware.de/';
		expect(eventPermalinks('contact.created', id, app)).toEqual({
			view: `https://app.lexware.de/permalink/contacts/view/${id}`,
		});
		expect(eventPermalinks('recurring-template.changed', id, app)).toEqual({
			edit: `https://app.lexware.de/permalink/recurring-templates/edit/${id}`,
		});
		expect(eventPermalinks('article.changed', id, app)).toEqual({});
		expect(eventPermalinks('payment.changed', id, app)).toEqual({});
		expect(eventPermalinks('payment.changed', id, app, { voucherType: 'creditnote' })).toEqual({
			view: `https://app.lexware.de/permalink/credit-notes/view/${id}`,
			edit: `https://app.lexware.de/permalink/credit-notes/edit/${id}`,
		});
	});
});
