/** Contacts and companies share one implementation; this is everything that differs. */
export interface CrmEntity {
	/** The node's resource value. */
	resource: 'contact' | 'company';
	displayName: 'Contact' | 'Company';
	/** Legacy method family (bitrix24-api.md §4.2): `${methodPrefix}.add`, `.list`, `.fields` … */
	methodPrefix: 'crm.contact' | 'crm.company';
	/** `entity_type` of crm.duplicate.findbycomm (§4.5). */
	typeName: 'CONTACT' | 'COMPANY';
	/** ENTITY_TYPE_ID of requisites belonging to this entity (§4.1). */
	entityTypeId: 3 | 4;
}

export const CRM_ENTITIES: Record<CrmEntity['resource'], CrmEntity> = {
	contact: {
		resource: 'contact',
		displayName: 'Contact',
		methodPrefix: 'crm.contact',
		typeName: 'CONTACT',
		entityTypeId: 3,
	},
	company: {
		resource: 'company',
		displayName: 'Company',
		methodPrefix: 'crm.company',
		typeName: 'COMPANY',
		entityTypeId: 4,
	},
};

export function crmEntityOf(resource: unknown): CrmEntity | undefined {
	return resource === 'contact' || resource === 'company' ? CRM_ENTITIES[resource] : undefined;
}
