import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOrder,
  type ListPage,
  type MessagesServer,
  type Receiver,
  receiver,
  saveCallbackUrl,
  startMessagesServer,
} from '../api/messages/messages-fixtures.js';
import { json, ponte } from './ponte-admin.js';

interface State {
  settings: { enabled: boolean; disabledReason: string | null } | null;
  counts: Record<'held' | 'pending' | 'delivered' | 'failed', number>;
  lastAttempt: { messageId: string; outcome: string } | null;
}

describe('ponte admin messages', () => {
  let m: MessagesServer;
  let r: Receiver;
  let at: string[];
  beforeAll(async () => {
    m = await startMessagesServer();
    r = await receiver(200);
    at = ['--url', m.server.baseUrl, '--token', m.server.deps.adminToken];
    await saveCallbackUrl(m.server, m.dev, r.url);
  });
  afterAll(async () => {
    await m?.close();
    await r?.close();
  });

  it("shows a developer's state, lists its messages with filters, and a message's attempts", async () => {
    const writtenAt = m.clock.now();
    const orderId = await createOrder(m.server, m.sub);
    expect(await m.server.drainCallbacks()).toBe(1);
    const dev = m.dev.developId;

    const state = json<State>(await ponte(['messages', 'state', '--developer', dev, ...at]));
    expect(state.settings).toMatchObject({ enabled: true });
    expect(state.counts).toEqual({ held: 0, pending: 0, delivered: 1, failed: 0 });

    const since = new Date(writtenAt).toISOString();
    const listed = json<ListPage>(
      await ponte([
        'messages',
        'list',
        '--developer',
        dev,
        '--status',
        'delivered',
        '--platform',
        '0',
        '--object',
        orderId,
        '--type',
        'ORDER_BUYER_VIEW_ORDER_STATUS_CHANGE',
        '--since',
        since,
        '--until',
        String(writtenAt + 1),
        '--page-size',
        '5',
        ...at,
      ]),
    );
    expect(listed.total).toBe(1);
    const [message] = listed.messages;
    expect(message).toMatchObject({ objectId: orderId, status: 'delivered', attemptCount: 1 });
    const none = json<ListPage>(await ponte(['messages', 'list', '--developer', dev, '--status', 'failed', ...at]));
    expect(none.total).toBe(0);
    expect(state.lastAttempt?.messageId).toBe(message?.messageId);

    const attempts = json<{ developId: string; attempts: { attempt: number; outcome: string }[] }>(
      await ponte(['messages', 'attempts', '--message', message?.messageId as string, ...at]),
    );
    expect(attempts.developId).toBe(dev);
    expect(attempts.attempts).toMatchObject([{ attempt: 1, outcome: 'delivered' }]);
  });

  it('redelivers one message or a range, and refuses anything but exactly one form', async () => {
    const dev = m.dev.developId;
    const [message] = (await m.server.signed<ListPage>(m.dev, 'GET', '/open/message/list')).body.data.messages;
    const id = message?.messageId as string;
    const one = json<{ redelivered: number }>(
      await ponte(['messages', 'redeliver', '--developer', dev, '--message', id, ...at]),
    );
    expect(one).toEqual({ redelivered: 1 });
    const seen = r.deliveries().length;
    expect(await m.server.drainCallbacks()).toBe(1);
    expect(r.deliveries().slice(seen)).toEqual([{ webhookId: id, messageId: id }]);

    const now = m.clock.now();
    const range = ['--since', new Date(now - 3_600_000).toISOString(), '--until', String(now + 1)];
    const failedOnly = json<{ redelivered: number }>(
      await ponte(['messages', 'redeliver', '--developer', dev, ...range, '--only-failed', ...at]),
    );
    expect(failedOnly).toEqual({ redelivered: 0 });
    const all = json<{ redelivered: number }>(
      await ponte(['messages', 'redeliver', '--developer', dev, ...range, ...at]),
    );
    expect(all).toEqual({ redelivered: 1 });
    expect(await m.server.drainCallbacks()).toBe(1);

    for (const [args, expected] of [
      [['--developer', dev], '--message'],
      [['--developer', dev, '--message', id, '--since', '1'], 'not both'],
      [['--developer', dev, '--since', '1'], '--until'],
      [['--developer', dev, '--since', 'yesterday', '--until', '2'], 'ISO 8601'],
      [['--message', id], '--developer'],
    ] as const) {
      const run = await ponte(['messages', 'redeliver', ...args, ...at]);
      expect(run.code, args.join(' ')).not.toBe(0);
      expect(run.stderr, args.join(' ')).toContain(expected);
      expect(run.stdout).toBe('');
    }
    const badStatus = await ponte(['messages', 'list', '--developer', dev, '--status', 'sent', ...at]);
    expect(badStatus.code).not.toBe(0);
    expect(badStatus.stderr).toContain('expected one of held, pending, delivered, failed');
    const tooLong = await ponte([
      'messages',
      'redeliver',
      '--developer',
      dev,
      '--since',
      '2026-01-01T00:00:00Z',
      '--until',
      '2026-03-01T00:00:00Z',
      ...at,
    ]);
    expect(tooLong.code).toBe(1);
    expect(tooLong.stderr).toMatch(/^error 40001: Invalid parameter endTime: the range covers at most 30 days/);
  });

  it('re-enables a URL a 410 disabled, and reports API errors on stderr with exit code 1', async () => {
    const gone = await m.server.createDeveloper('Gone');
    const g = await receiver(200);
    try {
      await saveCallbackUrl(m.server, gone, g.url);
      g.answer = 410;
      await createOrder(m.server, gone);
      expect(await m.server.drainCallbacks()).toBe(1);
      const disabled = json<State>(await ponte(['messages', 'state', '--developer', gone.developId, ...at]));
      expect(disabled.settings).toMatchObject({ enabled: false, disabledReason: 'gone' });
      const enabled = json<State>(await ponte(['messages', 'enable', '--developer', gone.developId, ...at]));
      expect(enabled.settings).toMatchObject({ enabled: true, disabledReason: null });
      expect(enabled.counts.held).toBe(2);
      const again = await ponte(['messages', 'enable', '--developer', gone.developId, ...at]);
      expect(again.code).toBe(1);
      expect(again.stdout).toBe('');
      expect(again.stderr).toMatch(
        /^error 40901: The current state does not allow this action: the callback URL is already enabled \(requestId [0-9a-f]{32}\)\n$/,
      );
    } finally {
      await g.close();
    }
    const unknown = await ponte(['messages', 'state', '--developer', '4242', ...at]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^error 40401: Not found: developer 4242 /);
    const noMessage = await ponte(['messages', 'attempts', '--message', '1795432287562383361', ...at]);
    expect(noMessage.stderr).toMatch(/^error 40401: Not found: message 1795432287562383361 /);
  });
});
