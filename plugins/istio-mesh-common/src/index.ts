/**
 * Types and permissions shared by the Istio mesh backend and frontend.
 *
 * @packageDocumentation
 */
export * from './permissions';
