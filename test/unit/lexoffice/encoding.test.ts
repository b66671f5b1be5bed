import { encodeSearchValue, toQueryString } from '../../../nodes/Lexoffice/transport/encoding';

describe('encodeSearchValue (lexoffice-api.md §3.2)', () => {
	test.each([
		['johnson & partner', 'johnson &amp; partner'],
		['<b>Müller</b>', '&lt;b&gt;Müller&lt;/b&gt;'],
		['a&&b', 'a&amp;&amp;b'],
		['plain', 'plain'],
	])('%j → %j', (value, expected) => {
		expect(encodeSearchValue(value)).toBe(expected);
	});

	test('the query string carries %26amp%3B exactly once encoded', () => {
		expect(toQueryString({ name: encodeSearchValue('johnson & partner') })).toBe('name=johnson%20%26amp%3B%20partner');
	});

	test('literal escapes the SQL-like wildcards with a backslash', () => {
		expect(encodeSearchValue('a_b%c\\d', { literal: true })).toBe('a\\_b\\%c\\\\d');
		expect(encodeSearchValue('a_b%c', { literal: false })).toBe('a_b%c');
	});
});

describe('toQueryString', () => {
	test('joins lists with commas and leaves out empty values', () => {
		expect(
			toQueryString({
				voucherType: ['invoice', 'creditnote'],
				voucherStatus: 'any',
				archived: false,
				page: 0,
				contactId: undefined,
				name: '',
				number: null,
			}),
		).toBe('voucherType=invoice%2Ccreditnote&voucherStatus=any&archived=false&page=0');
	});

	test('empty query', () => {
		expect(toQueryString()).toBe('');
	});
});
