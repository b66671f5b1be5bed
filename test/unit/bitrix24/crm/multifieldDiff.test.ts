import {
	currentMultifields,
	diffMultifield,
	multifieldKey,
	type CurrentMultifield,
	type DesiredMultifield,
	type MultifieldWrite,
} from '../../../../nodes/Bitrix24/helpers/multifieldDiff';

const current = (...entries: Array<[string, string, string?]>): CurrentMultifield[] =>
	entries.map(([ID, VALUE, VALUE_TYPE = 'WORK']) => ({ ID, VALUE, VALUE_TYPE }));
const desired = (...values: Array<string | DesiredMultifield>): DesiredMultifield[] =>
	values.map((value) => (typeof value === 'string' ? { VALUE: value } : value));

/** What Bitrix24 holds after applying the writes (§4.2 semantics), to check the diff end to end. */
function apply(before: CurrentMultifield[], writes: MultifieldWrite[]): Array<[string, string]> {
	let next = 100;
	const after = before.map((entry) => ({ ...entry }));
	for (const write of writes) {
		if (!('ID' in write)) {
			after.push({ ID: String(next++), VALUE: write.VALUE, VALUE_TYPE: write.VALUE_TYPE });
			continue;
		}
		const index = after.findIndex((entry) => entry.ID === write.ID);
		if (index < 0) throw new Error(`write to unknown ID ${write.ID}`);
		if ('DELETE' in write) after.splice(index, 1);
		else after[index] = { ...after[index], VALUE: write.VALUE, VALUE_TYPE: write.VALUE_TYPE };
	}
	return after.map((entry) => [entry.VALUE, entry.VALUE_TYPE] as [string, string]).sort();
}

describe('diffMultifield (replace)', () => {
	it.each<[string, CurrentMultifield[], DesiredMultifield[], MultifieldWrite[]]>([
		[
			'nothing there, two wanted: both added',
			[],
			desired('a@x.de', 'b@x.de'),
			[
				{ VALUE: 'a@x.de', VALUE_TYPE: 'WORK' },
				{ VALUE: 'b@x.de', VALUE_TYPE: 'WORK' },
			],
		],
		['same list: nothing to write', current(['1', 'a@x.de']), desired('a@x.de'), []],
		[
			'same address in other case: rewritten by ID, not duplicated',
			current(['1', 'A@X.de']),
			desired('a@x.de'),
			[{ ID: '1', VALUE: 'a@x.de', VALUE_TYPE: 'WORK' }],
		],
		[
			'one replaced: changed by ID',
			current(['1', 'old@x.de', 'HOME']),
			desired('new@x.de'),
			[{ ID: '1', VALUE: 'new@x.de', VALUE_TYPE: 'HOME' }],
		],
		[
			'one removed: deleted by ID',
			current(['1', 'a@x.de'], ['2', 'b@x.de']),
			desired('b@x.de'),
			[{ ID: '1', DELETE: 'Y' }],
		],
		[
			'empty list: everything deleted',
			current(['1', 'a@x.de'], ['2', 'b@x.de']),
			[],
			[
				{ ID: '1', DELETE: 'Y' },
				{ ID: '2', DELETE: 'Y' },
			],
		],
		[
			'type change only',
			current(['1', 'a@x.de', 'WORK']),
			desired({ VALUE: 'a@x.de', VALUE_TYPE: 'HOME' }),
			[{ ID: '1', VALUE: 'a@x.de', VALUE_TYPE: 'HOME' }],
		],
		[
			'more wanted than there: reuse, then add',
			current(['1', 'old@x.de']),
			desired('a@x.de', 'b@x.de'),
			[
				{ ID: '1', VALUE: 'a@x.de', VALUE_TYPE: 'WORK' },
				{ VALUE: 'b@x.de', VALUE_TYPE: 'WORK' },
			],
		],
		[
			'duplicates in the wanted list count once',
			[],
			desired('a@x.de', ' A@x.de '),
			[{ VALUE: 'a@x.de', VALUE_TYPE: 'WORK' }],
		],
	])('%s', (_name, before, wanted, expected) => {
		const writes = diffMultifield('EMAIL', before, wanted, 'replace');
		expect(writes).toEqual(expected);
		const key = (value: string) => multifieldKey('EMAIL', value);
		expect(apply(before, writes).map(([value]) => key(value))).toEqual(
			[...new Set(wanted.map((entry) => key(entry.VALUE)))].sort(),
		);
	});

	it('phone numbers compare by digits, so reformatting is a change by ID, not an addition', () => {
		const writes = diffMultifield('PHONE', current(['7', '030 1234-56']), desired('030 123456'), 'replace');
		expect(writes).toEqual([{ ID: '7', VALUE: '030 123456', VALUE_TYPE: 'WORK' }]);
	});
});

describe('diffMultifield (append)', () => {
	it.each<[string, CurrentMultifield[], DesiredMultifield[], MultifieldWrite[]]>([
		[
			'adds what is missing, keeps the rest',
			current(['1', 'a@x.de']),
			desired('b@x.de'),
			[{ VALUE: 'b@x.de', VALUE_TYPE: 'WORK' }],
		],
		[
			'never adds a value twice',
			current(['1', 'a@x.de']),
			desired('A@x.de', 'b@x.de'),
			[{ VALUE: 'b@x.de', VALUE_TYPE: 'WORK' }],
		],
		['an empty list changes nothing', current(['1', 'a@x.de']), [], []],
	])('%s', (_name, before, wanted, expected) => {
		expect(diffMultifield('EMAIL', before, wanted, 'append')).toEqual(expected);
	});
});

describe('currentMultifields', () => {
	it('reads the legacy shape and ignores entries without ID', () => {
		expect(
			currentMultifields(
				{ EMAIL: [{ ID: '9001', VALUE: 'a@x.de', VALUE_TYPE: 'HOME', TYPE_ID: 'EMAIL' }, { VALUE: 'x' }] },
				'EMAIL',
			),
		).toEqual([{ ID: '9001', VALUE: 'a@x.de', VALUE_TYPE: 'HOME' }]);
		expect(currentMultifields({}, 'PHONE')).toEqual([]);
		expect(currentMultifields(undefined, 'PHONE')).toEqual([]);
	});
});
