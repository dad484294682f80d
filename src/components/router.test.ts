import { describe, expect, it } from 'vitest';
import { matchPath } from './router';

describe('matchPath', () => {
  it('extracts decoded params', () => {
    expect(matchPath('/t/:token', '/t/demo-visit-amine')).toEqual({ token: 'demo-visit-amine' });
    expect(matchPath('/board/:clinic', '/board/cabinet%20anfa')).toEqual({ clinic: 'cabinet anfa' });
  });
  it('ignores a trailing slash and the query string', () => {
    expect(matchPath('/staff', '/staff/?x=1')).toEqual({});
    expect(matchPath('/', '/')).toEqual({});
  });
  it('refuses other shapes', () => {
    expect(matchPath('/t/:token', '/t')).toBeNull();
    expect(matchPath('/t/:token', '/t/a/b')).toBeNull();
    expect(matchPath('/staff', '/admin')).toBeNull();
  });
});
