import { ensureN8n } from './ensureN8n';

/**
 * Jest globalSetup for the e2e project: installs n8n into the cache before any test file starts,
 * so the (minutes-long) first install is not charged to a test's timeout.
 */
export default function globalSetup(): void {
	ensureN8n();
}
