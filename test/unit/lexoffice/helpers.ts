import type { ExecuteContext } from 'n8n-core';

import { Lexoffice } from '../../../nodes/Lexoffice/Lexoffice.node';
import { setLexofficeRateLimit } from '../../../nodes/Lexoffice/transport';
import { createExecuteContext, type NodeRunOptions } from '../../helpers/n8nContext';
import type { LexofficeSandbox } from '../../sandbox/lexoffice';

/** Credentials aimed at a sandbox (optionally with another key). */
export function sandboxCredentials(sb: LexofficeSandbox, apiKey = sb.apiKey) {
	return { lexofficeApi: { apiKey, host: sb.url } };
}

/** A real n8n-core ExecuteContext of the LexOffice node, for calling the transport directly. */
export function executeContext(
	sb: LexofficeSandbox,
	options: Partial<NodeRunOptions> & { apiKey?: string } = {},
): ExecuteContext {
	return createExecuteContext(new Lexoffice(), {
		parameters: { resource: 'profile', operation: 'get' },
		credentials: sandboxCredentials(sb, options.apiKey),
		...options,
	});
}

/**
 * Tests that are not about the limiter lift it, so they don't wait for 2 req/s; limiter tests
 * set it back to the shipped default. (Jest isolates modules per test file.)
 */
export function liftRateLimit(): void {
	setLexofficeRateLimit({ capacity: 1000, refillPerSecond: 1000 });
}

/** A minimal valid contact for POST /v1/contacts (lexoffice-api.md §3.3). */
export function newCompanyContact(name: string) {
	return {
		version: 0,
		roles: { customer: {} },
		company: { name },
		addresses: { billing: [{ street: 'Hauptstr. 5', zip: '12345', city: 'Musterort', countryCode: 'DE' }] },
	};
}

export function contactsNamed(sb: LexofficeSandbox, name: string): number {
	return [...sb.state.contacts.values()].filter((contact) => contact.company?.name === name).length;
}

/** Everything an error exposes to a user or a log. */
export function errorText(error: unknown): string {
	const { message, description, context } = error as { message?: string; description?: string; context?: unknown };
	return [message, description, JSON.stringify(context ?? {}), JSON.stringify(error), String(error)].join('\n');
}
