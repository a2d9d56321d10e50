import { describe, expect, it } from '@jest/globals';
import { createFarewells } from '../../src/lifecycle/farewells.js';
import { deferred } from '../support/async.js';

describe('createFarewells', () => {
  it('says the farewells of work still running, and not of work that ended', async () => {
    const farewells = createFarewells();
    const said: string[] = [];
    await farewells.during(
      async () => void said.push('done'),
      async () => 'finished',
    );
    const running = deferred();
    const work = farewells.during(
      async () => void said.push('cut short'),
      () => running.promise,
    );
    expect(farewells.size()).toBe(1);
    expect(await farewells.sayAll(1000)).toBe(1);
    expect(said).toEqual(['cut short']);
    running.resolve();
    await work;
    expect(farewells.size()).toBe(0);
  });

  it('does not wait longer than its bound for a farewell that hangs', async () => {
    const farewells = createFarewells();
    const never = deferred();
    void farewells.during(
      () => new Promise<void>(() => undefined),
      () => never.promise,
    );
    void farewells.during(
      async () => undefined,
      () => never.promise,
    );
    expect(await farewells.sayAll(30)).toBe(1);
  });
});
