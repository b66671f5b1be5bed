/**
 * Outbound events (bitrix24-api.md §10): a CRM change is queued and POSTed as
 * application/x-www-form-urlencoded with bracketed keys to every online handler bound to the event
 * (event.bind by the app, or an outgoing webhook configured in the portal UI). No retries: a failed
 * delivery is recorded and dropped.
 */
import { randomBytes } from 'node:crypto';

import { encodePhpForm, postForm } from './form';
import type { Portal } from './portal';
import { nextId, type EventBinding } from './state';

export interface EventDelivery {
	event: string;
	handler: string;
	source: EventBinding['source'] | 'direct';
	/** The nested payload; `body` is what went over the wire. */
	payload: Record<string, unknown>;
	body: string;
	at: string;
	status?: number;
	responseBody?: string;
	error?: string;
}

interface Pending {
	binding: Pick<EventBinding, 'id' | 'handler' | 'source' | 'applicationToken' | 'authType'>;
	event: string;
	fields: Record<string, unknown>;
	ts: number;
}

export type EventDeliveryMode = 'auto' | 'manual';

export class EventDispatcher {
	/** Finished deliveries (successful or not), oldest first. */
	readonly deliveries: EventDelivery[] = [];
	private readonly queue: Pending[] = [];
	private readonly inFlight = new Set<Promise<EventDelivery>>();
	/** While true, changes fire no events (seeding). */
	muted = false;

	constructor(
		private readonly portal: Portal,
		/** 'auto' delivers right after the change (like the queue server), 'manual' waits for flush(). */
		public mode: EventDeliveryMode,
		private readonly timeoutMs: number,
	) {}

	/** Called by the CRM methods after a change. */
	emit(event: string, fields: Record<string, unknown>): void {
		if (this.muted) return;
		const name = event.toUpperCase();
		const ts = Math.floor(this.portal.now() / 1000);
		for (const binding of this.portal.state.eventBindings) {
			if (binding.event === name && !binding.offline) this.queue.push({ binding, event: name, fields, ts });
		}
		if (this.mode === 'auto' && this.queue.length > 0) setImmediate(() => this.drain());
	}

	/** Events waiting for delivery (manual mode, or auto mode before the next tick). */
	pending(): Array<{ event: string; handler: string; fields: Record<string, unknown> }> {
		return this.queue.map(({ event, binding, fields }) => ({ event, handler: binding.handler, fields }));
	}

	/** Delivers everything queued and waits for deliveries in flight; returns what they produced. */
	async flush(): Promise<EventDelivery[]> {
		this.drain();
		const results: EventDelivery[] = [];
		while (this.inFlight.size > 0) results.push(...(await Promise.all([...this.inFlight])));
		return results;
	}

	/** Sends one event to any URL right away, e.g. to check a trigger's handling of a payload. */
	async deliverTo(handler: string, event: string, fields: Record<string, unknown>): Promise<EventDelivery> {
		const pending: Pending = {
			binding: {
				id: 0,
				handler,
				source: 'outgoing-webhook',
				applicationToken: this.portal.oauth.applicationToken,
				authType: 0,
			},
			event: event.toUpperCase(),
			fields,
			ts: Math.floor(this.portal.now() / 1000),
		};
		const delivery = await this.deliver(pending);
		delivery.source = 'direct';
		return delivery;
	}

	/**
	 * An outgoing webhook as configured in the portal UI (§10): handler + events, its own
	 * application token, no OAuth tokens in the payload. Returns the token the UI shows.
	 */
	addOutgoingWebhook(handler: string, events: string[], applicationToken = randomBytes(16).toString('hex')): string {
		for (const event of events) {
			this.portal.state.eventBindings.push({
				id: nextId(this.portal.state, 'event'),
				event: event.toUpperCase(),
				handler,
				authType: 0,
				offline: false,
				authConnector: '',
				source: 'outgoing-webhook',
				applicationToken,
			});
		}
		return applicationToken;
	}

	private drain(): void {
		for (const pending of this.queue.splice(0)) {
			const delivery = this.deliver(pending);
			this.inFlight.add(delivery);
			void delivery.finally(() => this.inFlight.delete(delivery));
		}
	}

	private payload(pending: Pending): Record<string, unknown> {
		const { url, domain } = this.portal.endpoints();
		const auth: Record<string, unknown> = {
			domain,
			client_endpoint: `${url}/rest/`,
			server_endpoint: `${url}/rest/`,
			member_id: this.portal.oauth.memberId,
			application_token: pending.binding.applicationToken,
		};
		if (pending.binding.source === 'app') {
			// App events carry a token of the bound user (§10); outgoing webhooks never do.
			const tokens = this.portal.oauth.issue(pending.binding.authType || this.portal.oauth.userId);
			Object.assign(auth, {
				access_token: tokens.access_token,
				expires: tokens.expires,
				expires_in: tokens.expires_in,
				scope: tokens.scope,
				user_id: tokens.user_id,
				status: tokens.status,
			});
		}
		return {
			event: pending.event,
			event_handler_id: pending.binding.id,
			data: { FIELDS: pending.fields },
			ts: pending.ts,
			auth,
		};
	}

	private async deliver(pending: Pending): Promise<EventDelivery> {
		const payload = this.payload(pending);
		const delivery: EventDelivery = {
			event: pending.event,
			handler: pending.binding.handler,
			source: pending.binding.source,
			payload,
			body: encodePhpForm(payload),
			at: this.portal.iso(),
		};
		try {
			const response = await postForm(pending.binding.handler, payload, { timeoutMs: this.timeoutMs });
			delivery.status = response.status;
			delivery.responseBody = response.body;
		} catch (error) {
			delivery.error = error instanceof Error ? error.message : String(error);
		}
		this.deliveries.push(delivery);
		return delivery;
	}
}
