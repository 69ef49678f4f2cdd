import { confinedPath } from './confinedPath';

describe('confinedPath', () => {
  it('takes paths under the root', () => {
    expect(confinedPath('/r', 'etc/cacerts', 'mount')).toBe('/r/etc/cacerts');
    expect(confinedPath('/r', 'var//run/./x', 'mount path')).toBe(
      '/r/var/run/x',
    );
  });

  it.each(['../etc', 'a/../../b', '..', 'a/..'])('refuses %j', path => {
    expect(() => confinedPath('/r', path, 'item path')).toThrow(
      /item path .* leaves the istiod directory; refused/,
    );
  });

  it('refuses an absolute path outside the root', () => {
    expect(() => confinedPath('/r', '/etc/passwd', 'item path')).toThrow(
      /leaves the istiod directory/,
    );
  });
});
