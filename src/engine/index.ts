export * from './types';
export * from './rng';
export * from './spec';
export * from './activations';
export * from './losses';
export * from './network';
export * from './passes';
export * from './fast';
