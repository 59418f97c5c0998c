-- Fixture loaded right after migration 0001_init.sql: one pool with one of
-- everything, the same records as testdata/migratest/sqlite/0001_init.sql.
-- migratest_test.go checks that it reads back unchanged after every later
-- migration.
INSERT INTO pools (id, region, name, settings, created_at, updated_at)
VALUES ('us-east-1_Fixture1', 'us-east-1', 'fixture pool', convert_to('{"mfa":"OFF"}', 'UTF8'),
        '2026-03-04T05:06:07.891011Z', '2026-03-05T05:06:07.891011Z');

INSERT INTO domains (domain, pool_id, custom, settings, created_at)
VALUES ('fixture', 'us-east-1_Fixture1', false, NULL, '2026-03-04T05:06:07.891011Z'),
       ('auth.fixture.example', 'us-east-1_Fixture1', true, convert_to('{"cert":"arn"}', 'UTF8'), '2026-03-04T05:06:07.891011Z');

INSERT INTO resource_servers (pool_id, identifier, name, scopes, created_at, updated_at)
VALUES ('us-east-1_Fixture1', 'https://api.fixture.example', 'api',
        '[{"name":"write","description":"Write"},{"name":"read","description":"Read"}]',
        '2026-03-04T05:06:07.891011Z', '2026-03-05T05:06:07.891011Z');

INSERT INTO clients (id, pool_id, name, secret_sealed, settings, created_at, updated_at)
VALUES ('fixtureclient1', 'us-east-1_Fixture1', 'confidential', '\x00ff10', convert_to('{}', 'UTF8'),
        '2026-03-04T05:06:07.891011Z', '2026-03-04T05:06:07.891011Z'),
       ('fixtureclient2', 'us-east-1_Fixture1', 'public', NULL, NULL,
        '2026-03-04T05:06:07.891011Z', '2026-03-04T05:06:07.891011Z');

INSERT INTO signing_keys (kid, pool_id, key_use, algorithm, public_jwk, private_sealed, created_at, retire_at)
VALUES ('fixture-kid-1', 'us-east-1_Fixture1', 'access', 'RS256', convert_to('{"kty":"RSA"}', 'UTF8'), '\x0102',
        '2026-03-04T05:06:07.891011Z', '2026-03-05T05:06:07.891011Z'),
       ('fixture-kid-2', 'us-east-1_Fixture1', 'access', 'RS256', convert_to('{"kty":"RSA"}', 'UTF8'), '\x0304',
        '2026-03-05T05:06:07.891011Z', NULL);

INSERT INTO meta (name, value) VALUES ('fixture', '\xcafe');
