import { parseBenchOptions } from '../../../scripts/lib/benchOptions';

describe('parseBenchOptions', () => {
	it('defaults to 10 000 contacts, a naive baseline of 50 and the three speed parts', () => {
		expect(parseBenchOptions([], {})).toEqual({
			contacts: 10_000,
			naiveRecords: 50,
			parts: ['published', 'naive', 'unlimited'],
			out: 'bench-results/latest.json',
			timeoutMinutes: 240,
			faultContacts: 2000,
			optimeContacts: 10_000,
			optimeWriteMs: 50,
			optimeWindowSeconds: 600,
		});
	});

	it('takes the faults and optime parts with their own sizes', () => {
		const options = parseBenchOptions(['--parts=optime,faults', '--fault-contacts=500', '--optime-window=60'], {
			BENCH_OPTIME_CONTACTS: '1000',
		});
		expect(options).toMatchObject({
			parts: ['faults', 'optime'],
			faultContacts: 500,
			optimeContacts: 1000,
			optimeWindowSeconds: 60,
		});
	});

	it('takes flags over environment variables', () => {
		const options = parseBenchOptions(['--contacts=300', '--parts=unlimited'], {
			BENCH_CONTACTS: '5000',
			BENCH_NAIVE: '20',
			BENCH_PARTS: 'published',
		});
		expect(options).toMatchObject({ contacts: 300, naiveRecords: 20, parts: ['unlimited'] });
	});

	it('runs the parts in their fixed order whatever order they were given in', () => {
		expect(parseBenchOptions(['--parts=unlimited,naive,published'], {}).parts).toEqual([
			'published',
			'naive',
			'unlimited',
		]);
	});

	it.each([
		[['--contacts=0'], /--contacts must be a whole number/],
		[['--contacts=1.5'], /--contacts/],
		[['--naive=251'], /from 1 to 250/],
		[['--parts=fast'], /--parts takes/],
		[['--parts=naive'], /add published/],
		[['--speed=1'], /unknown option --speed/],
		[['300'], /unknown argument '300'/],
	])('rejects %j', (argv, message) => {
		expect(() => parseBenchOptions(argv, {})).toThrow(message);
	});
});
