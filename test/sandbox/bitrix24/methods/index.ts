import type { MethodTable } from '../context';
import { batchMethods } from '../dispatch';
import { appMethods } from './app';
import { automationMethods } from './automation';
import { crmItemMethods } from './crmItem';
import { legacyCrmMethods } from './crmLegacy';
import { notifyMethods } from './notify';
import { referenceMethods } from './reference';
import { requisiteMethodTable } from './requisites';
import { timelineMethodTable } from './timeline';

/** Every REST method the sandbox answers, keyed by lower-cased name. */
export const allMethods: MethodTable = {
	...batchMethods,
	...legacyCrmMethods,
	...crmItemMethods,
	...requisiteMethodTable,
	...referenceMethods,
	...timelineMethodTable,
	...automationMethods,
	...appMethods,
	...notifyMethods,
};
