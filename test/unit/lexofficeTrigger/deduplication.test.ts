import type { IDataObject } from 'n8n-workflow';

import { isFirstDelivery, STORE_KEY } from '../../../nodes/LexofficeTrigger/deduplication';

const limits = { windowMs: 60_000, maxEntries: 3 };
const event = (n: number) => ['contact.changed', `id-${n}`, '2025-09-01T12:30:00.000+02:00'];

describe('delivery deduplication', () => {
	it('reports a repeat inside the window, and forgets it after the window', () => {
		const store: IDataObject = {};
		expect(isFirstDelivery(store, event(1), 0, limits)).toBe(true);
		expect(isFirstDelivery(store, event(1), 59_999, limits)).toBe(false);
		expect(isFirstDelivery(store, event(2), 59_999, limits)).toBe(true);
		expect(isFirstDelivery(store, event(1), 60_000, limits)).toBe(true);
	});

	it('tells apart deliveries that differ in any of the three fields', () => {
		const store: IDataObject = {};
		const [type, id, date] = event(1);
		expect(isFirstDelivery(store, [type, id, date], 0, limits)).toBe(true);
		expect(isFirstDelivery(store, ['contact.deleted', id, date], 0, limits)).toBe(true);
		expect(isFirstDelivery(store, [type, 'id-9', date], 0, limits)).toBe(true);
		expect(isFirstDelivery(store, [type, id, '2025-09-01T12:30:01.000+02:00'], 0, limits)).toBe(true);
	});

	it('keeps at most maxEntries, dropping the oldest', () => {
		const store: IDataObject = {};
		for (let n = 1; n <= 4; n++) isFirstDelivery(store, event(n), n, limits);
		expect(store[STORE_KEY]).toHaveLength(3);
		expect(isFirstDelivery(store, event(4), 10, limits)).toBe(false);
		expect(isFirstDelivery(store, event(1), 10, limits)).toBe(true);
	});
});
