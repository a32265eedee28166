// Store routes of the interactive-query app on a TopologyTestDriver word count, in process.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SERVED_BY_HEADER } from '../../lib/query/index.ts';
import { FIXED_COUNTS, extraWord, startWordCount } from './word-count-app.ts';

const EXTRA = 237;
const wc = await startWordCount({ extraWords: EXTRA });
const ALL_WORDS = [...FIXED_COUNTS.keys(), ...Array.from({ length: EXTRA }, (_, i) => extraWord(i))].sort();

test.after(() => wc.close());

test('GET /stores/counts/keys/the answers the count with this instance as servedBy and no hop', async () => {
  const { status, headers, body } = await wc.getJson('/stores/counts/keys/the');
  assert.is(status, 200);
  assert.equal(body, { store: 'counts', key: 'the', value: 3, partition: 0, servedBy: { host: 'localhost', port: 0 } });
  assert.is(headers.get(SERVED_BY_HEADER), 'localhost:0');
});

test('every word piped is found with its count', async () => {
  for (const [word, count] of FIXED_COUNTS) assert.is((await wc.getJson(`/stores/counts/keys/${word}`)).body.value, count, word);
  assert.is((await wc.getJson(`/stores/counts/keys/${extraWord(EXTRA - 1)}`)).body.value, 1);
});

test('a key the store does not hold is a JSON 404 naming the store and key', async () => {
  const { status, body } = await wc.getJson('/stores/counts/keys/cat');
  assert.is(status, 404);
  assert.is(body.error, 'key not found');
  assert.is(body.store, 'counts');
  assert.is(body.key, 'cat');
});

test('an unknown store is a JSON 404 UnknownStoreError', async () => {
  const { status, body } = await wc.getJson('/stores/nope/keys/the');
  assert.is(status, 404);
  assert.is(body.name, 'UnknownStoreError');
  assert.is(body.store, 'nope');
});

test('a URL-encoded key reaches the store decoded (a space, a slash)', async () => {
  // Neither is a word the splitter makes: both are misses, but of the decoded key.
  for (const key of ['a b', 'a/b']) {
    const { status, body } = await wc.getJson(`/stores/counts/keys/${encodeURIComponent(key)}`);
    assert.is(status, 404);
    assert.is(body.key, key);
  }
});

test('a custom key codec: /stores/lengths/keys/3 reads Int32 key 3 and answers the value through the value codec', async () => {
  // the, fox, dog, and (3 letters, 3+2+1+1) and w000… (4 letters)
  const three = await wc.getJson('/stores/lengths/keys/3');
  assert.is(three.status, 200);
  assert.equal(three.body.key, 3);
  assert.equal(three.body.value, { words: 7 });
  assert.equal((await wc.getJson('/stores/lengths/keys/4')).body.value, { words: 1 + EXTRA });
  assert.is((await wc.getJson('/stores/lengths/keys/9')).status, 404);
});

test('a key the codec rejects is a JSON 400', async () => {
  const { status, body } = await wc.getJson('/stores/lengths/keys/not-a-number');
  assert.is(status, 400);
  assert.is(body.name, 'BadQueryError');
});

test('GET /stores lists the registered stores and the instances holding them', async () => {
  const { status, body } = await wc.getJson('/stores');
  assert.is(status, 200);
  assert.equal(body, [
    { name: 'counts', instances: [{ host: 'localhost', port: 0 }] },
    { name: 'lengths', instances: [{ host: 'localhost', port: 0 }] },
  ]);
});

test('entries: from/to bound the range inclusively, in key order', async () => {
  const { status, body } = await wc.getJson('/stores/counts/entries?from=d&to=l');
  assert.is(status, 200);
  assert.equal(body.entries, [{ key: 'dog', value: 1 }, { key: 'fox', value: 2 }]);
  assert.is(body.next, undefined);
});

test('entries: paging with limit and cursor visits every key exactly once, in order', async () => {
  const seen: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const { status, body } = await wc.getJson(`/stores/counts/entries?limit=40${cursor ? `&cursor=${cursor}` : ''}`);
    assert.is(status, 200);
    assert.ok(body.entries.length <= 40);
    seen.push(...body.entries.map((e: { key: string }) => e.key));
    cursor = body.next;
    pages++;
  } while (cursor);
  assert.equal(seen, ALL_WORDS);
  assert.is(pages, Math.ceil(ALL_WORDS.length / 40));
});

test('entries: a page of a bounded range ends at `to` and gives no cursor after its last page', async () => {
  const first = await wc.getJson('/stores/counts/entries?from=w100&to=w109&limit=6');
  assert.equal(first.body.entries.map((e: { key: string }) => e.key), ['w100', 'w101', 'w102', 'w103', 'w104', 'w105']);
  const second = await wc.getJson(`/stores/counts/entries?from=w100&to=w109&limit=6&cursor=${first.body.next}`);
  assert.equal(second.body.entries.map((e: { key: string }) => e.key), ['w106', 'w107', 'w108', 'w109']);
  assert.is(second.body.next, undefined);
});

test('entries: without limit a page holds the default (100); a larger limit is cut to the max (1000)', async () => {
  const plain = await wc.getJson('/stores/counts/entries');
  assert.is(plain.body.entries.length, 100);
  assert.is(plain.body.limit, 100);
  assert.ok(plain.body.next);
  const huge = await wc.getJson('/stores/counts/entries?limit=5000');
  assert.is(huge.body.limit, 1000);
  assert.is(huge.body.entries.length, ALL_WORDS.length);
});

test('entries: a bad limit or cursor is a JSON 400', async () => {
  assert.is((await wc.getJson('/stores/counts/entries?limit=0')).status, 400);
  assert.is((await wc.getJson('/stores/counts/entries?limit=abc')).status, 400);
  assert.is((await wc.getJson('/stores/counts/entries?cursor=not%20base64!')).status, 400);
  // Valid base64url, but 2 bytes are no Int32 key.
  assert.is((await wc.getJson('/stores/lengths/entries?cursor=AAA')).status, 400);
});

test('entries of the Int32 store follow the serialized-key order with the codecs applied', async () => {
  const { body } = await wc.getJson('/stores/lengths/entries');
  assert.equal(body.entries, [{ key: 3, value: { words: 7 } }, { key: 4, value: { words: 1 + EXTRA } }, { key: 5, value: { words: 2 } }]);
});

test.run();
