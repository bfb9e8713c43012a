import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { DigestSession, parseChallenges, pickDigest } from '../../src/vendors/thinknx/digest';

function field(header: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|[ ,])${name}=(?:"([^"]*)"|([^,\\s]*))`).exec(header.replace(/^Digest /, ' '));
  return m ? (m[1] ?? m[2]) : undefined;
}

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

describe('thinknx digest (RFC 7616)', () => {
  describe('the RFCs\' own examples', () => {
    const rfc7616 = (alg: string): string =>
      `Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=${alg}, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`;
    const cnonce = (): string => 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ';

    it('RFC 7616 3.9.1 with MD5', () => {
      const ch = pickDigest(parseChallenges(rfc7616('MD5')));
      assert.ok(ch);
      const h = new DigestSession(ch, 'Mufasa', 'Circle of Life', cnonce).authorize('GET', '/dir/index.html');
      assert.equal(field(h, 'response'), '8ca523f5e9506fed4657c9700eebdbec');
      assert.equal(field(h, 'qop'), 'auth');
      assert.equal(field(h, 'nc'), '00000001');
      assert.equal(field(h, 'opaque'), 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS');
    });

    it('RFC 7616 3.9.1 with SHA-256', () => {
      const ch = pickDigest(parseChallenges(rfc7616('SHA-256')));
      assert.ok(ch);
      const h = new DigestSession(ch, 'Mufasa', 'Circle of Life', cnonce).authorize('GET', '/dir/index.html');
      assert.equal(field(h, 'response'), '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
      assert.equal(field(h, 'algorithm'), 'SHA-256');
    });

    it('RFC 2617 3.5 (MD5 by default when the challenge names no algorithm)', () => {
      const ch = pickDigest(parseChallenges('Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"'));
      assert.ok(ch);
      assert.equal(ch.algorithm, 'MD5');
      const h = new DigestSession(ch, 'Mufasa', 'Circle Of Life', () => '0a4f113b').authorize('GET', '/dir/index.html');
      assert.equal(field(h, 'response'), '6629fae49393a05397450978507c4ef1');
    });
  });

  describe('challenge parsing', () => {
    it('reads several challenges, quoted commas and escapes, token68 forms', () => {
      const list = parseChallenges(['Negotiate YII==, Basic realm="a, b", Digest realm="r", nonce="n\\"x", qop="auth", algorithm=SHA-256', 'Bearer']);
      assert.deepEqual(list.map((c) => c.scheme), ['Negotiate', 'Basic', 'Digest', 'Bearer']);
      assert.equal(list[0]?.params.token68, 'YII==');
      assert.equal(list[1]?.params.realm, 'a, b');
      assert.equal(list[2]?.params.nonce, 'n"x');
      assert.equal(list[2]?.params.algorithm, 'SHA-256');
    });

    it('answers the first Digest challenge whose algorithm and qop it supports', () => {
      const ch = pickDigest(parseChallenges('Digest realm="r", nonce="a", algorithm=SHA-1, Digest realm="r", nonce="b", qop="auth-conf", Digest realm="r", nonce="c", algorithm=sha-256-sess, qop="auth-int"'));
      assert.ok(ch);
      assert.equal(ch.nonce, 'c');
      assert.equal(ch.algorithm, 'SHA-256-sess');
      assert.equal(ch.sess, true);
      assert.equal(ch.qop, 'auth-int');
    });

    it('reads stale=TRUE in any case, and finds no Digest challenge in a Basic one', () => {
      assert.equal(pickDigest(parseChallenges('Digest realm="r", nonce="n", stale=TRUE'))?.stale, true);
      assert.equal(pickDigest(parseChallenges('Digest realm="r", nonce="n", stale=false'))?.stale, false);
      assert.equal(pickDigest(parseChallenges('Basic realm="Thinknx"')), undefined);
      assert.equal(pickDigest(parseChallenges(undefined)), undefined);
    });
  });

  describe('session', () => {
    it('counts nc up on one nonce and draws a new cnonce per request', () => {
      const ch = pickDigest(parseChallenges('Digest realm="r", nonce="n1", qop="auth"'))!;
      let i = 0;
      const s = new DigestSession(ch, 'u', 'p', () => `c${++i}`);
      const a = s.authorize('GET', '/x');
      const b = s.authorize('GET', '/y');
      assert.deepEqual([field(a, 'nc'), field(b, 'nc')], ['00000001', '00000002']);
      assert.deepEqual([field(a, 'cnonce'), field(b, 'cnonce')], ['c1', 'c2']);
      assert.equal(field(b, 'uri'), '/y');
    });

    it('-sess keeps the session key and its cnonce for the whole nonce', () => {
      const ch = pickDigest(parseChallenges('Digest realm="r", nonce="n1", qop="auth", algorithm=MD5-sess'))!;
      let i = 0;
      const s = new DigestSession(ch, 'u', 'p', () => `c${++i}`);
      const b = (s.authorize('GET', '/x'), s.authorize('GET', '/x'));
      assert.equal(field(b, 'cnonce'), 'c1');
      const ha1 = md5(`${md5('u:r:p')}:n1:c1`);
      assert.equal(field(b, 'response'), md5(`${ha1}:n1:00000002:c1:auth:${md5('GET:/x')}`));
    });

    it('auth-int hashes the body, and a server without qop gets the RFC 2069 response', () => {
      const int = pickDigest(parseChallenges('Digest realm="r", nonce="n", qop="auth-int"'))!;
      const h = new DigestSession(int, 'u', 'p', () => 'c').authorize('GET', '/x');
      assert.equal(field(h, 'response'), md5(`${md5('u:r:p')}:n:00000001:c:auth-int:${md5(`GET:/x:${md5('')}`)}`));
      const old = pickDigest(parseChallenges('Digest realm="r", nonce="n"'))!;
      const o = new DigestSession(old, 'u', 'p').authorize('GET', '/x');
      assert.equal(field(o, 'response'), md5(`${md5('u:r:p')}:n:${md5('GET:/x')}`));
      assert.equal(field(o, 'nc'), undefined, 'no nc/cnonce without qop');
    });

    it('userhash hides the user name; a non-ASCII name is sent as username*', () => {
      const uh = pickDigest(parseChallenges('Digest realm="r", nonce="n", qop="auth", userhash=true'))!;
      assert.equal(field(new DigestSession(uh, 'u', 'p').authorize('GET', '/'), 'username'), md5('u:r'));
      const plain = pickDigest(parseChallenges('Digest realm="r", nonce="n", qop="auth"'))!;
      assert.match(new DigestSession(plain, 'Jäger', 'p').authorize('GET', '/'), /username\*=UTF-8''J%C3%A4ger/);
      assert.match(new DigestSession(plain, 'a"b', 'p').authorize('GET', '/'), /username="a\\"b"/);
    });

    it('the header never holds the password', () => {
      const ch = pickDigest(parseChallenges('Digest realm="r", nonce="n", qop="auth"'))!;
      assert.ok(!new DigestSession(ch, 'u', 'hunter2-secret').authorize('GET', '/').includes('hunter2'));
    });
  });
});
