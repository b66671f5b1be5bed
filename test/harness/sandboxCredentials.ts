/**
 * Credentials pointing at the sandboxes, under the names the bundled workflows bind to
 * (`{ "id": null, "name": … }`), for the e2e tests, `npm start` and `npm run bench`.
 */
import type { startBitrix24Sandbox } from '../sandbox/bitrix24';
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
