import { randomUUID, sign, type KeyObject } from 'node:crypto';

import { callCallback, type CallbackResult } from './callbackClient';
import type { LexofficeState } from './state';
import { lexofficeTimestamp } from './time';
import type { DeliveryAttempt, WebhookDelivery } from './types';

/** Webhook delivery: lexoffice-api.md §6.3–§6.5. */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * Documented waits before each retry (§6.5): phase 1 after 10, 20, 40, 80, 160 s; phase 2, after
 * a 30 min pause, 20 retries every 2 h. Read here as: the first phase-2 retry 30 min after the
 * last phase-1 one, the other 19 at 2 h intervals.
 */
export const RETRY_DELAYS_MS: readonly number[] = [
	10 * SECOND,
	20 * SECOND,
	40 * SECOND,
	80 * SECOND,
	160 * SECOND,
	30 * MINUTE,
	...Array.from({ length: 19 }, () => 2 * HOUR),
];

const SUCCESS = [200, 201, 202, 204];
const MAX_REDIRECTS = 3;

type Verdict = 'delivered' | 'retry' | 'retry-then-delete' | 'failed' | 'delete-now';

/** §6.5: which answers count as success, which are retried, which remove the subscription. */
function verdictFor(result: CallbackResult): Verdict {
	if ('error' in result) {
		// A DNS failure removes the subscription after the retry strategy, like a 404.
		return result.code === 'ENOTFOUND' || result.code === 'EAI_AGAIN' ? 'retry-then-delete' : 'retry';
	}
	const { status } = result;
	if (SUCCESS.includes(status)) return 'delivered';
	if (status === 410) return 'delete-now';
	if (status === 404) return 'retry-then-delete';
	if (status === 401 || status === 403 || status === 429 || status >= 500) return 'retry';
	return 'failed';
}

export interface FlushOptions {
	/** Give up (reject) after this long; default 30 s. */
	timeoutMs?: number;
	/** false: only wait for attempts that are in flight or due now, not for scheduled retries. */
	pendingRetries?: boolean;
}

export class WebhookDispatcher {
	private readonly timers = new Map<string, NodeJS.Timeout>();
	private readonly inFlight = new Set<Promise<void>>();
	private closed = false;

	constructor(
		private readonly state: LexofficeState,
		private readonly signingKey: KeyObject,
		private readonly options: { timeScale: number; timeoutMs: number },
	) {}

	/** The exact bytes LexOffice posts: the four fields, compact (§6.3/§6.4), and their RSA-SHA512 signature. */
	signedPayload(eventType: string, resourceId: string, eventDate: string): { body: string; signature: string } {
		const body = JSON.stringify({ organizationId: this.state.organizationId, eventType, resourceId, eventDate });
		return { body, signature: sign('sha512', Buffer.from(body, 'utf8'), this.signingKey).toString('base64') };
	}

	/** Queues one delivery per subscription of this event type and starts it right away. */
	emit(eventType: string, resourceId: string): WebhookDelivery[] {
		const eventDate = lexofficeTimestamp();
		const created: WebhookDelivery[] = [];
		for (const subscription of this.state.subscriptions.values()) {
			if (subscription.eventType !== eventType) continue;
			const delivery: WebhookDelivery = {
				id: randomUUID(),
				subscriptionId: subscription.subscriptionId,
				callbackUrl: subscription.callbackUrl,
				eventType,
				resourceId,
				eventDate,
				...this.signedPayload(eventType, resourceId, eventDate),
				status: 'pending',
				attempts: [],
			};
			this.state.deliveries.push(delivery);
			created.push(delivery);
			this.schedule(delivery, 0);
		}
		return created;
	}

	/** Stops retries of a subscription's deliveries (it was deleted by the API or by LexOffice). */
	abandon(subscriptionId: string): void {
		for (const delivery of this.state.deliveries) {
			if (delivery.subscriptionId !== subscriptionId || delivery.status !== 'pending') continue;
			delivery.status = 'abandoned';
			delivery.nextAttemptAt = undefined;
			clearTimeout(this.timers.get(delivery.id));
			this.timers.delete(delivery.id);
		}
	}

