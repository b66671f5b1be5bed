/** Word lists for realistic German test data (umlauts and ß on purpose). */

export const MALE_FIRST_NAMES = [
	'Jürgen',
	'Thomas',
	'Michael',
	'Andreas',
	'Stefan',
	'Klaus',
	'Jörg',
	'Uwe',
	'Matthias',
	'Björn',
	'Sören',
	'Lukas',
	'Maximilian',
	'Felix',
	'Tobias',
	'Günter',
	'Hans-Peter',
	'Frank',
	'Dirk',
	'Ralf',
];

export const FEMALE_FIRST_NAMES = [
	'Sabine',
	'Anja',
	'Katrin',
	'Jana',
	'Bärbel',
	'Ursula',
	'Monika',
	'Claudia',
	'Lea',
	'Hannah',
	'Julia',
	'Käthe',
	'Anna-Lena',
	'Sophie',
	'Birgit',
	'Petra',
	'Ines',
	'Marlene',
	'Zoë',
	'Greta',
];

export const LAST_NAMES = [
	'Müller',
	'Schmidt',
	'Schneider',
	'Fischer',
	'Weber',
	'Meyer',
	'Wagner',
	'Becker',
	'Schulz',
	'Hoffmann',
	'Schäfer',
	'Koch',
	'Bauer',
	'Richter',
	'Klein',
	'Wolf',
	'Schröder',
	'Neumann',
	'Schwarz',
	'Zimmermann',
	'Braun',
	'Krüger',
	'Hofmann',
	'Hartmann',
	'Lange',
	'Schmitt',
	'Werner',
	'Krause',
	'Meier',
	'Lehmann',
	'Groß',
	'Weiß',
	'Jäger',
	'Köhler',
	'Böhm',
	'Vößing',
	'Öztürk',
	'Dąbrowski',
	'von Bülow',
	"O'Neill",
];

export const COMPANY_STEMS = [
	'Bäckerei Sonnenschein',
	'Müller & Söhne',
	'Nordlicht Software',
	'Alpenblick Hotel',
	'Rheinufer Logistik',
	'Schwarzwald Holzbau',
	'Elbe Consulting',
	'Grünwerk Gartenbau',
	'Fahrrad Kühn',
	'Brückner Elektrotechnik',
	'Hansa Druck',
	'Weißbier Brauerei Straßberger',
	'Löwen Apotheke',
	'Taunus Immobilien',
	'Spreewald Feinkost',
	'Johnson & Partner',
	'Maschinenbau Größel',
	'Ostsee Fischhandel',
	'Isar Medien',
	'Zahnarztpraxis Dr. Özdemir',
	'Kaffeerösterei Bohnenglück',
	'Werkstatt Jürgensen',
	'Bike & Ride',
	'Autohaus Schäfer',
	'Dachdeckerei Köhler',
];

/** German legal forms, including the composite ones that break naive parsers. */
export const LEGAL_FORMS = [
	'GmbH',
	'GmbH',
	'GmbH & Co. KG',
	'AG',
	'UG (haftungsbeschränkt)',
	'e.K.',
	'KG',
	'OHG',
	'GbR',
	'e.V.',
	'mbH',
];

export interface Place {
	zip: string;
	city: string;
	countryCode: string;
}

export const PLACES: Place[] = [
	{ zip: '10115', city: 'Berlin', countryCode: 'DE' },
	{ zip: '20095', city: 'Hamburg', countryCode: 'DE' },
	{ zip: '80331', city: 'München', countryCode: 'DE' },
	{ zip: '50667', city: 'Köln', countryCode: 'DE' },
	{ zip: '60311', city: 'Frankfurt am Main', countryCode: 'DE' },
	{ zip: '70173', city: 'Stuttgart', countryCode: 'DE' },
	{ zip: '40213', city: 'Düsseldorf', countryCode: 'DE' },
	{ zip: '04109', city: 'Leipzig', countryCode: 'DE' },
	{ zip: '01067', city: 'Dresden', countryCode: 'DE' },
	{ zip: '79098', city: 'Freiburg im Breisgau', countryCode: 'DE' },
	{ zip: '97070', city: 'Würzburg', countryCode: 'DE' },
	{ zip: '24103', city: 'Kiel', countryCode: 'DE' },
	{ zip: '99084', city: 'Erfurt', countryCode: 'DE' },
	{ zip: '66111', city: 'Saarbrücken', countryCode: 'DE' },
	{ zip: '88045', city: 'Friedrichshafen', countryCode: 'DE' },
	{ zip: '1010', city: 'Wien', countryCode: 'AT' },
	{ zip: '5020', city: 'Salzburg', countryCode: 'AT' },
	{ zip: '8001', city: 'Zürich', countryCode: 'CH' },
	{ zip: '1012 AB', city: 'Amsterdam', countryCode: 'NL' },
];

