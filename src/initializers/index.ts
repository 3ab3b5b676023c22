export { glorotUniform, zeros, fans, resolveInitializer, type Initializer, type InitializerName } from './initializer.js';
