import { joinCountryCode, splitCountryCode } from '../../../nodes/shared/contract/countryCodes';
import { assignContactPersons } from '../../../nodes/Bitrix24/helpers/contactPersonIdentity';
import type { MappedRecord } from '../../../nodes/shared/contract/lexofficeToBitrix24';

describe('LexOffice country codes ⇄ Bitrix24 country and province', () => {
	it.each([
		['DE', 'de', { iso: 'DE', region: '' }],
		[' es_cn ', 'de', { iso: 'ES', region: 'Kanarische Inseln' }],
		['ES_CN', 'en', { iso: 'ES', region: 'Canary Islands' }],
		['GR_69', 'de', { iso: 'GR', region: 'Berg Athos' }],
		['FR_XY', 'de', { iso: 'FR', region: 'XY' }],
		['Deutschland', 'de', undefined],
		['D', 'de', undefined],
	] as const)('%s (%s)', (code, language, expected) => {
		expect(splitCountryCode(code, language)).toEqual(expected);
	});

	it.each([
		['ES', 'Kanarische Inseln', 'ES_CN'],
		['es', 'canary islands', 'ES_CN'],
		['GR', 'Mount Athos', 'GR_69'],
		['ES', 'Madrid', 'ES'],
		['DE', 'Kanarische Inseln', 'DE'],
		['DE', '', 'DE'],
	])('%s + "%s" → %s', (iso, region, expected) => {
		expect(joinCountryCode(iso, region)).toBe(expected);
	});
});

describe('contact persons are recognised by e-mail, then name, never by position', () => {
	const person = (email: string, name: string): MappedRecord => ({
		entity: 'contact',
		originId: '',
		fields: {},
		identity: { email, name },
	});
	const row = (ID: number, n: number, email: string, NAME: string, LAST_NAME: string) => ({
		ID,
		ORIGIN_ID: `c:person:${n}`,
		NAME,
		LAST_NAME,
		EMAIL: email ? [{ VALUE: email.toUpperCase(), VALUE_TYPE: 'WORK' }] : [],
	});

	it('first import: positions 1..n', () => {
		const persons = [person('a@x.de', 'a a'), person('', 'b b')];
		expect(assignContactPersons('c', persons, [])).toEqual({ removed: [] });
		expect(persons.map((entry) => entry.originId)).toEqual(['c:person:1', 'c:person:2']);
	});

	it('reordered, renamed, added and removed', () => {
		const existing = [
			row(11, 1, 'a@x.de', 'Anna', 'Alt'),
			row(12, 2, '', 'Bernd', 'Bau'),
			row(13, 3, 'c@x.de', 'Clara', 'Chef'),
		];
		const persons = [person('', 'bernd bau'), person('a@x.de', 'anna neu'), person('d@x.de', 'dora dach')];
		expect(assignContactPersons('c', persons, existing)).toEqual({ removed: [13] });
		// Bernd by name, Anna by e-mail despite the new name, Dora new with a number nobody used (not Clara's 3).
		expect(persons.map((entry) => entry.originId)).toEqual(['c:person:2', 'c:person:1', 'c:person:4']);
	});

	it('rows of another company are ignored', () => {
		const persons = [person('a@x.de', 'anna alt')];
		assignContactPersons('c', persons, [{ ...row(11, 1, 'a@x.de', 'Anna', 'Alt'), ORIGIN_ID: 'other:person:1' }]);
		expect(persons[0].originId).toBe('c:person:1');
	});
});
