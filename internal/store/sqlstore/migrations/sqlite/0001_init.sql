-- 0001: pools with their domains, resource servers, app clients and signing
-- keys, and the store-wide meta table.
--
-- Times are INTEGER microseconds since the Unix epoch, UTC. Tables are
-- STRICT so a value of the wrong type is an error, not a silent conversion.
-- Text keys compare bytewise (SQLite's BINARY collation), which is the order
-- every listing pages by.

CREATE TABLE pools (
    id         TEXT    NOT NULL PRIMARY KEY,
    region     TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    settings   BLOB,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

CREATE INDEX pools_region_id ON pools (region, id);

-- A domain name is unique across the store (primary key) and a pool has at
-- most one prefix domain (custom = 0) and one custom domain (custom = 1).
CREATE TABLE domains (
    domain     TEXT    NOT NULL PRIMARY KEY,
    pool_id    TEXT    NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    custom     INTEGER NOT NULL CHECK (custom IN (0, 1)),
    settings   BLOB,
    created_at INTEGER NOT NULL
) STRICT;

CREATE UNIQUE INDEX domains_one_per_kind ON domains (pool_id, custom);

-- scopes is a JSON array of {"name", "description"} objects, in the order
-- the caller gave them (or JSON null for a nil slice).
CREATE TABLE resource_servers (
    pool_id    TEXT    NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    identifier TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    scopes     TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (pool_id, identifier)
) STRICT;

CREATE TABLE clients (
    id            TEXT    NOT NULL PRIMARY KEY,
    pool_id       TEXT    NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    name          TEXT    NOT NULL,
    secret_sealed BLOB,
    settings      BLOB,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
) STRICT;

CREATE INDEX clients_pool_id ON clients (pool_id, id);

CREATE TABLE signing_keys (
    kid            TEXT    NOT NULL PRIMARY KEY,
    pool_id        TEXT    NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    key_use        TEXT    NOT NULL,
    algorithm      TEXT    NOT NULL,
    public_jwk     BLOB    NOT NULL,
    private_sealed BLOB    NOT NULL,
    created_at     INTEGER NOT NULL,
    retire_at      INTEGER
) STRICT;

CREATE INDEX signing_keys_pool_newest ON signing_keys (pool_id, created_at DESC, kid);
CREATE INDEX signing_keys_retire_at ON signing_keys (retire_at) WHERE retire_at IS NOT NULL;

-- meta holds store-wide facts; Reset leaves it alone.
CREATE TABLE meta (
    name  TEXT NOT NULL PRIMARY KEY,
    value BLOB NOT NULL
) STRICT;
