import { missingPrerequisites, prerequisitesMessage } from '../../harness/queueStack';

describe('queue-mode prerequisites', () => {
	const complete = {
		postgresBin: '/usr/lib/postgresql/15/bin',
		redisServer: '/usr/bin/redis-server',
		needsPostgresUser: true,
		hasPostgresUser: true,
	};

	it('finds nothing missing when the binaries and the postgres user are there', () => {
		expect(missingPrerequisites(complete)).toEqual([]);
	});

	it('names each missing part and how to install it', () => {
		const missing = missingPrerequisites({ ...complete, postgresBin: undefined, redisServer: undefined });
		expect(missing).toEqual([
			expect.stringContaining('PostgreSQL server binaries'),
			expect.stringContaining('redis-server'),
		]);
		const message = prerequisitesMessage(missing);
		expect(message).toContain('Missing: PostgreSQL server binaries');
		expect(message).toContain('apt-get install -y postgresql redis-server');
	});

	it('asks for the postgres user only when running as root', () => {
		expect(missingPrerequisites({ ...complete, hasPostgresUser: false })).toEqual([
			expect.stringContaining('`postgres` user'),
		]);
		expect(missingPrerequisites({ ...complete, needsPostgresUser: false, hasPostgresUser: false })).toEqual([]);
	});
});
