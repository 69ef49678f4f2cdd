import { mockServices } from '@backstage/backend-test-utils';
import { Validator } from 'jsonschema';
import { parse } from 'yaml';
import { createMeshActions } from '.';

const actions = createMeshActions({
  config: mockServices.rootConfig(),
  permissions: mockServices.permissions(),
});

describe.each(actions.map(a => [a.id, a] as const))(
  "%s's examples",
  (id, action) => {
    it('exist', () => {
      expect(action.examples?.length).toBeGreaterThan(0);
    });

    it.each(action.examples!.map(e => [e.description, e] as const))(
      '"%s" is one step of this action whose input the action accepts',
      (_, example) => {
        const { steps } = parse(example.example);
        expect(steps).toHaveLength(1);
        expect(steps[0].action).toBe(id);
        const result = new Validator().validate(
          steps[0].input,
          action.schema!.input!,
        );
        expect(result.errors.map(e => e.stack)).toEqual([]);
      },
    );
  },
);
