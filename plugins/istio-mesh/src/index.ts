/**
 * The Istio mesh frontend: a Mesh tab on catalog entities and a mesh overview.
 *
 * @packageDocumentation
 */
export { default } from './alpha';
