-- Fixture loaded right after migration 0002_parameters.sql: a parameter with
-- two versions (the first labelled) and tags, and a root-level one in
-- another region. migratest_parameters_test.go checks that it reads back
-- unchanged after every later migration. Times: 2026-03-04T05:06:07.891011Z
-- (1772600767891011 µs) and one day later (1772687167891011 µs).
INSERT INTO parameters (region, name, parent, version, tags)
VALUES ('us-east-1', '/fixture/db/password', '/fixture/db/', 2, '{"team":"auth"}'),
       ('eu-west-1', 'fixture-root', '', 1, 'null');

INSERT INTO parameter_versions (region, name, version, type, value, description, allowed_pattern, key_id, tier, data_type, modified_at)
VALUES ('us-east-1', '/fixture/db/password', 1, 'SecureString', X'01AA', 'first', '', 'alias/aws/ssm', 'Standard', 'text', 1772600767891011),
       ('us-east-1', '/fixture/db/password', 2, 'SecureString', X'01BB', 'second', '^.+$', 'alias/aws/ssm', 'Advanced', 'text', 1772687167891011),
       ('eu-west-1', 'fixture-root', 1, 'StringList', CAST('a,b' AS BLOB), '', '', '', 'Standard', 'text', 1772600767891011);

INSERT INTO parameter_labels (region, name, label, version)
VALUES ('us-east-1', '/fixture/db/password', 'prod', 1),
       ('us-east-1', '/fixture/db/password', 'blue', 1);
