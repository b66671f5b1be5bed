/** Two projects: fast in-process tests, and the real-n8n end-to-end suite (slow, serial). */
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.test.json', diagnostics: false }];

module.exports = {
	// A guard against hangs, not a speed budget: record-heavy in-process tests take seconds on an idle
	// machine and many times that on a busy one. (A global option: jest ignores it inside a project,
	// which left the unit tests on the 5 s default.)
	testTimeout: 60_000,
	projects: [
		{
			displayName: 'unit',
			testEnvironment: 'node',
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
