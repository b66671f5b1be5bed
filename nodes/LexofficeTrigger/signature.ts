import { createPublicKey, verify, type KeyObject } from 'crypto';

/**
 * Lexware's public key for webhook signatures (lexoffice-api.md §6.4, PUBKEY; 4096-bit RSA, SPKI).
 * No rotation policy or key id is documented, so the credential may override it.
 */
export const LEXWARE_WEBHOOK_PUBLIC_KEY = [
	'-----BEGIN PUBLIC KEY-----',
	'MIICIjANBgkqhkiG9w0BAQEFAAOCAg8AMIICCgKCAgEAtCkZXZqT2zFRmA83KsBC',
	'tQSv9t+AaWiZpRWvzE4wiQEh0aHzNYkT/DlP419pngqoLxnqW9SsgWfKOG3utoEV',
	'z+Lru9odZntW/n/yaRK3f0AcMtuWs/Z1PZ4BbN/RlFYyqlPg0VfuAvZMAa+J9WAl',
	'Fuy0T4Y0EdO0d+EL8BpzSLqj3XLI+YuK4hUhlTOxHmdDtNUkugnT9b9khb+oPDmB',
	'3yxRP6Rmo2qo6waSc+pihCdOiZKzwA4fA1HT8DM54OaNQ4qd9NRf5uECijFlpQu6',
	'vZdW7Z+LZ8HTgGQVSsJdCzUtM1wiWOERrHvd8IpBMvUAvGM/qaJnAmwsEr4J/El4',
	'yCmur8wwYBtSUH0Xue42YysdmSS0pOMMUAAvr70HQMDHagYkErMtu6FAyAmPz8p/',
	'tAqJJpwAhxITbnc5WsmZOu0Ke255nXQ/2Go1TKv+45mSb7RLsvpmhVZ4nFByFt24',
	'vG6IwNReuLhJJL468jrdTpxyZRn0QqkxiQV7jDd9Dp1NVd/W3+n86Aos9LnJa+ut',
	'kN+jOOWmJdJjnQetJlbDVg3ex+XHVmCjiRYggCGPlpXVJwdEUNGzxhPGKjxmeiQT',
	'ahwFA9iHtwBw7yK5VfM/hA+JeF2FXYhTdehfClAQt1YCYXkgUEFxm9idRdBoCY6U',
	'bmFUXQLdi7tZyDor8Rxoq2MCAwEAAQ==',
	'-----END PUBLIC KEY-----',
	'',
].join('\n');

export const SIGNATURE_HEADER = 'x-lxo-signature';

const parsedKeys = new Map<string, KeyObject>();

/**
 * The key deliveries are checked with: the credential's override if it has one, else the pinned
 * key. Throws if the override is not a public key, so a typo is reported at activation instead of
 * silently rejecting every delivery.
 */
export function webhookPublicKey(overridePem?: unknown): KeyObject {
	const pem =
		typeof overridePem === 'string' && overridePem.trim() !== '' ? overridePem.trim() : LEXWARE_WEBHOOK_PUBLIC_KEY;
	let key = parsedKeys.get(pem);
	if (!key) {
		key = createPublicKey(pem);
		parsedKeys.set(pem, key);
	}
	return key;
}

/**
 * `X-Lxo-Signature` is a base64 RSA-SHA512 (PKCS#1 v1.5) signature of the compact JSON body
 * (§6.4). It is checked over the bytes as received: re-serialising a parsed body may change them.
 */
export function isValidSignature(rawBody: Buffer, signatureHeader: unknown, key: KeyObject): boolean {
	const header = Array.isArray(signatureHeader) ? signatureHeader[0] : signatureHeader;
	if (typeof header !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(header.trim())) return false;
	try {
		return verify('sha512', rawBody, key, Buffer.from(header.trim(), 'base64'));
	} catch {
		// A signature of the wrong length or a key of the wrong type is simply not a valid signature.
		return false;
	}
}