	/**
	 * Resolves when every delivery has reached a final state (delivered, failed, abandoned),
	 * waiting for scheduled retries in (scaled) real time. Rejects after `timeoutMs`.
	 */
	async flush({ timeoutMs = 30_000, pendingRetries = true }: FlushOptions = {}): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			if (this.inFlight.size > 0) {
				await Promise.allSettled([...this.inFlight]);
				continue;
			}
			const pending = this.state.deliveries.filter((delivery) => delivery.status === 'pending');
			const nextAt = Math.min(...pending.map((delivery) => delivery.nextAttemptAt ?? Date.now()));
			if (pending.length === 0 || (!pendingRetries && nextAt > Date.now())) return;
			if (Date.now() >= deadline) {
				throw new Error(`webhooks.flush: ${pending.length} deliveries still pending after ${timeoutMs} ms`);
			}
			await new Promise((resolve) =>
				setTimeout(resolve, Math.max(1, Math.min(nextAt - Date.now(), deadline - Date.now()))),
			);
		}
	}

	/** How long LexOffice waits for an answer and how its retry waits are scaled, from the next attempt on. */
	configure(settings: Partial<{ timeoutMs: number; timeScale: number }>): void {
		Object.assign(this.options, settings);
	}

	/** Drops every scheduled attempt (the sandbox is being reset). */
	cancelAll(): void {
		for (const delivery of this.state.deliveries) {
			if (delivery.status === 'pending') delivery.status = 'abandoned';
		}
		for (const timer of this.timers.values()) clearTimeout(timer);
		this.timers.clear();
	}

	close(): void {
		this.closed = true;
		this.cancelAll();
	}

	private schedule(delivery: WebhookDelivery, nominalDelayMs: number): void {
		if (this.closed) return;
		const delay = nominalDelayMs * this.options.timeScale;
		delivery.nextAttemptAt = Date.now() + delay;
		const timer = setTimeout(() => {
			this.timers.delete(delivery.id);
			const attempt = this.attempt(delivery, nominalDelayMs).finally(() => this.inFlight.delete(attempt));
			this.inFlight.add(attempt);
		}, delay);
		timer.unref();
		this.timers.set(delivery.id, timer);
	}

	private async attempt(delivery: WebhookDelivery, nominalDelayMs: number): Promise<void> {
		if (delivery.status !== 'pending') return;
		const at = Date.now();
		const result = await this.post(delivery);
		const answeredAfterMs = Date.now() - at;
		if (delivery.status !== 'pending') return; // abandoned while in flight
		const verdict = verdictFor(result);
		const retriesUsed = delivery.attempts.length;
		const canRetry = retriesUsed < RETRY_DELAYS_MS.length;
		const record = (outcome: DeliveryAttempt['outcome']) =>
			delivery.attempts.push({
				at,
				answeredAfterMs,
				nominalDelayMs,
				...('status' in result ? { status: result.status } : { error: result.error }),
				outcome,
			});

		if (verdict === 'delivered') {
			record('delivered');
			delivery.status = 'delivered';
		} else if ((verdict === 'retry' || verdict === 'retry-then-delete') && canRetry) {
			record('retry');
			this.schedule(delivery, RETRY_DELAYS_MS[retriesUsed]);
			return;
		} else if (verdict === 'delete-now' || verdict === 'retry-then-delete') {
			record('subscription-deleted');
			delivery.status = 'failed';
			this.state.subscriptions.delete(delivery.subscriptionId);
			this.abandon(delivery.subscriptionId);
		} else {
			record('failed');
			delivery.status = 'failed';
		}
		delivery.nextAttemptAt = undefined;
	}

	/** POST with the signature header; 3xx followed up to 3 times, never retried (§6.5). */
	private async post(delivery: WebhookDelivery): Promise<CallbackResult> {
		let url = delivery.callbackUrl;
		for (let redirects = 0; ; redirects++) {
			const result = await callCallback(url, {
				method: 'POST',
				body: delivery.body,
				headers: { 'X-Lxo-Signature': delivery.signature },
				timeoutMs: this.options.timeoutMs,
			});
			const isRedirect = 'status' in result && result.status >= 300 && result.status < 400 && result.location;
			if (!isRedirect || redirects >= MAX_REDIRECTS) return result;
			url = new URL(result.location as string, url).toString();
		}
	}
}
