/** Two projects: fast in-process tests, and the real-n8n end-to-end suite (slow, serial). */
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.test.json', diagnostics: false }];

module.exports = {
	projects: [
		{
			displayName: 'unit',
			testEnvironment: 'node',
			// A guard against hangs, not a speed budget: the 500-record upsert runs take seconds under load.
			testTimeout: 30_000,
			transform: { '^.+\\.ts$': tsJest },
			testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
		},
		{
			displayName: 'e2e',
			testEnvironment: 'node',
			// Installs the cached n8n before any e2e file starts, so a first install counts against no test.
			globalSetup: '<rootDir>/test/harness/globalSetup.ts',
			transform: { '^.+\\.ts$': tsJest },
			testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
		},
	],
};
