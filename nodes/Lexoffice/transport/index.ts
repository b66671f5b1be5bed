/** LexOffice transport: the only code that talks HTTP to LexOffice (ARCHITECTURE.md). */
export * from './dates';
export * from './encoding';
export * from './errors';
export * from './paging';
export * from './request';
export * from './searchWindow';
