import type { ICredentialType, INodeProperties, INodeType } from 'n8n-workflow';

import { Bitrix24OAuth2Api } from '../../../credentials/Bitrix24OAuth2Api.credentials';
import { Bitrix24WebhookApi } from '../../../credentials/Bitrix24WebhookApi.credentials';
import { LexofficeApi } from '../../../credentials/LexofficeApi.credentials';
import { Bitrix24 } from '../../../nodes/Bitrix24/Bitrix24.node';
import { Bitrix24Trigger } from '../../../nodes/Bitrix24Trigger/Bitrix24Trigger.node';
import { Lexoffice } from '../../../nodes/Lexoffice/Lexoffice.node';
import { LexofficePollTrigger } from '../../../nodes/LexofficePollTrigger/LexofficePollTrigger.node';
import { LexofficeTrigger } from '../../../nodes/LexofficeTrigger/LexofficeTrigger.node';
import { USER_TEXTS } from '../../../nodes/shared/contract/userTexts';
import { textsOf } from '../shared/userTextsSamples';

/**
 * The editor speaks English (issue #13 item 5): every text n8n shows from our node and credential
 * descriptions — display names, descriptions, placeholders, hints, option names and actions, string
 * defaults — is English. German stays only where a Bitrix24 or LexOffice end user reads the text
 * (answer pages, automation and button names, invoice and timeline texts) or where it names what
 * LexOffice's German web app shows, each listed below with its reason. The texts users read are
 * not UI text: nodes/shared/contract/userTexts.ts holds them in German and English (the operation's
 * Language option picks one), and only its German half may be German.
 */

interface UiText {
	where: string;
	text: string;
}

/** Umlauts, ß, German word stems (also inside compounds) and German words that do not occur in English UI text. */
const GERMAN =
	/[äöüÄÖÜß]|kunde|rechnung|nummer|lieferant|zahlung|anschrift|ansprechpartner|benutzer|verantwortlich|\b(und|der|die|das|mit|für|nicht|wird|ist|eine?|zu|von|auf|bei|oder|Rechnung|Kunden?|Weiter|Seite|erstellt|erstellen|bezahlt|storniert|offen|Zahlbar|innerhalb|Tagen|ohne|Abzug|Nummer|Skonto|Lieferdatum|Leistungsdatum|bitte|leer)\b/i;

/** German proper names that English text uses as they are (names of standards), removed before checking. */
const PROPER_NAMES = [/XRechnung/g, /Leitweg-ID/g];

/** Texts that are German on purpose (exact text → why). */
const ALLOWED: Record<string, string> = {
	// What Bitrix24 users read: answer page, placement button, automation triggers, smart invoices, timeline.
	'Die Rechnung wird in LexOffice erstellt.': 'answer page shown to the Bitrix24 user who clicked the button',
	'LexOffice: Rechnung wird erstellt': 'answer page title shown to the Bitrix24 user',
	'Weiter zu LexOffice': 'answer page link shown to the Bitrix24 user',
	'LexOffice: Rechnung erstellen': 'button title Bitrix24 users see on the contact card',
	'LexOffice: Rechnung erstellt': 'example of a timeline/log title Bitrix24 users read',
	'LexOffice: Rechnung bezahlt': 'example automation trigger name Bitrix24 users pick in their rules',
	'Rechnung RE-2024-0042': 'example smart-invoice title, Bitrix24 data',
	'Rechnung RE-2024-0042 in LexOffice': 'example timeline link text Bitrix24 users read',
	'Name of the invoice. Empty: Bitrix24 names it itself ("Rechnung #ID").': 'quotes the title Bitrix24 gives',
	// Example data of a German business, as the user types it.
	'Hauptstraße 5': 'example street of a German address',
	'Such as "Gebäude 10"': 'example address supplement, quoted from lexoffice-api.md §4.2',
	'Such as "Gebäude 10"; for a contact it replaces the contact\'s supplement on this invoice':
		'example address supplement',
	Stück: 'LexOffice unit name printed on the invoice the customer reads',
	'Such as Stück, Stunde or kg; LexOffice creates unknown units': 'LexOffice unit names, printed on the invoice',
	'Zahlbar innerhalb von 14 Tagen ohne Abzug': 'example payment term label printed on the invoice',
	'A Bitrix24 filter object with prefix operators, e.g. {">DATE_MODIFY": "2024-01-01", "%LAST_NAME": "Müll"}. Combined with the filters above. Legacy lists do not support "logic" groups.':
		'example search value (a German surname)',
	// The names LexOffice's and Bitrix24's German interfaces show, so users find the field.
	Steuernummer: "the field name in LexOffice's German web app",
	'Steuernummer (RQ_INN)': 'the requisite field name in the German Bitrix24 interface',
	'When the goods were delivered or the service performed (Lieferdatum / Leistungsdatum)':
		"LexOffice's German field names",
	'Skonto; 0 for none': "LexOffice's German term for the early-payment discount",
	UF_CRM_KUNDENNUMMER: 'example code of a custom field a German portal defines',
	UF_CRM_LIEFERANTENNUMMER: 'example code of a custom field a German portal defines',
	'More requisite fields by their Bitrix24 name, e.g. RQ_USRLE (Handelsregisternummer) or UF_CRM_…':
		'the field name in the German Bitrix24 interface',
};

const TEXT_KEYS = ['displayName', 'description', 'placeholder', 'hint', 'action', 'subtitle'] as const;

