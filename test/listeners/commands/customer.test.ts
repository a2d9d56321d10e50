import { describe, expect, it } from '@jest/globals';
import { KomerzaUnavailableError } from '../../../src/komerza/errors.js';
import { customerCommand } from '../../../src/listeners/commands/customer.js';
import { commandArgs, fakeDeps, sampleCustomer, sampleCustomers, stubKomerza } from '../../support/listener-kit.js';

type Args = Parameters<ReturnType<typeof customerCommand>>[0];
const jane = sampleCustomer('jane@example.com');

describe('/customer listener', () => {
  it('answers help in the ack itself, without asking Komerza', async () => {
    const deps = fakeDeps();
    const run = commandArgs<Args>('help');
    await customerCommand(deps)(run.args);
    expect(JSON.stringify(run.acks)).toContain('/customer jane@example.com');
    expect(run.responses).toEqual([]);
  });

  it('acks empty, then posts the card privately through the response_url', async () => {
    const deps = fakeDeps({ api: stubKomerza({ getCustomerByEmail: async () => jane }) });
    const run = commandArgs<Args>('jane@example.com');
    await customerCommand(deps)(run.args);
    expect(run.acks).toEqual([undefined]);
    expect(run.responses).toHaveLength(1);
    expect(run.responses[0]?.response_type).toBe('ephemeral');
    expect(JSON.stringify(run.responses[0])).toContain('Order arrived damaged');
    expect(deps.logs.some((line) => line.includes('"event":"lookup"') && line.includes('"outcome":"card"'))).toBe(true);
  });

  it('turns a Komerza failure into its message', async () => {
    const deps = fakeDeps({
      api: stubKomerza({ searchCustomers: async () => Promise.reject(new KomerzaUnavailableError('r', 'timeout')) }),
    });
    const run = commandArgs<Args>('alex');
    await customerCommand(deps)(run.args);
    expect(JSON.stringify(run.responses)).toContain('Komerza did not answer in time');
  });

  it('stores a paged search and puts only its token in the page buttons', async () => {
    const deps = fakeDeps({
      api: stubKomerza({
        searchCustomers: async () => ({ items: sampleCustomers().slice(3), page: 1, pages: 3 }),
      }),
    });
    const run = commandArgs<Args>('alex');
    await customerCommand(deps)(run.args);
    const posted = JSON.stringify(run.responses[0]);
    expect(posted).toContain('page 1 of 3');
    const token = /\\"t\\":\\"([A-Za-z0-9_-]+)\\"/.exec(posted)?.[1];
    expect(token).toBeDefined();
    await expect(deps.searches.get(token ?? '')).resolves.toBe('alex');
    expect(posted).not.toContain('\\"t\\":\\"alex');
  });

  it('sends the card as an ephemeral message when the response_url is gone', async () => {
    const deps = fakeDeps({ api: stubKomerza({ getCustomerByEmail: async () => jane }) });
    const run = commandArgs<Args>('jane@example.com', { respondStatus: 404 });
    await customerCommand(deps)(run.args);
    const [ephemeral] = run.fake.callsTo('chat.postEphemeral');
    expect(ephemeral?.args).toMatchObject({ channel: 'C0SUPPORT', user: 'U0AGENT' });
    expect(JSON.stringify(ephemeral?.args.blocks)).toContain('Order arrived damaged');
  });
});
