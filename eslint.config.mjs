// Shipped code (nodes/, credentials/, package.json) is linted by the config n8n publishes for
// community nodes (@n8n/node-cli, the same that `n8n-node lint` in n8n-nodes-starter runs), imported,
// not copied, so it cannot drift. Tests, sandboxes and scripts get the TypeScript rules only,
// because they legitimately use node:http, fs and timers, which the community-node rules forbid.
import js from '@eslint/js';
import { config as n8nCommunityNodeConfig } from '@n8n/node-cli/eslint';
import tseslint from 'typescript-eslint';

const SHIPPED = ['nodes/**/*.ts', 'credentials/**/*.ts'];

/** n8n's config says `**\/*.ts` for "everything in a node package"; here that is the shipped code. */
const scopedToShippedCode = n8nCommunityNodeConfig.map((entry) =>
	entry.files?.length === 1 && entry.files[0] === '**/*.ts' ? { ...entry, files: SHIPPED } : entry,
);

export default tseslint.config(
	{ ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
	...scopedToShippedCode,
	{
		files: ['test/**/*.ts', 'scripts/**/*.ts'],
		extends: [js.configs.recommended, tseslint.configs.recommended],
		rules: { '@typescript-eslint/no-explicit-any': 'off' },
	},
);