function textsOfProperties(properties: readonly unknown[], where: string, out: UiText[]): void {
	properties.forEach((entry, index) => {
		if (typeof entry !== 'object' || entry === null) return;
		const item = entry as Record<string, unknown>;
		const here = `${where}[${String('value' in item ? item.value : (item.name ?? index))}]`;
		for (const key of TEXT_KEYS)
			if (typeof item[key] === 'string') out.push({ where: `${here}.${key}`, text: item[key] as string });
		// An entry with `value` is an option of a dropdown: its `name` is what the editor shows.
		if ('value' in item && typeof item.name === 'string') out.push({ where: `${here}.name`, text: item.name });
		if (typeof item.default === 'string' && item.default !== '')
			out.push({ where: `${here}.default`, text: item.default });
		for (const nested of ['options', 'values'] as const) {
			if (Array.isArray(item[nested])) textsOfProperties(item[nested] as unknown[], `${here}.${nested}`, out);
		}
	});
}

export function uiTexts(nodes: INodeType[], credentials: ICredentialType[]): UiText[] {
	const out: UiText[] = [];
	for (const node of nodes) {
		const { name, displayName, description, subtitle, defaults, properties } = node.description;
		out.push({ where: `${name}.displayName`, text: displayName }, { where: `${name}.description`, text: description });
		if (subtitle) out.push({ where: `${name}.subtitle`, text: subtitle });
		if (typeof defaults.name === 'string') out.push({ where: `${name}.defaults.name`, text: defaults.name });
		textsOfProperties(properties, `${name}.properties`, out);
	}
	for (const credential of credentials) {
		out.push({ where: `${credential.name}.displayName`, text: credential.displayName });
		textsOfProperties(credential.properties as INodeProperties[], `${credential.name}.properties`, out);
	}
	return out;
}

export function germanTexts(texts: UiText[], allowed: Record<string, string>): UiText[] {
	const german = (text: string) => GERMAN.test(PROPER_NAMES.reduce((rest, name) => rest.replace(name, ''), text));
	return texts.filter(({ text }) => german(text) && !(text in allowed));
}

const shipped = () =>
	uiTexts(
		[new Lexoffice(), new Bitrix24(), new LexofficeTrigger(), new LexofficePollTrigger(), new Bitrix24Trigger()],
		[new LexofficeApi(), new Bitrix24WebhookApi(), new Bitrix24OAuth2Api()],
	);

describe('UI language of nodes and credentials', () => {
	it('has no German text outside the allow-list', () => {
		const found = germanTexts(shipped(), ALLOWED).map(({ where, text }) => `${where}: ${text}`);
		expect(found).toEqual([]);
	});

	it('reads every kind of UI text, so German anywhere would be found', () => {
		const texts = shipped();
		expect(texts.length).toBeGreaterThan(1000);
		const kinds = new Set(texts.map(({ where }) => where.slice(where.lastIndexOf('.') + 1)));
		expect([...kinds].sort()).toEqual(
			expect.arrayContaining(['action', 'default', 'description', 'displayName', 'name', 'placeholder']),
		);
		// Credentials are read too.
		expect(texts.some(({ where }) => where.startsWith('lexofficeApi.properties'))).toBe(true);
	});

	it('fails on German in a display name, description, placeholder, hint, option name or default', () => {
		const node = {
			description: {
				name: 'madeUp',
				displayName: 'Made Up',
				description: 'English',
				defaults: { name: 'Made Up' },
				properties: [
					{ displayName: 'Kundennummer', name: 'a', type: 'string', default: '' },
					{ displayName: 'A', name: 'b', type: 'string', default: '', description: 'Die Nummer des Kunden' },
					{ displayName: 'B', name: 'c', type: 'string', default: '', placeholder: 'Straße' },
					{ displayName: 'C', name: 'd', type: 'string', default: '', hint: 'Bitte nicht leer lassen' },
					{
						displayName: 'D',
						name: 'e',
						type: 'options',
						default: 'x',
						options: [{ name: 'Offene Rechnung', value: 'x' }],
					},
					{ displayName: 'E', name: 'f', type: 'string', default: 'Weiter zu LexOffice' },
					{ displayName: 'Fine', name: 'g', type: 'string', default: 'Continue to LexOffice' },
				],
			},
		} as unknown as INodeType;
		const found = germanTexts(uiTexts([node], []), {}).map(({ where }) => where);
		expect(found).toEqual([
			'madeUp.properties[a].displayName',
			'madeUp.properties[b].description',
			'madeUp.properties[c].placeholder',
			'madeUp.properties[d].hint',
			'madeUp.properties[e].options[x].name',
			'madeUp.properties[f].default',
		]);
		expect(germanTexts(uiTexts([node], []), { 'Weiter zu LexOffice': 'test' })).toHaveLength(5);
	});

	it('every allow-list entry is still shipped (no stale exceptions)', () => {
		const shown = new Set(shipped().map(({ text }) => text));
		expect(Object.keys(ALLOWED).filter((text) => !shown.has(text))).toEqual([]);
	});

	it('the texts users read (userTexts.ts) are German only in their German half', () => {
		const half = (language: 'de' | 'en') =>
			[...textsOf(USER_TEXTS[language])].map(([where, text]) => ({ where: `userTexts.${language}.${where}`, text }));
		expect(germanTexts(half('en'), {}).map(({ where, text }) => `${where}: ${text}`)).toEqual([]);
		// The check sees German there: most German texts are found.
		expect(germanTexts(half('de'), {}).length).toBeGreaterThan(half('de').length / 2);
	});

	it('links to the LexOffice web app on its current domain only (app.lexware.de, lexoffice-api.md §1)', () => {
		expect(
			shipped()
				.filter(({ text }) => text.includes('lexoffice.de'))
				.map(({ where, text }) => `${where}: ${text}`),
		).toEqual([]);
	});
});
