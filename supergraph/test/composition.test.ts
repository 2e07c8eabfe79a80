import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';

const schemaOf = (subgraph: string) =>
  readFileSync(new URL(`../../subgraphs/${subgraph}/src/schema.graphql`, import.meta.url), 'utf8');

describe('the subgraphs’ schemas, composed as the gateway composes them', () => {
  it('when files, accounts and health are composed, then they compose: PageInfo shared, File.owner a User, accounts and share links there', () => {
    const result = composeServices(
      ['files', 'accounts', 'health'].map((name) => ({
        name,
        url: `http://${name}.invalid/graphql`,
        typeDefs: parse(schemaOf(name)),
      })),
    );
    assert.equal(result.errors, undefined, String(result.errors));
    const supergraph = result.supergraphSdl ?? '';
    for (const part of [
      /type PageInfo\b/,
      /type User\b/,
      /\bowner: User!/,
      /\bme: User\b/,
      /users\(first: Int = 50, after: String\): UserConnection!/,
      /signIn\(email: String!, password: String!\): User!/,
      /createToken\(name: String!, expiresInDays: Int\): NewApiToken!/,
      /createShareLink\(fileId: ID!, expiresInHours: Int, password: String\): ShareLink!/,
      /shareLinks\(fileId: ID\): \[ShareLink!\]!/,
      /revokeShareLink\(id: ID!\): Boolean!/,
      /files\(owner: ID,/,
      /\bhealth: Health!/,
    ])
      assert.match(supergraph, part);
  });
});
