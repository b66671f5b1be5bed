import type { IDataObject, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';

import { parsePortalUrl, type PortalEndpoint } from '../Bitrix24/transport/urls';
import { formText, objectAt } from './formBody';

/**
 * The install callback of a local application ("Initial installation path", bitrix24-api.md §1.2):
 * Bitrix24's backend POSTs `event=ONAPPINSTALL`, `data[…]` and `auth[…]` (access and refresh
 * token, `application_token`, `member_id`, `domain`, endpoints) once, when the app is saved.
 *
 * What must be kept is the application token (it authenticates every later event and placement
 * call, §1.3), the portal and its member id. The access and refresh tokens are left out of the
 * output: the OAuth2 credential gets its own through n8n's OAuth flow. The application token is
 * the one secret this output carries on purpose; the instructions say to delete the execution.
 */
export interface InstallCallback {
	event: string;
	/** The app's client id, as the portal named it when it confirmed the callback's access token. */
	clientId?: string;
	applicationToken: string;
	memberId: string;
	domain: string;
	portalUrl: string;
	clientEndpoint: string;
	serverEndpoint: string;
	scope: string;
	status: string;
	application: IDataObject;
	instructions: string;
}

/**
 * The portal the callback must come from ("Portal Address"), or undefined when none is set. The
 * callback is only believed once this portal confirms the access token the callback carries.
 */
export function installPortal(this: IWebhookFunctions | IHookFunctions): PortalEndpoint | undefined {
	try {
		return parsePortalUrl(this.getNodeParameter('expectedPortal', ''));
	} catch {
		return undefined;
	}
}

export function installInstructions(portalUrl: string): string {
	return [
		'Bitrix24 installed the local application. Store these values now; Bitrix24 sends them only once.',
		'1. In n8n, open the "Bitrix24 OAuth2 API" credential for this app and paste applicationToken into "Application Token".',
		`2. Check that its portal address is ${portalUrl} and connect the credential if you have not yet.`,
		'3. Then delete this execution (or disable saving of successful executions for this workflow): it contains the token.',
	].join('\n');
}

/** The callback's values, or the names of the required fields that are missing. */
export function parseInstallCallback(body: IDataObject): InstallCallback | { missing: string[] } {
	const auth = objectAt(body.auth);
	const applicationToken = formText(auth.application_token);
	const memberId = formText(auth.member_id);
	const domain = formText(auth.domain).toLowerCase();
	const missing = [
		['auth[application_token]', applicationToken],
		['auth[member_id]', memberId],
		['auth[domain]', domain],
	]
		.filter(([, value]) => value === '')
		.map(([name]) => name);
	if (missing.length > 0 || !/^[a-z0-9.-]+(:\d{1,5})?$/.test(domain)) {
		return { missing: missing.length > 0 ? missing : ['auth[domain] (not a host name)'] };
	}
	const portalUrl = `https://${domain}`;
	return {
		event: formText(body.event) || 'ONAPPINSTALL',
		applicationToken,
		memberId,
		domain,
		portalUrl,
		clientEndpoint: formText(auth.client_endpoint),
		serverEndpoint: formText(auth.server_endpoint),
		scope: formText(auth.scope),
		status: formText(auth.status),
		application: objectAt(body.data),
		instructions: installInstructions(portalUrl),
	};
}
