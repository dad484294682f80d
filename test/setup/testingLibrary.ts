// Testing Library's waitFor/findBy give up after 1 s by default. On a busy 2-core CI machine a screen's save
// (lazy modules, the phone parser, several renders) can take longer, and a test must not depend on the
// machine being fast: wait up to 15 s for what the test asserts (it still fails if it never happens).
import { configure } from '@testing-library/react';

configure({ asyncUtilTimeout: 15_000 });
