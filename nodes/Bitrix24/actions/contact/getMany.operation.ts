import { CRM_ENTITIES } from '../shared/crmRecordEntity';
import { crmGetMany } from '../shared/crmRecordGetMany';

export const { option, description, execute } = crmGetMany(CRM_ENTITIES.contact);
