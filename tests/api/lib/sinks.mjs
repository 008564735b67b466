// sinks.mjs - fake delivery endpoints for the notification tests: a tiny
// SMTP server (node:net) that accepts every message and records it, and an
// HTTP SMS gateway that fails the first `failFirst` requests with 503 and
// records the others. Both listen on a free loopback port.
import { createServer as createNetServer } from 'node:net';
import { createServer as createHttpServer } from 'node:http';

/* Starts the SMTP sink. Resolves {port, url, messages, close()}; each
 * message is {from, to: [...], data, subject (decoded), body (decoded)}. */
export function smtpSink() {
	const messages = [];
	const server = createNetServer((sock) => {
		sock.unref();
		let buf = '';
		let inData = false;
		let cur = { from: '', to: [], data: '' };
		sock.setEncoding('latin1');
		sock.write('220 sink ESMTP\r\n');
		sock.on('data', (chunk) => {
			buf += chunk;
			for (;;) {
				if (inData) {
					const end = buf.indexOf('\r\n.\r\n');
					if (end < 0) return;
					cur.data = Buffer.from(buf.slice(0, end), 'latin1').toString('utf8');
					buf = buf.slice(end + 5);
					inData = false;
					messages.push(decode(cur));
					cur = { from: '', to: [], data: '' };
					sock.write('250 queued\r\n');
					continue;
				}
				const nl = buf.indexOf('\r\n');
				if (nl < 0) return;
				const line = buf.slice(0, nl);
				buf = buf.slice(nl + 2);
				const verb = line.slice(0, 4).toUpperCase();
				if (verb === 'EHLO' || verb === 'HELO') sock.write('250 sink\r\n');
				else if (verb === 'MAIL') (cur.from = line.slice(10).trim()), sock.write('250 ok\r\n');
				else if (verb === 'RCPT') cur.to.push(line.slice(8).trim()), sock.write('250 ok\r\n');
				else if (verb === 'DATA') (inData = true), sock.write('354 go on\r\n');
				else if (verb === 'QUIT') sock.end('221 bye\r\n');
				else sock.write('250 ok\r\n');
			}
		});
		sock.on('error', () => {});
	});
	return listen(server, 'smtp', { messages });
}

/* Headers and body of a recorded message: the RFC 2047 subject and the
 * base64 body decoded. */
function decode(m) {
	const [head, ...rest] = m.data.split('\r\n\r\n');
	const unfolded = head.replace(/\r\n[ \t]+/g, ' ');
	const subj = (unfolded.match(/^Subject:(.*)$/im) || ['', ''])[1];
	const subject = [...subj.matchAll(/=\?UTF-8\?B\?([^?]*)\?=/gi)].map((x) => Buffer.from(x[1], 'base64').toString('utf8')).join('');
	const body = Buffer.from(rest.join('\r\n\r\n').replace(/\s+/g, ''), 'base64').toString('utf8');
	return { ...m, headers: unfolded, subject, body };
}

/* Starts the SMS gateway. Resolves {port, url, received, requests,
 * close()}: `requests` counts every POST, `received` holds the accepted
 * {to, text} bodies. */
export function smsGateway({ failFirst = 1 } = {}) {
	const state = { received: [], requests: 0 };
	const server = createHttpServer((req, res) => {
		let body = '';
		req.setEncoding('utf8');
		req.on('data', (d) => (body += d));
		req.on('end', () => {
			state.requests++;
			if (state.requests <= failFirst) {
				res.writeHead(503, { 'content-type': 'text/plain' });
				res.end('try later');
				return;
			}
			try {
				state.received.push(JSON.parse(body));
				res.writeHead(202, { 'content-type': 'application/json' });
				res.end('{"accepted":true}');
			} catch {
				res.writeHead(400);
				res.end();
			}
		});
	});
	return listen(server, 'http', state);
}

function listen(server, scheme, state) {
	return new Promise((res, rej) => {
		server.on('error', rej);
		server.listen(0, '127.0.0.1', () => {
			server.unref();
			const { port } = server.address();
			state.port = port;
			state.url = `${scheme}://127.0.0.1:${port}${scheme === 'http' ? '/sms' : ''}`;
			state.close = () => new Promise((r) => server.close(() => r()));
			res(state);
		});
	});
}
