import { resourceDescription } from '../../../shared/operation';
import * as create from './create.operation';
import * as findByCustomerNumber from './findByCustomerNumber.operation';
import * as findByEmail from './findByEmail.operation';
import * as findOrCreateForBitrix24 from './findOrCreateForBitrix24.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as getNextPage from './getNextPage.operation';
import * as update from './update.operation';

export const operations = {
	create,
	findByCustomerNumber,
	findByEmail,
	findOrCreateForBitrix24,
	get,
	getMany,
	getNextPage,
	update,
};

export const description = resourceDescription('contact', operations, 'create');
