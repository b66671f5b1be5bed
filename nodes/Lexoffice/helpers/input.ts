import { DateTime } from 'luxon';
import { NodeOperationError, type INode } from 'n8n-workflow';

import { formatLexofficeDate } from '../transport';

/** LexOffice ids are UUIDs (lexoffice-api.md §3.3, §4.2, §6.1). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY_PREFIX = /^(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/;
import { EMAIL_ADDRESS } from '../../shared/contract/lexofficeFields';

export { EMAIL_ADDRESS };

/**
 * Checks one item's input before anything is sent to LexOffice. Every failure is a
 * NodeOperationError that names the field and says how to fix it, so a bad value never costs a
 * request (or half of a change).
 */
export class InputCheck {
	constructor(
		private readonly node: INode,
		private readonly itemIndex: number,
		/** The workflow's time zone, for date-times picked without an offset. */
		private readonly timeZone = 'Europe/Berlin',
	) {}

	fail(message: string, fix: string): never {
		throw new NodeOperationError(this.node, message, { itemIndex: this.itemIndex, description: fix });
	}

	uuid(value: unknown, field: string): string {
		const text = typeof value === 'string' ? value.trim() : '';
		if (!UUID.test(text)) {
			this.fail(
				`"${field}" must be a LexOffice ID, not "${String(value ?? '')}"`,
				'LexOffice IDs are UUIDs such as be9475f4-ef80-442b-8ab9-3ab8b1a2aeb9. Pick the record from the list, paste its LexOffice link, or map the "id" of a previous LexOffice node.',
			);
		}
		return text.toLowerCase();
	}

	/** A trimmed text (undefined when empty), at most `max` characters. */
	text(value: unknown, field: string, { max, min }: { max?: number; min?: number } = {}): string | undefined {
		if (value === undefined || value === null) return undefined;
		const text = String(value).trim();
		if (text === '') return undefined;
		if (max !== undefined && text.length > max) {
			this.fail(`"${field}" is ${text.length} characters long; LexOffice allows at most ${max}`, `Shorten "${field}".`);
		}
		if (min !== undefined && text.length < min) {
			this.fail(
				`"${field}" must have at least ${min} characters, not "${text}"`,
				`LexOffice refuses shorter values for "${field}". Enter more of it, or leave "${field}" out.`,
			);
		}
		return text;
	}

	required(value: unknown, field: string, options: { max?: number } = {}): string {
		const text = this.text(value, field, options);
		if (text === undefined) this.fail(`"${field}" is required`, `Enter a value for "${field}".`);
		return text;
	}

	number(
		value: unknown,
		field: string,
		{ min, max, decimals }: { min?: number; max?: number; decimals?: number } = {},
	): number {
		const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
		if (typeof number !== 'number' || !Number.isFinite(number)) {
			this.fail(`"${field}" must be a number, not "${String(value ?? '')}"`, `Enter a number for "${field}".`);
		}
		if ((min !== undefined && number < min) || (max !== undefined && number > max)) {
			const range = [min !== undefined ? `at least ${min}` : '', max !== undefined ? `at most ${max}` : ''];
			this.fail(`"${field}" is ${number}, but must be ${range.filter(Boolean).join(' and ')}`, `Change "${field}".`);
		}
		if (decimals !== undefined && Math.abs(Math.round(number * 10 ** decimals) - number * 10 ** decimals) > 1e-6) {
			if (decimals === 0)
				this.fail(`"${field}" must be a whole number, not ${number}`, `Enter a whole number for "${field}".`);
			this.fail(
				`"${field}" has more than ${decimals} decimal places (${number})`,
				`Round "${field}" to ${decimals} decimal places.`,
			);
		}
		return number;
	}

	/** ISO 3166 alpha-2, plus LexOffice's extended codes such as ES_CN (§3.3, §9). */
	countryCode(value: unknown, field: string): string {
		const code = this.required(value, field).toUpperCase();
		if (!/^[A-Z]{2}(_[A-Z0-9]+)?$/.test(code)) {
			this.fail(
				`"${field}" must be a two-letter country code such as DE, not "${code}"`,
				'Use the ISO 3166 alpha-2 code of the country.',
			);
		}
		return code;
	}

	email(value: unknown, field: string): string | undefined {
		const text = this.text(value, field);
		if (text !== undefined && !EMAIL_ADDRESS.test(text)) {
			this.fail(
				`"${field}" is not an email address: "${text}"`,
				`Enter an address such as info@example.de in "${field}".`,
			);
		}
		return text;
	}

	/**
	 * An instant from a date picker, an ISO string, a luxon DateTime, a Date or epoch milliseconds.
	 * A value without an offset means the workflow's time zone; a bare day its midnight in Berlin.
	 */
	dateTime(value: unknown, field: string): DateTime | undefined {
		if (value === undefined || value === null || value === '') return undefined;
		let parsed: DateTime;
		if (DateTime.isDateTime(value)) parsed = value;
		else if (value instanceof Date) parsed = DateTime.fromJSDate(value);
		else if (typeof value === 'number') parsed = DateTime.fromMillis(value);
		else if (typeof value !== 'string') parsed = DateTime.invalid('not a date');
		else if (/^\d{4}-\d{2}-\d{2}$/.test(value.trim()))
			parsed = DateTime.fromISO(value.trim(), { zone: 'Europe/Berlin' });
		else parsed = DateTime.fromISO(value.trim(), { zone: this.timeZone });
		if (!parsed.isValid) {
			this.fail(
				`"${field}" is not a valid date: "${String(value)}"`,
				`Pick a date for "${field}" or give it as 2025-09-01T10:00:00.`,
			);
		}
		return parsed;
	}

	/**
	 * A calendar day for LexOffice's day filters (`yyyy-MM-dd`, a full day in Berlin, §5). A picked
	 * date without an offset keeps the day the user picked; an instant is turned into its Berlin day.
	 */
	day(value: unknown, field: string): string | undefined {
		if (typeof value === 'string') {
			const day = DAY_PREFIX.exec(value.trim())?.[1];
			if (day && DateTime.fromISO(day).isValid) return day;
		}
		const instant = this.dateTime(value, field);
		return instant ? formatLexofficeDate(instant) : undefined;
	}

	/** HTTPS only: LexOffice refuses other callback URLs (§6.1). */
	httpsUrl(value: unknown, field: string): string {
		const text = this.required(value, field);
		let url: URL | undefined;
		try {
			url = new URL(text);
		} catch {
			url = undefined;
		}
		if (url?.protocol !== 'https:') {
			this.fail(
				`"${field}" must be an https:// URL, not "${text}"`,
				'LexOffice only calls HTTPS URLs with a valid certificate. For an n8n webhook, set N8N_WEBHOOK_URL to the public https address of your n8n.',
			);
		}
		return text;
	}
}
