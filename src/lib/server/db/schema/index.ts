export * from './users';
export * from './mail';
export * from './events';
export * from './team';
export * from './activity';
export * from './tickets';
export * from './talks';
export * from './live';
