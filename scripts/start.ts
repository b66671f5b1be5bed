/**
 * `npm start`: the local stack for trying the package without accounts. Starts both sandboxes
 * (seeded with German test data, published rate limits), a real n8n 2.41.1 with the freshly
 * packed package installed, an owner account and both credentials, then prints where to log in
 * and keeps running until Ctrl-C.
 */
import { DEFAULT_OWNER, startN8n, type N8nInstance } from '../test/harness';
import { startBitrix24Sandbox } from '../test/sandbox/bitrix24';
import { startLexofficeSandbox } from '../test/sandbox/lexoffice';

const CONTACTS = Number(process.env.SANDBOX_CONTACTS ?? 120);

/** The credential names the bundled workflows refer to. */
export const CREDENTIAL_NAMES = {
	lexoffice: 'LexOffice account',
	bitrix24Webhook: 'Bitrix24 webhook',
} as const;

async function main(): Promise<void> {
	const stops: Array<() => Promise<void>> = [];
	const stopAll = async () => {
		for (const stop of stops.reverse()) await stop().catch((error) => console.error(error));
	};
	process.once('SIGINT', () => void stopAll().then(() => process.exit(0)));
	process.once('SIGTERM', () => void stopAll().then(() => process.exit(0)));

	try {
		console.log('Starting the LexOffice and Bitrix24 sandboxes…');
		const lexoffice = await startLexofficeSandbox({ limits: 'published', seed: { contacts: CONTACTS } });
		stops.push(async () => await lexoffice.close());
		const bitrix24 = await startBitrix24Sandbox({ limits: 'published' });
		stops.push(async () => await bitrix24.close());

		console.log('Starting n8n 2.41.1 with the package installed (the first run installs n8n, 4–6 minutes)…');
		const n8n: N8nInstance = await startN8n();
		stops.push(async () => await n8n.stop());
		await n8n.setupOwner();
		await n8n.createApiKey('npm start');
		await n8n.createCredential(CREDENTIAL_NAMES.lexoffice, 'lexofficeApi', {
			apiKey: lexoffice.apiKey,
			host: lexoffice.url,
			appUrl: 'https://app.lexware.de',
			webhookPublicKey: lexoffice.publicKeyPem,
		});
		await n8n.createCredential(CREDENTIAL_NAMES.bitrix24Webhook, 'bitrix24WebhookApi', {
			webhookUrl: bitrix24.webhookUrl,
			plan: 'standard',
		});

		console.log(
			[
				'',
				`n8n:        ${n8n.baseUrl}`,
				`login:      ${DEFAULT_OWNER.email} / ${DEFAULT_OWNER.password}`,
				`credentials: "${CREDENTIAL_NAMES.lexoffice}" and "${CREDENTIAL_NAMES.bitrix24Webhook}" point at the sandboxes`,
				`LexOffice sandbox: ${lexoffice.url} (${CONTACTS} contacts; state under ${lexoffice.url}/_sandbox/)`,
				`Bitrix24 sandbox:  ${bitrix24.url} (state under ${bitrix24.url}/_sandbox/)`,
				`n8n log:    ${n8n.logFile}`,
				'',
				'Press Ctrl-C to stop everything.',
			].join('\n'),
		);
	} catch (error) {
		console.error(error);
		await stopAll();
		process.exit(1);
	}
}

void main();
