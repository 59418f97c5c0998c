-- Fixture loaded right after migration 0001_init.sql: one pool with one of
-- everything. migratest_test.go checks that it reads back unchanged after
-- every later migration. Times: 2026-03-04T05:06:07.891011Z
-- (1772600767891011 µs) and one day later (1772687167891011 µs).
INSERT INTO pools (id, region, name, settings, created_at, updated_at)
VALUES ('us-east-1_Fixture1', 'us-east-1', 'fixture pool', CAST('{"mfa":"OFF"}' AS BLOB), 1772600767891011, 1772687167891011);

INSERT INTO domains (domain, pool_id, custom, settings, created_at)
VALUES ('fixture', 'us-east-1_Fixture1', 0, NULL, 1772600767891011),
       ('auth.fixture.example', 'us-east-1_Fixture1', 1, CAST('{"cert":"arn"}' AS BLOB), 1772600767891011);

INSERT INTO resource_servers (pool_id, identifier, name, scopes, created_at, updated_at)
VALUES ('us-east-1_Fixture1', 'https://api.fixture.example', 'api',
        '[{"name":"write","description":"Write"},{"name":"read","description":"Read"}]',
        1772600767891011, 1772687167891011);

INSERT INTO clients (id, pool_id, name, secret_sealed, settings, created_at, updated_at)
VALUES ('fixtureclient1', 'us-east-1_Fixture1', 'confidential', X'00FF10', CAST('{}' AS BLOB), 1772600767891011, 1772600767891011),
       ('fixtureclient2', 'us-east-1_Fixture1', 'public', NULL, NULL, 1772600767891011, 1772600767891011);

INSERT INTO signing_keys (kid, pool_id, key_use, algorithm, public_jwk, private_sealed, created_at, retire_at)
VALUES ('fixture-kid-1', 'us-east-1_Fixture1', 'access', 'RS256', CAST('{"kty":"RSA"}' AS BLOB), X'0102', 1772600767891011, 1772687167891011),
       ('fixture-kid-2', 'us-east-1_Fixture1', 'access', 'RS256', CAST('{"kty":"RSA"}' AS BLOB), X'0304', 1772687167891011, NULL);

INSERT INTO meta (name, value) VALUES ('fixture', X'CAFE');
