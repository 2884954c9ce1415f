import { createSecretBox } from '../../src/core/secret-box.ts';

/** The design key of this test file's services: made per file, shared by every app it builds. */
export const TEST_DESIGN_KEY = crypto.getRandomValues(new Uint8Array(32));

/** A box over TEST_DESIGN_KEY, for tests that store or read designs without services. */
export const testBox = createSecretBox(TEST_DESIGN_KEY);
