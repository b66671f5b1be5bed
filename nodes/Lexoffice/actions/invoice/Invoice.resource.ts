import type { LexofficeResource } from '../types';
import * as create from './create.operation';
import * as createDraftForContact from './createDraftForContact.operation';
import * as downloadPdf from './downloadPdf.operation';
import * as get from './get.operation';
import * as getPermalinks from './getPermalinks.operation';

export const invoice: LexofficeResource = {
	value: 'invoice',
	operations: [create, createDraftForContact, downloadPdf, get, getPermalinks],
};
