/**
 * The pieces of a local stack that `npm start` and `npm run bench` share: the two sandboxes, the
 * credentials the bundled workflows bind to by name, and the "Bitrix24 app" OAuth2 credential.
 */
import {
	connectSandboxApp,
	CREDENTIAL_NAMES,
	startN8n,
	startQueueStack,
	type N8nClient,
	type N8nInstance,
	type QueueStack,
	type QueueStackOptions,
} from '../../test/harness';
import { startBitrix24Sandbox, type Bitrix24Limits } from '../../test/sandbox/bitrix24';
import type { LimitSetting } from '../../test/sandbox/common';
import { startLexofficeSandbox } from '../../test/sandbox/lexoffice';

export type LexofficeSandbox = Awaited<ReturnType<typeof startLexofficeSandbox>>;
export type Bitrix24Sandbox = Awaited<ReturnType<typeof startBitrix24Sandbox>>;
export type Bitrix24Plan = 'standard' | 'enterprise';

export { CREDENTIAL_NAMES };

/** Where the two APIs are, for the credentials: the sandboxes or the real services. */
export interface ServiceEndpoints {
	lexoffice: { apiKey: string; host?: string; webhookPublicKey?: string; searchWindow?: number };
	bitrix24: { webhookUrl: string; plan: Bitrix24Plan };
}

/**
 * The real services when both LEXOFFICE_API_KEY and BITRIX24_WEBHOOK_URL are set; undefined when
 * neither is; an error when only one is (half a real setup would silently mix real and fake data).
 */
export function realEndpointsFromEnv(env: NodeJS.ProcessEnv): ServiceEndpoints | undefined {
	const apiKey = env.LEXOFFICE_API_KEY?.trim();
	const webhookUrl = env.BITRIX24_WEBHOOK_URL?.trim();
	if (!apiKey && !webhookUrl) return undefined;
	if (!apiKey || !webhookUrl) {
		throw new Error(
			'Set both LEXOFFICE_API_KEY and BITRIX24_WEBHOOK_URL to use the real services, or neither for the sandboxes.',
		);
	}
	return {
		lexoffice: { apiKey, ...(env.LEXOFFICE_API_HOST ? { host: env.LEXOFFICE_API_HOST } : {}) },
		bitrix24: { webhookUrl, plan: env.BITRIX24_PLAN === 'enterprise' ? 'enterprise' : 'standard' },
	};
}

export interface Sandboxes {
	lexoffice: LexofficeSandbox;
	bitrix24: Bitrix24Sandbox;
	endpoints(plan: Bitrix24Plan): ServiceEndpoints;
	close(): Promise<void>;
}

export interface SandboxOptions {
	limits: 'published' | 'off';
	/** LexOffice contacts to seed (test/sandbox/seed: persons, companies with contact persons, addresses). */
	contacts: number;
	/** Also fill Bitrix24 with German CRM records of its own (contacts without a LexOffice link). */
	seedBitrix24?: boolean;
	seed?: number;
	/** Multiplies LexOffice's webhook retry delays (tests: 0.05 turns the first retry's 10 s into 0.5 s). */
	webhookTimeScale?: number;
	/** How long LexOffice waits for the answer to a delivery (default the documented 5 s, lexoffice-api.md §6.5). */
	webhookTimeoutMs?: number;
}

export async function startSandboxes(options: SandboxOptions): Promise<Sandboxes> {
	const lexofficeLimits: LimitSetting = options.limits;
	const bitrix24Limits: Bitrix24Limits = options.limits;
	const lexoffice = await startLexofficeSandbox({
		limits: lexofficeLimits,
		seed: { contacts: options.contacts, seed: options.seed ?? 1 },
		timeScale: options.webhookTimeScale,
		deliveryTimeoutMs: options.webhookTimeoutMs,
	});
	const bitrix24 = await startBitrix24Sandbox({ limits: bitrix24Limits, seed: options.seedBitrix24 ?? false }).catch(
		async (error: unknown) => {
			await lexoffice.close();
			throw error;
		},
	);
	return {
		lexoffice,
		bitrix24,
		endpoints: (plan) => ({
			// The credential's limits are LexOffice's published ones; the search window is the sandbox's.
			lexoffice: {
				apiKey: lexoffice.apiKey,
				host: lexoffice.url,
				webhookPublicKey: lexoffice.publicKeyPem,
				searchWindow: lexoffice.searchWindow,
			},
			bitrix24: { webhookUrl: bitrix24.webhookUrl, plan },
		}),
		close: async () => {
			await Promise.allSettled([lexoffice.close(), bitrix24.close()]);
		},
	};
}

export interface RunningN8n {
	/** The n8n that serves the editor and the APIs (in queue mode: the main process). */
	n8n: N8nInstance;
	apiKey: string;
	/** In queue mode: the workers, the webhook processor, PostgreSQL and Redis as well. */
	queue?: QueueStack;
	/** Stops every process started here. */
	stop(): Promise<void>;
}

/**
 * A real n8n with the package installed, an owner, an API key and the two credentials; with
 * `queue`, n8n in queue mode (main, workers, webhook processor on PostgreSQL and Redis); `env`, n8n
 * settings for the single process (e.g. the expression engine's).
 */
export async function startN8nWithCredentials(
	endpoints: ServiceEndpoints,
	apiKeyLabel: string,
	{ queue, env }: { queue?: QueueStackOptions; env?: Record<string, string> } = {},
): Promise<RunningN8n> {
	const stack = queue ? await startQueueStack(queue) : undefined;
	const n8n = stack?.main ?? (await startN8n({ env }));
	const stop = async () => await (stack ?? n8n).stop();
	try {
		await n8n.setupOwner();
		const apiKey = await n8n.createApiKey(apiKeyLabel);
		await n8n.createCredential(CREDENTIAL_NAMES.lexoffice, 'lexofficeApi', endpoints.lexoffice);
		await n8n.createCredential(CREDENTIAL_NAMES.bitrix24Webhook, 'bitrix24WebhookApi', endpoints.bitrix24);
		return { n8n, apiKey, queue: stack, stop };
	} catch (error) {
		await stop();
		throw error;
	}
}

/**
 * The OAuth2 credential gets its tokens through n8n's own authorization-code flow, as the editor's
 * "Connect" button does (the harness's connectOAuth2: the sandbox's consent screen allows at
 * once). A real portal needs a person at the consent screen, so there it is left to the user.
 */
export async function createAppCredential(
	n8n: N8nClient,
	bitrix24: Bitrix24Sandbox | undefined,
	plan: Bitrix24Plan,
): Promise<{ created: boolean; message: string }> {
	if (!bitrix24) {
		return {
			created: false,
			message:
				`"${CREDENTIAL_NAMES.bitrix24App}" not created: a real portal issues OAuth tokens only after the consent in the browser. ` +
				"Create it in the editor (Credentials → Bitrix24 OAuth2 API) with your local application's client id and secret, then Connect.",
		};
	}
	const id = await connectSandboxApp(n8n, bitrix24, plan);
	const test = await n8n.testCredential(id);
	return {
		created: test.status === 'OK',
		message:
			test.status === 'OK'
				? `"${CREDENTIAL_NAMES.bitrix24App}" connected to the sandbox's app through n8n's OAuth2 flow`
				: `"${CREDENTIAL_NAMES.bitrix24App}" was created but n8n's test says: ${test.message}`,
	};
}
