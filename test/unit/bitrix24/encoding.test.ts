import { parsePhpParams } from '../../sandbox/common';
import { httpBuildQuery, phpUrlencode, referencedCommandKeys } from '../../../nodes/Bitrix24/transport/httpBuildQuery';

describe('phpUrlencode (PHP urlencode, RFC 1738)', () => {
	it.each([
		['Anna Müller', 'Anna+M%C3%BCller'],
		['a@b.de', 'a%40b.de'],
		["it's (fine)*!~", 'it%27s+%28fine%29%2A%21%7E'],
		['A-Z_a.z-09', 'A-Z_a.z-09'],
		['x=1&y=2', 'x%3D1%26y%3D2'],
		['[]', '%5B%5D'],
	])('%p → %p', (input, expected) => {
		expect(phpUrlencode(input)).toBe(expected);
	});
});

describe('httpBuildQuery', () => {
	it('writes what PHP http_build_query writes for nested fields, lists and booleans', () => {
		// php -r 'echo http_build_query(["fields"=>["NAME"=>"Anna Müller","OPENED"=>true,"EXPORT"=>false,
		//   "EMAIL"=>[["VALUE"=>"a@b.de","VALUE_TYPE"=>"WORK"]]],"select"=>["ID","NAME"],"start"=>0]);'
		expect(
			httpBuildQuery({
				fields: {
					NAME: 'Anna Müller',
					OPENED: true,
					EXPORT: false,
					EMAIL: [{ VALUE: 'a@b.de', VALUE_TYPE: 'WORK' }],
				},
				select: ['ID', 'NAME'],
				start: 0,
			}),
		).toBe(
			'fields%5BNAME%5D=Anna+M%C3%BCller&fields%5BOPENED%5D=1&fields%5BEXPORT%5D=0' +
				'&fields%5BEMAIL%5D%5B0%5D%5BVALUE%5D=a%40b.de&fields%5BEMAIL%5D%5B0%5D%5BVALUE_TYPE%5D=WORK' +
				'&select%5B0%5D=ID&select%5B1%5D=NAME&start=0',
		);
	});

	it('skips null, undefined and empty containers like PHP does', () => {
		expect(httpBuildQuery({ a: null, b: undefined, c: [], d: {}, e: '', f: 1.5 })).toBe('e=&f=1.5');
	});

	it('encodes operator keys such as >ID and %NAME', () => {
		expect(httpBuildQuery({ filter: { '>ID': 10, '%NAME': 'Gräf' } })).toBe(
			'filter%5B%3EID%5D=10&filter%5B%25NAME%5D=Gr%C3%A4f',
		);
	});

	it('leaves batch references unencoded, alone or inside text', () => {
		const query = httpBuildQuery({
			fields: { ENTITY_ID: '$result[rq]', TITLE: 'Kontakt $result[c][item][id] (neu)', X: '$result_error[a]' },
		});
		expect(query).toBe(
			'fields%5BENTITY_ID%5D=$result[rq]&fields%5BTITLE%5D=Kontakt+$result[c][item][id]+%28neu%29&fields%5BX%5D=$result_error[a]',
		);
	});

	it('round-trips through a PHP-style query parser', () => {
		const params = {
			filter: { '>ID': 0, '=TYPE_ID': ['CLIENT', 'PARTNER'], NAME: 'Zoë & Co = "Ä"' },
			order: { ID: 'ASC' },
			select: ['*', 'UF_*', 'EMAIL'],
			start: -1,
		};
		const parsed = parsePhpParams(new URLSearchParams(httpBuildQuery(params)));
		expect(parsed).toEqual({
			filter: { '>ID': '0', '=TYPE_ID': ['CLIENT', 'PARTNER'], NAME: 'Zoë & Co = "Ä"' },
			order: { ID: 'ASC' },
			select: ['*', 'UF_*', 'EMAIL'],
			start: '-1',
		});
	});
});

describe('referencedCommandKeys', () => {
	it('finds every command a parameter tree refers to', () => {
		expect(
			[
				...referencedCommandKeys({
					a: '$result[one][ID]',
					b: ['x $result[two] y', { c: '$result_error[three]' }],
					d: 5,
				}),
			].sort(),
		).toEqual(['one', 'three', 'two']);
	});

	it('finds nothing in plain values', () => {
		expect(referencedCommandKeys({ a: '$5 result', b: '[x]', c: '$resulted[x]' }).size).toBe(0);
	});
});
