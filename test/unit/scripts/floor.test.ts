import {
	bucketFloorSeconds,
	combinedFloorSeconds,
	minimalImportRequests,
	operatingBreakEvenMs,
} from '../../../scripts/lib/floor';

describe('bucketFloorSeconds', () => {
	it.each([
		// Bitrix24 standard (bitrix24-api.md §3.1): 50 at once, then 2/s.
		[0, 50, 2, 0],
		[50, 50, 2, 0],
		[51, 50, 2, 0.5],
		[1050, 50, 2, 500],
		// LexOffice (lexoffice-api.md §2) as the sandbox models it: burst 2, 2/s.
		[42, 2, 2, 20],
		// Enterprise: 250 burst, 5/s.
		[1250, 250, 5, 200],
	])('%i requests through a bucket of %i at %i/s take at least %d s', (requests, capacity, perSecond, seconds) => {
		expect(bucketFloorSeconds(requests, { capacity, perSecond })).toBe(seconds);
	});
});

describe('combinedFloorSeconds', () => {
	it('adds the floors when one API was done before the other started', () => {
		expect(
			combinedFloorSeconds(
				{ floorSeconds: 20, span: { firstAt: 0, lastAt: 1000 } },
				{ floorSeconds: 500, span: { firstAt: 1000, lastAt: 9000 } },
			),
		).toEqual({ floorSeconds: 520, sequential: true });
	});

	it('takes only the larger floor when the calls overlapped', () => {
		expect(
			combinedFloorSeconds(
				{ floorSeconds: 20, span: { firstAt: 0, lastAt: 5000 } },
				{ floorSeconds: 500, span: { firstAt: 1000, lastAt: 9000 } },
			),
		).toEqual({ floorSeconds: 500, sequential: false });
	});

	it('adds when one API was not called at all', () => {
		expect(combinedFloorSeconds({ floorSeconds: 0 }, { floorSeconds: 7, span: { firstAt: 1, lastAt: 2 } })).toEqual({
			floorSeconds: 7,
			sequential: true,
		});
	});
});

describe('operatingBreakEvenMs', () => {
	it('spreads 480 s over all calls of a run shorter than the 10-minute window', () => {
		expect(operatingBreakEvenMs(4800, 300)).toBe(100);
	});

	it('uses the calls per 10 minutes of a longer run at its average pace', () => {
		// 12 000 calls in 1200 s → 6000 per 600 s → 80 ms each.
		expect(operatingBreakEvenMs(12_000, 1200)).toBe(80);
	});

	it('has no break-even without calls', () => {
		expect(operatingBreakEvenMs(0, 100)).toBeUndefined();
	});
});

describe('minimalImportRequests', () => {
	it.each([
		[10_000, 26_000, { lexoffice: 40, bitrix24: 520 }],
		[250, 50, { lexoffice: 1, bitrix24: 1 }],
		[251, 51, { lexoffice: 2, bitrix24: 2 }],
		[0, 0, { lexoffice: 0, bitrix24: 0 }],
	])('%i contacts, %i records → %o', (contacts, records, expected) => {
		expect(minimalImportRequests(contacts, records)).toEqual(expected);
	});
});
