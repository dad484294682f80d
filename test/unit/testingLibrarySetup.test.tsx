// @vitest-environment jsdom
/**
 * test/setup/testingLibrary.ts configures Testing Library only where there is a DOM (issue 14, CI time: the
 * node-only files no longer import it). A screen test must still get the 15 s wait: this fails if the DOM check
 * there stops seeing jsdom's document, or if the setup configures another instance than the one a test imports.
 */
import { getConfig } from '@testing-library/react';
import { expect, it } from 'vitest';

it('a jsdom test file waits up to 15 s in waitFor/findBy (the setup file configured the instance it imports)', () => {
  expect(getConfig().asyncUtilTimeout).toBe(15_000);
});
