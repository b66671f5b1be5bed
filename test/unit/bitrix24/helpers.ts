/** Shared set-up for the Bitrix24 tests that run the transport against the sandbox. */
import { inspect } from 'node:util';

import type { ICredentialDataDecryptedObject, INodeExecutionData } from 'n8n-workflow';

import { Bitrix24 } from '../../../nodes/Bitrix24/Bitrix24.node';
import {
	createExecuteContext,
	createNodeHarness,
	type CredentialFixtures,
	type NodeHarness,
} from '../../helpers/n8nContext';
import type { Bitrix24Sandbox } from '../../sandbox/bitrix24';

/** Tests use the Enterprise plan so our own pacing (250 burst) never slows them down. */
export function webhookCredentials(sb: Bitrix24Sandbox, plan = 'enterprise'): ICredentialDataDecryptedObject {
	return { webhookUrl: sb.webhookUrl, plan };
}

export async function oauthCredentials(
	sb: Bitrix24Sandbox,
	plan = 'enterprise',
): Promise<ICredentialDataDecryptedObject> {
	const tokens = await sb.oauth.issueTokens();
	return {
		portalUrl: sb.url,
		clientId: sb.oauth.clientId,
		clientSecret: sb.oauth.clientSecret,
		accessTokenUrl: sb.oauth.tokenUrl,
		applicationToken: sb.oauth.applicationToken,
		plan,
		oauthTokenData: { ...tokens },
	};
}

export type Authentication = 'webhook' | 'oAuth2';

export function credentialsFor(
	authentication: Authentication,
	data: ICredentialDataDecryptedObject,
): CredentialFixtures {
	return authentication === 'webhook' ? { bitrix24WebhookApi: data } : { bitrix24OAuth2Api: data };
}

/** A real n8n-core ExecuteContext for the Bitrix24 node, to call transport functions with. */
export function executeContext(
	authentication: Authentication,
	credentials: ICredentialDataDecryptedObject,
	items: INodeExecutionData[] = [{ json: {} }],
	harness?: NodeHarness,
) {
	const options = {
		parameters: { authentication, resource: 'callMethod', operation: 'call', method: 'user.current' },
		credentials: credentialsFor(authentication, credentials),
		items,
	};
	return createExecuteContext(new Bitrix24(), options, harness ?? createNodeHarness(new Bitrix24(), options));
}

/** REST calls the sandbox answered (token requests excluded). */
export function restCalls(sb: Bitrix24Sandbox) {
	return sb.requests.calls().filter((entry) => entry.path.startsWith('/rest/'));
}

/** Everything an error exposes (message, description, context, cause chain), as one string. */
export function everythingIn(error: unknown): string {
	const { message, description, context } = error as { message?: string; description?: string; context?: unknown };
	return [inspect(error, { depth: 12, showHidden: true }), message, description, JSON.stringify(context ?? {})].join(
		'\n',
	);
}

export async function caught(promise: Promise<unknown>): Promise<Error> {
	try {
		await promise;
	} catch (error) {
		return error as Error;
	}
	throw new Error('expected the call to fail');
}
