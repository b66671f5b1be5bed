/** The "Language" option of every operation that writes text a Bitrix24 or LexOffice user reads. */
import { NodeOperationError, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { DEFAULT_LANGUAGE, isLanguage, type Language } from './contract/userTexts';

export const languageProperty: INodeProperties = {
	displayName: 'Language',
	name: 'language',
	type: 'options',
	options: [
		{ name: 'German', value: 'de' },
		{ name: 'English', value: 'en' },
	],
	default: DEFAULT_LANGUAGE,
	description: 'Language of the text Bitrix24 users read',
};

/** The chosen language; a workflow saved before the option existed gets German, as it always did. */
export function readLanguage(this: IExecuteFunctions, itemIndex: number): Language {
	const value = String(this.getNodeParameter('language', itemIndex, DEFAULT_LANGUAGE) ?? '').trim() || DEFAULT_LANGUAGE;
	if (isLanguage(value)) return value;
	throw new NodeOperationError(this.getNode(), `Language "${value}" is not offered`, {
		itemIndex,
		description: 'Choose German (de) or English (en).',
	});
}
