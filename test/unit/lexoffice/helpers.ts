import type { ExecuteContext } from 'n8n-core';

import { Lexoffice } from '../../../nodes/Lexoffice/Lexoffice.node';
import { createExecuteContext, type NodeRunOptions } from '../../helpers/n8nContext';
import type { LexofficeSandbox } from '../../sandbox/lexoffice';

/**
 * Tests that are not about the limiter lift it in the credential, so they don't wait for 2 req/s;
 * limiter tests give the shipped defaults or their own numbers.
 */
export const UNLIMITED = { requestsPerSecond: 1000, burst: 1000 };

/** The credential settings for a client-side limit of `capacity` requests at once, `refillPerSecond` after that. */
export const clientLimit = ({ capacity, refillPerSecond }: { capacity: number; refillPerSecond: number }) => ({
	burst: capacity,
	requestsPerSecond: refillPerSecond / 0.9,
});

/** Credentials aimed at a sandbox (optionally with another key or limits), with its search window. */
export function sandboxCredentials(sb: LexofficeSandbox, apiKey = sb.apiKey, limits: object = UNLIMITED) {
	return { lexofficeApi: { apiKey, host: sb.url, searchWindow: sb.searchWindow, ...limits } };
}

/** A real n8n-core ExecuteContext of the LexOffice node, for calling the transport directly. */
export function executeContext(
	sb: LexofficeSandbox,
	options: Partial<NodeRunOptions> & { apiKey?: string; limits?: object } = {},
): ExecuteContext {
	return createExecuteContext(new Lexoffice(), {
		parameters: { resource: 'profile', operation: 'get' },
		credentials: sandboxCredentials(sb, options.apiKey, options.limits),
		...options,
	});
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
