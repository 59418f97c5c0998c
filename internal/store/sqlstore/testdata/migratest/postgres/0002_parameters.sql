-- Fixture loaded right after migration 0002_parameters.sql: the same
-- records as testdata/migratest/sqlite/0002_parameters.sql.
-- migratest_parameters_test.go checks that they read back unchanged after
-- every later migration.
INSERT INTO parameters (region, name, parent, version, tags)
VALUES ('us-east-1', '/fixture/db/password', '/fixture/db/', 2, '{"team":"auth"}'),
       ('eu-west-1', 'fixture-root', '', 1, 'null');

INSERT INTO parameter_versions (region, name, version, type, value, description, allowed_pattern, key_id, tier, data_type, modified_at)
VALUES ('us-east-1', '/fixture/db/password', 1, 'SecureString', '\x01aa'::bytea, 'first', '', 'alias/aws/ssm', 'Standard', 'text',
        '2026-03-04T05:06:07.891011Z'),
       ('us-east-1', '/fixture/db/password', 2, 'SecureString', '\x01bb'::bytea, 'second', '^.+$', 'alias/aws/ssm', 'Advanced', 'text',
        '2026-03-05T05:06:07.891011Z'),
       ('eu-west-1', 'fixture-root', 1, 'StringList', convert_to('a,b', 'UTF8'), '', '', '', 'Standard', 'text',
        '2026-03-04T05:06:07.891011Z');

INSERT INTO parameter_labels (region, name, label, version)
VALUES ('us-east-1', '/fixture/db/password', 'prod', 1),
       ('us-east-1', '/fixture/db/password', 'blue', 1);
