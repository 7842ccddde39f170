/** Keras model files: the format (format.ts), reading it (import.ts) and writing it (export.ts). */
export { exportKerasJson } from './export';
export { MAX_IMPORT_LAYERS, MAX_IMPORT_PARAMS, importKerasJson, isKerasJson, type KerasImport, type KerasImportOptions } from './import';
