import { startBitrix24Sandbox, type Bitrix24Sandbox } from '../../../sandbox/bitrix24';
import { restCalls } from '../helpers';
import { listSearch, loadOptions } from './run';

describe('"Responsible Person" pickers (user.get, bitrix24-api.md §11)', () => {
	let sb: Bitrix24Sandbox;
	beforeAll(async () => {
		// More active employees than one page of 50.
		sb = await startBitrix24Sandbox({ limits: 'off', userCount: 80 });
	});
	afterAll(async () => await sb.close());
	beforeEach(() => sb.requests.clear());

	const activeEmployees = () => sb.state.users.filter((user) => user.ACTIVE && user.USER_TYPE === 'employee');

	it('the searchable list pages through active employees 50 at a time', async () => {
		const first = await listSearch(sb, 'searchUsers');
		expect(first.results).toHaveLength(50);
		expect(first.paginationToken).toBe('50');
		const second = await listSearch(sb, 'searchUsers', undefined, first.paginationToken as string);
		expect(second.paginationToken).toBeUndefined();
		const listed = [...first.results, ...second.results].map((result) => Number(result.value));
		expect(listed).toEqual(activeEmployees().map((user) => user.ID));
		const someone = activeEmployees()[3];
		expect(first.results[3].name).toBe(`${someone.NAME} ${someone.LAST_NAME}`);
		expect(restCalls(sb)).toHaveLength(2);
	});

	it('search text narrows the list on the portal (NAME_SEARCH)', async () => {
		const target = activeEmployees()[60];
		const { results } = await listSearch(sb, 'searchUsers', target.EMAIL);
		expect(results).toEqual([{ name: `${target.NAME} ${target.LAST_NAME}`, value: String(target.ID) }]);
	});

	it('the plain dropdown lists every active employee, sorted by name', async () => {
		const options = await loadOptions(sb, 'getUsers', { resource: 'smartInvoice', operation: 'getMany' });
		expect(options.map((option) => Number(option.value)).sort((a, b) => a - b)).toEqual(
			activeEmployees().map((user) => user.ID),
		);
		const names = options.map((option) => option.name);
		expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
	});
});
