import { createHash } from 'crypto';
import type { IAllExecuteFunctions, ICredentialDataDecryptedObject } from 'n8n-workflow';

import { bitrix24ConfigError } from './errors';
import { DEFAULT_OPERATING_LIMIT_SECONDS, planOf, type Bitrix24Plan } from './limits';
import { parsePortalUrl, parseWebhookUrl } from './urls';

/** Any n8n context that can make authenticated requests (execute, load options, hooks, webhooks…). */
export type Bitrix24Context = IAllExecuteFunctions;

export type Bitrix24Authentication = 'webhook' | 'oAuth2';

const webhookCredentialType = 'bitrix24WebhookApi';
const applicationCredentialType = 'bitrix24OAuth2Api';

/** The credential type behind each value of the node's `authentication` parameter. */
export const CREDENTIAL_TYPES: Record<Bitrix24Authentication, string> = {
	webhook: webhookCredentialType,
	oAuth2: applicationCredentialType,
};

/** Everything the transport needs to know about the account behind a node, secrets included. */
export interface Bitrix24Connection {
	authentication: Bitrix24Authentication;
	credentialType: string;
	/** `host[:port]` of the portal: the leaky bucket is per portal (bitrix24-api.md §3.1). */
	host: string;
	plan: Bitrix24Plan;
	operatingLimitSeconds: number;
	/** Stable, secret-free id of the app or webhook: the operating-time budget is per app/webhook (§3.2). */
	identity: string;
	/**
	 * The URL for a method. For webhooks it stays relative: the credential's `authenticate` puts
	 * the secret base in front, so the secret never passes through node code.
	 */
	methodUrl(method: string): string;
	/** `https://portal/rest/` without any secret: where a caller's own access token is checked. */
	restBase: string;
	/** Strings that must never appear in an error (webhook secret, tokens, client secret). */
	secrets: string[];
}

function shortHash(text: string): string {
	return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/**
 * Reads the node's `authentication` parameter straight from the node: it is not an expression,
 * and hooks, load-options and execute contexts read parameters with different signatures.
 */
export function authenticationOf(this: Bitrix24Context): Bitrix24Authentication {
	return this.getNode().parameters.authentication === 'oAuth2' ? 'oAuth2' : 'webhook';
}

function oauthSecrets(credentials: ICredentialDataDecryptedObject): string[] {
	const token = (credentials.oauthTokenData ?? {}) as Record<string, unknown>;
	return [token.access_token, token.refresh_token, credentials.clientSecret, credentials.applicationToken].filter(
		(value): value is string => typeof value === 'string' && value !== '',
	);
}

export async function resolveConnection(
	this: Bitrix24Context,
	authentication: Bitrix24Authentication = authenticationOf.call(this),
): Promise<Bitrix24Connection> {
	const credentialType = CREDENTIAL_TYPES[authentication];
	const credentials = await this.getCredentials(credentialType);
	const common = {
		authentication,
		credentialType,
		plan: planOf(credentials.plan),
		operatingLimitSeconds: Number(credentials.operatingLimitSeconds) || DEFAULT_OPERATING_LIMIT_SECONDS,
	};
	try {
		if (authentication === 'webhook') {
			const webhook = parseWebhookUrl(credentials.webhookUrl);
			return {
				...common,
				host: webhook.host,
				identity: `webhook:${webhook.host}:${shortHash(webhook.base)}`,
				methodUrl: (method) => method,
				restBase: webhook.base.slice(0, webhook.base.length - `${webhook.userId}/${webhook.secret}/`.length),
				secrets: [webhook.base, webhook.secret, credentials.applicationToken].filter(
					(value): value is string => typeof value === 'string' && value !== '',
				),
			};
		}
		const portal = parsePortalUrl(credentials.portalUrl);
		return {
			...common,
			host: portal.host,
			identity: `app:${portal.host}:${shortHash(String(credentials.clientId ?? ''))}`,
			methodUrl: (method) => `${portal.restBase}${method}`,
			restBase: portal.restBase,
			secrets: oauthSecrets(credentials),
		};
	} catch (error) {
		throw bitrix24ConfigError(
			this.getNode(),
			(error as Error).message,
			`Open the "${credentialType}" credential and correct it.`,
			typeof credentials.webhookUrl === 'string' ? [credentials.webhookUrl] : [],
		);
	}
}

/**
 * The credential and the account behind it (`type id portal identity`), secret-free: names state
 * that must never pass from one credential or portal to another, such as per-execution reads.
 */
export async function accountKeyOf(this: Bitrix24Context): Promise<string> {
	const connection = await resolveConnection.call(this);
	const credentialId = this.getNode().credentials?.[connection.credentialType]?.id ?? '';
	return `${connection.credentialType} ${credentialId} ${connection.identity}`;
}

/** Which portal a node writes to (`host[:port]`), secret-free: names per-portal state such as locks. */
export async function portalHostOf(this: Bitrix24Context): Promise<string> {
	return (await resolveConnection.call(this)).host;
}
