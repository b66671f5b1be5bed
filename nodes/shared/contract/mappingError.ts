/** Input that cannot become a record of the other API; names the source field and the fix. */
export class MappingError extends Error {
	constructor(
		readonly field: string,
		message: string,
		readonly fix: string,
	) {
		super(message);
	}
}
