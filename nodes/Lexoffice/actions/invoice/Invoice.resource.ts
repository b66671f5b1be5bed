import { resourceDescription } from '../../../shared/operation';
import * as create from './create.operation';
import * as createDraftForContact from './createDraftForContact.operation';
import * as downloadPdf from './downloadPdf.operation';
import * as get from './get.operation';
import * as getPermalinks from './getPermalinks.operation';

export const operations = { create, createDraftForContact, downloadPdf, get, getPermalinks };

export const description = resourceDescription('invoice', operations, 'create');
