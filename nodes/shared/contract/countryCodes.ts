/**
 * LexOffice's extended country codes (lexoffice-api.md §3.3, §9): ISO 3166 alpha-2, or an ISO
 * code with a suffix for a region with its own tax rules, e.g. `ES_CN` (Canary Islands) or
 * `GR_69` (Mount Athos). Bitrix24 addresses know only the ISO country, so the region goes to the
 * address's PROVINCE (bitrix24-api.md §5 crm.address fields) and comes back from it.
 */

export type RegionLanguage = 'de' | 'en';

interface ExtendedCountry {
	iso: string;
	region: Record<RegionLanguage, string>;
}

/** The extended codes the reference names; others are split generically (region = the suffix). */
const EXTENDED: Record<string, ExtendedCountry> = {
	ES_CN: { iso: 'ES', region: { de: 'Kanarische Inseln', en: 'Canary Islands' } },
	GR_69: { iso: 'GR', region: { de: 'Berg Athos', en: 'Mount Athos' } },
};

const CODE = /^([A-Z]{2})(?:_([A-Z0-9]+))?$/;

export interface SplitCountryCode {
	/** ISO 3166 alpha-2. */
	iso: string;
	/** The region of an extended code; '' for a plain ISO code. */
	region: string;
}

/** `ES_CN` → `{iso: 'ES', region: 'Kanarische Inseln'}`; undefined when it is no country code at all. */
export function splitCountryCode(code: string, language: RegionLanguage): SplitCountryCode | undefined {
	const match = CODE.exec(code.trim().toUpperCase());
	if (!match) return undefined;
	const [, iso, suffix] = match;
	if (!suffix) return { iso, region: '' };
	return { iso, region: EXTENDED[`${iso}_${suffix}`]?.region[language] ?? suffix };
}

/** The LexOffice code for an ISO country and a region as split above: `ES` + `Canary Islands` → `ES_CN`. */
export function joinCountryCode(iso: string, region: string): string {
	const country = iso.trim().toUpperCase();
	const wanted = region.trim().toLowerCase();
	if (wanted === '') return country;
	for (const [code, extended] of Object.entries(EXTENDED)) {
		if (extended.iso !== country) continue;
		if (
			Object.values(extended.region).some((name) => name.toLowerCase() === wanted) ||
			code.split('_')[1].toLowerCase() === wanted
		)
			return code;
	}
	return country;
}
