import { CRM_ENTITIES } from '../../helpers/crmRecordEntity';
import { crmGetMany } from '../shared/crmRecordGetMany';

export const { option, description, execute } = crmGetMany(CRM_ENTITIES.company);
