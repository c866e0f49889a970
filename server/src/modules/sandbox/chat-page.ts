import type { ChatMessage, ChatView } from '../../providers/sandbox/market/chat.js';

/**
 * The sandbox chat page: one HTML document with no external assets, its one style sheet and one script
 * inline and allowed by a per-answer nonce, everything from the market escaped.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** Only the page's own inline style and script (by nonce), and requests back to this server. */
export function chatPagePolicy(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** A page with nothing active on it. */
export const PLAIN_PAGE_POLICY = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Market time as the seller's clock shows it (China, UTC+8). */
function chinaTime(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;

function messageItem(m: ChatMessage): string {
  const who = m.from === 'buyer' ? '我 Me' : '卖家 Seller';
  return `<li class="${m.from}"><p>${escapeHtml(m.text)}</p><small>${who} · ${chinaTime(m.time)}</small></li>`;
}

function subjectBlock(view: ChatView): string {
  const s = view.subject;
  if (s.sourceType === 'item') {
    const title = s.lines[0]?.title;
    return `<h2>商品 Item <span class="id">${escapeHtml(s.bizId)}</span></h2>
<p>${escapeHtml(title?.zh ?? '')}<br><span class="en">${escapeHtml(title?.en ?? '')}</span></p>
<p class="amount">${yuan(s.amountFen)}</p>`;
  }
  const lines = s.lines
    .map(
      (l) => `<li>${escapeHtml(l.title.zh)} × ${l.quantity}<br><span class="en">${escapeHtml(l.title.en)}</span></li>`,
    )
    .join('');
  return `<h2>订单 Order <span class="id">${escapeHtml(s.bizId)}</span></h2>
<ul>${lines}</ul>
<p class="amount">合计 Total ${yuan(s.amountFen)}</p>`;
}

const STYLE = `
body{font:15px/1.5 system-ui,sans-serif;margin:0;background:#f4f4f5;color:#18181b}
main{max-width:640px;margin:0 auto;padding:16px}
header h1{margin:0;font-size:20px}
.en{color:#52525b;font-size:13px}
.note{color:#a16207;font-size:12px}
section,form{background:#fff;border-radius:8px;padding:12px;margin:12px 0}
h2{font-size:15px;margin:0 0 6px}
.id{color:#71717a;font-weight:normal}
.amount{font-weight:bold;color:#dc2626}
ol{list-style:none;padding:0;margin:0}
ol li{margin:8px 0;max-width:85%;padding:8px 12px;border-radius:8px}
ol li p{margin:0;white-space:pre-line}
ol li small{color:#71717a}
li.buyer{margin-left:auto;background:#dbeafe}
li.seller{background:#fff}
textarea{width:100%;box-sizing:border-box;min-height:60px}
#status{color:#dc2626}
`;

/**
 * Sends with fetch (JSON) and appends both messages; without scripts the form posts itself and the
 * server answers with this page again.
 */
const SCRIPT = `
(() => {
  const form = document.getElementById('send');
  const list = document.getElementById('messages');
  const status = document.getElementById('status');
  const time = (ms) => new Date(ms + 8 * 3600000).toISOString().slice(0, 16).replace('T', ' ');
  const item = (m) => {
    const li = document.createElement('li');
    li.className = m.from;
    const p = document.createElement('p');
    p.textContent = m.text;
    const small = document.createElement('small');
    small.textContent = (m.from === 'buyer' ? '我 Me' : '卖家 Seller') + ' · ' + time(m.time);
    li.append(p, small);
    return li;
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = form.elements.text.value.trim();
    if (!text) return;
    status.textContent = '';
    try {
      const res = await fetch(form.action, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text }),
      });
      const body = await res.json().catch(() => ({}));
      if (!res.ok) {
        status.textContent = body.message || body.msg || 'HTTP ' + res.status;
        return;
      }
      list.append(item(body.sent), item(body.reply));
      form.reset();
      list.lastElementChild.scrollIntoView();
    } catch (err) {
      status.textContent = String(err);
    }
  });
})();
`;

export function chatPage(view: ChatView, token: string, nonce: string): string {
  const name = view.shop.name;
  const action = `/sandbox/im/messages?loginToken=${encodeURIComponent(token)}`;
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(name.zh)} · 旺旺 (sandbox)</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<main>
<header>
<h1>${escapeHtml(name.zh)}</h1>
<div class="en">${escapeHtml(name.en)}</div>
<div class="note">沙箱市场：卖家的回复是自动生成的。 Sandbox market: the seller's replies are canned.</div>
</header>
<section>${subjectBlock(view)}</section>
<section><ol id="messages">${view.messages.map(messageItem).join('')}</ol></section>
<form id="send" method="post" action="${escapeHtml(action)}">
<textarea name="text" maxlength="500" required placeholder="输入消息 Type a message"></textarea>
<button type="submit">发送 Send</button>
<p id="status" role="status"></p>
</form>
</main>
<script nonce="${nonce}">${SCRIPT}</script>
</body>
</html>`;
}

/** A page that only says something (an expired link, a refused message). */
export function plainPage(title: string, message: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body>
</html>`;
}
