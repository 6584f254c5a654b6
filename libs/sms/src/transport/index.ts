export * from './http-transport';
export * from './create-transport';
export * from './classify';
export * from './secrets';
