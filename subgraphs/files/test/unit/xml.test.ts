import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseListing } from '../../src/storage/s3/xml.ts';

const listing = `<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix></Prefix><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys><Delimiter>/</Delimiter><IsTruncated>true</IsTruncated><Contents><Key>a &amp; b &lt;1&gt; &#34;é&#34;.txt</Key><LastModified>2026-11-24T10:00:00.123Z</LastModified><ETag>&#34;0123abcd&#34;</ETag><Size>42</Size><StorageClass>STANDARD</StorageClass><UserMetadata><X-Amz-Meta-Sha256>ff00</X-Amz-Meta-Sha256><content-type>text/plain</content-type></UserMetadata></Contents><Contents><Key>plain.bin</Key><LastModified>2026-11-24T11:00:00Z</LastModified><ETag>"9"</ETag><Size>0</Size><UserMetadata></UserMetadata></Contents><CommonPrefixes><Prefix>docs &amp; more/</Prefix></CommonPrefixes><NextContinuationToken>tok&#43;en</NextContinuationToken></ListBucketResult>`;

test('a ListObjectsV2 answer: names, sizes, ETags, metadata and entities', () => {
  const parsed = parseListing(listing);
  assert.deepEqual(parsed.objects, [
    {
      name: 'a & b <1> "é".txt',
      size: 42,
      etag: '0123abcd',
      lastModified: new Date('2026-11-24T10:00:00.123Z'),
      metadata: { 'X-Amz-Meta-Sha256': 'ff00', 'content-type': 'text/plain' },
    },
    {
      name: 'plain.bin',
      size: 0,
      etag: '9',
      lastModified: new Date('2026-11-24T11:00:00Z'),
      metadata: undefined,
    },
  ]);
  assert.deepEqual(parsed.prefixes, ['docs & more/']);
  assert.equal(parsed.next, 'tok+en');
});

test('the last page has no continuation', () => {
  const last = listing.replace('<IsTruncated>true', '<IsTruncated>false');
  assert.equal(parseListing(last).next, undefined);
});

test('an S3 error inside a 200 answer is thrown with its code', () => {
  const error = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message></Error>`;
  assert.throws(() => parseListing(error), { code: 'NoSuchBucket' });
});
