/** Keras model files: the format (format.ts), reading it (import.ts) and writing it (export.ts). */
export { exportKerasJson } from './export';
export { MAX_IMPORT_LAYERS, importKerasJson, isKerasJson, type KerasImportOptions } from './import';
