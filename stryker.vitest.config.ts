// Vitest config used only by Stryker (stryker.config.json): the queue model tests and nothing else, so
// mutation testing of the queue domain neither waits for nor depends on other modules' suites.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/services/queue/models/**/*.test.ts'],
    environment: 'node',
  },
});
