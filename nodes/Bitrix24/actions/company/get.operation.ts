import { CRM_ENTITIES } from '../../helpers/crmRecordEntity';
import { crmGet } from '../shared/crmRecordOperations';

export const { option, description, execute } = crmGet(CRM_ENTITIES.company);
