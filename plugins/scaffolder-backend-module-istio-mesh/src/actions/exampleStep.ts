import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { JsonObject } from '@backstage/types';
import { stringify } from 'yaml';

/** A template step, written as data and shown as the YAML a template author writes. */
export function exampleStep(
  description: string,
  step: { id: string; action: string; input: JsonObject },
): TemplateExample {
  return { description, example: stringify({ steps: [step] }) };
}