export const STREETS = [
	'Hauptstraße',
	'Bahnhofstraße',
	'Schulstraße',
	'Gartenstraße',
	'Lindenallee',
	'Königsweg',
	'Am Mühlbach',
	'Bergstraße',
	'Kirchplatz',
	'Goethestraße',
	'Schillerstraße',
	'Friedrich-Ebert-Straße',
	'Zur Schönen Aussicht',
	'Große Bleichen',
	'Hinter der Mauer',
	'Rosenstr.',
	'Industriestraße',
	'Äußere Sulzbacher Straße',
];

export const ADDRESS_SUPPLEMENTS = [
	'Hinterhaus',
	'2. OG',
	'c/o Empfang',
	'Gebäude 10',
	'Lager Tor 3',
	'Postfach 12 34',
];

export const EMAIL_DOMAINS = ['web.de', 'gmx.de', 't-online.de', 'posteo.de', 'mailbox.org', 'freenet.de'];

export const NOTES = [
	'Zahlt zuverlässig, bevorzugt Rechnungen per E-Mail.',
	'Ansprechpartner wechselt häufig – vor Versand prüfen!',
	'Rabattvereinbarung 5 % ab 1.000 € Auftragswert.',
	'Lieferung nur werktags zwischen 8 und 16 Uhr.',
	'Kunde seit 2015, Stammkunde – Weihnachtskarte schicken.',
	'Achtung: abweichende Lieferadresse für Großbestellungen.',
	'Bitte immer Bestellnummer auf der Rechnung angeben.',
];

export interface SeedProduct {
	name: string;
	unitName: string;
	netAmount: number;
	taxRatePercentage: 0 | 7 | 19;
}

export const PRODUCTS: SeedProduct[] = [
	{ name: 'Beratung (Stunde)', unitName: 'Stunde', netAmount: 95, taxRatePercentage: 19 },
	{ name: 'Wartungspauschale Server', unitName: 'Pauschale', netAmount: 249, taxRatePercentage: 19 },
	{ name: 'Montage vor Ort', unitName: 'Stunde', netAmount: 68.5, taxRatePercentage: 19 },
	{ name: 'Fachbuch „Buchführung für Einsteiger“', unitName: 'Stück', netAmount: 29.9, taxRatePercentage: 7 },
	{ name: 'Brötchen-Lieferung (Großgebinde)', unitName: 'Karton', netAmount: 12.4, taxRatePercentage: 7 },
	{ name: 'Abus Kabelschloss Primo 590', unitName: 'Stück', netAmount: 13.4, taxRatePercentage: 19 },
	{ name: 'Webdesign – Startseite', unitName: 'Pauschale', netAmount: 1200, taxRatePercentage: 19 },
	{ name: 'Schulung Datenschutz (DSGVO)', unitName: 'Teilnehmer', netAmount: 180, taxRatePercentage: 19 },
	{ name: 'Versandkosten', unitName: 'Pauschale', netAmount: 5.9, taxRatePercentage: 19 },
	{ name: 'Porto (steuerfrei)', unitName: 'Stück', netAmount: 0.85, taxRatePercentage: 0 },
];

/** An e-mail local part from a German name: Jürgen Groß → juergen.gross. */
export function asciiLocalPart(...parts: string[]): string {
	return parts
		.join('.')
		.toLowerCase()
		.replace(/ä/g, 'ae')
		.replace(/ö/g, 'oe')
		.replace(/ü/g, 'ue')
		.replace(/ß/g, 'ss')
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[^a-z0-9.-]+/g, '')
		.replace(/\.+/g, '.')
		.replace(/^\.|\.$/g, '');
}
