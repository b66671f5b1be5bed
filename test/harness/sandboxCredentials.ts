/**
 * Credentials pointing at the sandboxes, under the names the bundled workflows bind to
 * (`{ "id": null, "name": … }`), for the e2e tests, `npm start` and `npm run bench`.
 */
import type { startBitrix24Sandbox } from '../sandbox/bitrix24';
import type { LexofficeSandbox } from '../sandbox/lexoffice';
import type { N8nClient } from './n8nClient';

type Bitrix24Sandbox = Awaited<ReturnType<typeof startBitrix24Sandbox>>;

/**
 * n8n's own default names: the editor pre-fills a new credential's name with the credential type's
 * display name minus "API"/"OAuth2" plus "account" (editor-ui getNewCredentialName), and import binds
 * a reference `{ id: null, name }` to the one credential of that type with that name
 * (WorkflowHelpers.replaceInvalidCredentials).
 */
export const CREDENTIAL_NAMES = {
	lexoffice: 'LexOffice account',
	bitrix24Webhook: 'Bitrix24 Webhook account',
	bitrix24App: 'Bitrix24 account',
} as const;

/**
 * "Bitrix24 app" for the sandbox's local application, connected through n8n's own OAuth2
 * authorization-code flow (connectOAuth2), as the editor's "Connect" button does; returns its id.
 */
export async function connectSandboxApp(
	n8n: N8nClient,
	bitrix24: Bitrix24Sandbox,
	plan = 'enterprise',
): Promise<string> {
	const { id } = await n8n.createCredential(CREDENTIAL_NAMES.bitrix24App, 'bitrix24OAuth2Api', {
		portalUrl: bitrix24.url,
		accessTokenUrl: bitrix24.oauth.tokenUrl,
		clientId: bitrix24.oauth.clientId,
		clientSecret: bitrix24.oauth.clientSecret,
		applicationToken: bitrix24.oauth.applicationToken,
		plan,
	});
	await n8n.connectOAuth2(id);
	return id;
}

export interface SandboxCredentialExtras {
	/** More fields of "Bitrix24 Webhook account", e.g. the application token the Bitrix24 Trigger checks. */
	bitrix24Webhook?: Record<string, unknown>;
	/** Also "Bitrix24 account", the sandbox's local app connected through OAuth2 (connectSandboxApp). */
	app?: boolean;
}

/**
 * A fresh n8n made ready for the bundled workflows against the sandboxes, as a user sets it up:
 * the owner account (session for /rest), an API key (for /api/v1), "LexOffice account" (with the
 * key LexOffice signs its deliveries with) and "Bitrix24 Webhook account" on the enterprise plan,
 * plus the local app when asked. Returns the API key and the app credential's id.
 */
export async function createSandboxCredentials(
	n8n: N8nClient,
	lexoffice: LexofficeSandbox,
	bitrix24: Bitrix24Sandbox,
	extras: SandboxCredentialExtras = {},
): Promise<{ apiKey: string; appCredentialId?: string }> {
	await n8n.setupOwner();
	const apiKey = await n8n.createApiKey();
	await n8n.createCredential(CREDENTIAL_NAMES.lexoffice, 'lexofficeApi', {
		apiKey: lexoffice.apiKey,
		host: lexoffice.url,
		webhookPublicKey: lexoffice.publicKeyPem,
	});
	await n8n.createCredential(CREDENTIAL_NAMES.bitrix24Webhook, 'bitrix24WebhookApi', {
		webhookUrl: bitrix24.webhookUrl,
		plan: 'enterprise',
		...extras.bitrix24Webhook,
	});
	const appCredentialId = extras.app ? await connectSandboxApp(n8n, bitrix24) : undefined;
	return { apiKey, appCredentialId };
}
