// A minimal MariaDB/MySQL client (text protocol, password-less or mysql_native_password login) for
// the test script: create the test database and hold a row lock. No npm dependency and no mysql
// command-line client needed.
import { createConnection } from 'node:net';
import { createHash } from 'node:crypto';

const CAPS =
  0x1 | // CLIENT_LONG_PASSWORD
  0x8 | // CLIENT_CONNECT_WITH_DB
  0x200 | // CLIENT_PROTOCOL_41
  0x2000 | // CLIENT_TRANSACTIONS
  0x8000 | // CLIENT_SECURE_CONNECTION
  0x80000; // CLIENT_PLUGIN_AUTH

function nativePassword(password, scramble) {
  if (!password) return Buffer.alloc(0);
  const sha1 = (b) => createHash('sha1').update(b).digest();
  const p1 = sha1(Buffer.from(password));
  const p2 = sha1(p1);
  const p3 = sha1(Buffer.concat([scramble, p2]));
  return Buffer.from(p1.map((b, i) => b ^ p3[i]));
}

function lenenc(buf, pos) {
  const first = buf[pos];
  if (first < 0xfb) return [first, pos + 1];
  if (first === 0xfb) return [null, pos + 1];
  if (first === 0xfc) return [buf.readUInt16LE(pos + 1), pos + 3];
  if (first === 0xfd) return [buf.readUIntLE(pos + 1, 3), pos + 4];
  return [Number(buf.readBigUInt64LE(pos + 1)), pos + 9];
}

export class MysqlError extends Error {}

export class Mysql {
  static async connect({ host = '127.0.0.1', port = 3306, user = 'root', password = '', database = '' } = {}) {
    const m = new Mysql(createConnection({ host, port: Number(port) }));
    await new Promise((res, rej) => {
      m.socket.once('connect', res);
      m.socket.once('error', rej);
    });
    const hello = await m.read();
    if (hello[0] === 0xff) throw m.error(hello);
    // Handshake v10: version string, thread id, scramble part 1 (8), filler, caps, ..., part 2.
    let pos = hello.indexOf(0, 1) + 1 + 4;
    const part1 = hello.subarray(pos, pos + 8);
    pos += 8 + 1 + 2 + 1 + 2 + 2;
    const authLen = hello[pos];
    pos += 1 + 10;
    const part2 = hello.subarray(pos, pos + Math.max(13, authLen - 8) - 1);
    const scramble = Buffer.concat([part1, part2]);
    const auth = nativePassword(password, scramble);
    const head = Buffer.alloc(32);
    head.writeUInt32LE(CAPS, 0);
    head.writeUInt32LE(1 << 24, 4);
    head[8] = 45; // utf8mb4_general_ci
    await m.write(
      Buffer.concat([
        head,
        Buffer.from(user + '\0'),
        Buffer.from([auth.length]),
        auth,
        Buffer.from(database + '\0'),
        Buffer.from('mysql_native_password\0'),
      ]),
      1,
    );
    let answer = await m.read();
    if (answer[0] === 0xfe) {
      // Auth switch request: plugin name, then the new scramble.
      const end = answer.indexOf(0, 1);
      const plugin = answer.subarray(1, end).toString();
      if (plugin !== 'mysql_native_password') throw new MysqlError(`unsupported auth plugin ${plugin}`);
      const newScramble = answer.subarray(end + 1, answer.length - 1);
      await m.write(nativePassword(password, newScramble), m.seq + 1);
      answer = await m.read();
    }
    if (answer[0] !== 0x00) throw m.error(answer);
    return m;
  }

  constructor(socket) {
    this.socket = socket;
    this.buffer = Buffer.alloc(0);
    this.waiters = [];
    this.seq = 0;
    this.failure = null;
    socket.on('data', (d) => {
      this.buffer = Buffer.concat([this.buffer, d]);
      this.wake();
    });
    const fail = (e) => {
      this.failure = e ?? new MysqlError('connection closed');
      this.wake();
    };
    socket.on('error', fail);
    socket.on('close', () => fail());
  }

  wake() {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((w) => w());
  }

  async read() {
    for (;;) {
      if (this.buffer.length >= 4) {
        const len = this.buffer.readUIntLE(0, 3);
        if (this.buffer.length >= 4 + len) {
          this.seq = this.buffer[3];
          const payload = this.buffer.subarray(4, 4 + len);
          this.buffer = this.buffer.subarray(4 + len);
          return payload;
        }
      }
      if (this.failure) throw this.failure;
      await new Promise((r) => this.waiters.push(r));
    }
  }

  write(payload, seq) {
    const head = Buffer.alloc(4);
    head.writeUIntLE(payload.length, 0, 3);
    head[3] = seq;
    return new Promise((res, rej) => this.socket.write(Buffer.concat([head, payload]), (e) => (e ? rej(e) : res())));
  }

  error(packet) {
    const code = packet.readUInt16LE(1);
    const text = packet.subarray(packet[3] === 0x23 ? 9 : 3).toString();
    return new MysqlError(`MariaDB error ${code}: ${text}`);
  }

  /** Runs one statement; resolves with its rows (arrays of strings or null), [] for others. */
  async query(sql) {
    await this.write(Buffer.concat([Buffer.from([0x03]), Buffer.from(sql)]), 0);
    const first = await this.read();
    if (first[0] === 0x00) return [];
    if (first[0] === 0xff) throw this.error(first);
    const [columns] = lenenc(first, 0);
    for (let i = 0; i < columns; i++) await this.read();
    await this.read(); // EOF after the column definitions
    const rows = [];
    for (;;) {
      const p = await this.read();
      if (p[0] === 0xfe && p.length < 9) return rows;
      if (p[0] === 0xff) throw this.error(p);
      const row = [];
      let pos = 0;
      for (let i = 0; i < columns; i++) {
        const [len, next] = lenenc(p, pos);
        if (len === null) {
          row.push(null);
          pos = next;
        } else {
          row.push(p.subarray(next, next + len).toString());
          pos = next + len;
        }
      }
      rows.push(row);
    }
  }

  async close() {
    try {
      await this.write(Buffer.from([0x01]), 0); // COM_QUIT
    } catch {}
    this.socket.end();
  }
}
