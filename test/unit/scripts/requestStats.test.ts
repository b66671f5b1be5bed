import { bitrix24MethodOf, busiestMethod, requestStats } from '../../../scripts/lib/requestStats';

describe('bitrix24MethodOf', () => {
	it.each([
		['/rest/1/abc123/crm.contact.add', 'crm.contact.add'],
		['/rest/1/abc123/crm.contact.add.json', 'crm.contact.add'],
		['/rest/batch', 'batch'],
		['/rest/1/abc123/profile.xml?x=1', 'profile'],
	])('%s → %s', (path, method) => {
		expect(bitrix24MethodOf(path)).toBe(method);
	});
});

describe('requestStats', () => {
	const entries = [
		{ at: 100, path: '/rest/1/s/crm.contact.list', status: 200 },
		{ at: 150, path: '/rest/1/s/batch', status: 503 },
		{
			at: 200,
			path: '/rest/1/s/batch',
			status: 200,
			batchMethods: ['crm.contact.add', 'crm.contact.add', 'crm.requisite.add'],
		},
		{ at: 300, path: '/rest/1/s/crm.contact.add', status: 429 },
		{ at: 400, path: '/rest/1/s/crm.contact.add', status: 200 },
	];

	it('counts refusals apart and spans only the accepted calls', () => {
		const stats = requestStats(entries, bitrix24MethodOf);
		expect(stats).toMatchObject({ sent: 5, refused: 2, accepted: 3, span: { firstAt: 100, lastAt: 400 } });
	});

	it('counts batch sub-calls per method and not the batch itself (bitrix24-api.md §3.2)', () => {
		expect(requestStats(entries, bitrix24MethodOf).callsByMethod).toEqual({
			'crm.contact.list': 1,
			'crm.contact.add': 3,
			'crm.requisite.add': 1,
		});
		expect(busiestMethod(requestStats(entries, bitrix24MethodOf))).toEqual({ method: 'crm.contact.add', calls: 3 });
	});

	it('leaves methods out without a method reader and has no span without accepted calls', () => {
		const stats = requestStats([{ at: 1, path: '/v1/contacts', status: 429 }]);
		expect(stats).toEqual({ sent: 1, refused: 1, accepted: 0, callsByMethod: {} });
	});
});
