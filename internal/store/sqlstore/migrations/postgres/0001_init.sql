-- 0001: pools with their domains, resource servers, app clients and signing
-- keys, and the store-wide meta table.
--
-- Times are timestamptz (microsecond precision). Key columns use the "C"
-- collation so they sort bytewise, the same order as SQLite and Go, whatever
-- the database's default collation is; every listing pages by that order.

CREATE TABLE pools (
    id         text COLLATE "C" NOT NULL PRIMARY KEY,
    region     text COLLATE "C" NOT NULL,
    name       text             NOT NULL,
    settings   bytea,
    created_at timestamptz      NOT NULL,
    updated_at timestamptz      NOT NULL
);

CREATE INDEX pools_region_id ON pools (region, id);

-- A domain name is unique across the store (primary key) and a pool has at
-- most one prefix domain (custom = false) and one custom domain.
CREATE TABLE domains (
    domain     text COLLATE "C" NOT NULL PRIMARY KEY,
    pool_id    text COLLATE "C" NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    custom     boolean          NOT NULL,
    settings   bytea,
    created_at timestamptz      NOT NULL,
    CONSTRAINT domains_one_per_kind UNIQUE (pool_id, custom)
);

-- scopes is a JSON array of {"name", "description"} objects, in the order
-- the caller gave them (or JSON null for a nil slice). It is text, not
-- jsonb, so it reads back byte for byte as written.
CREATE TABLE resource_servers (
    pool_id    text COLLATE "C" NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    identifier text COLLATE "C" NOT NULL,
    name       text             NOT NULL,
    scopes     text             NOT NULL,
    created_at timestamptz      NOT NULL,
    updated_at timestamptz      NOT NULL,
    PRIMARY KEY (pool_id, identifier)
);

CREATE TABLE clients (
    id            text COLLATE "C" NOT NULL PRIMARY KEY,
    pool_id       text COLLATE "C" NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    name          text             NOT NULL,
    secret_sealed bytea,
    settings      bytea,
    created_at    timestamptz      NOT NULL,
    updated_at    timestamptz      NOT NULL
);

CREATE INDEX clients_pool_id ON clients (pool_id, id);

CREATE TABLE signing_keys (
    kid            text COLLATE "C" NOT NULL PRIMARY KEY,
    pool_id        text COLLATE "C" NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    key_use        text             NOT NULL,
    algorithm      text             NOT NULL,
    public_jwk     bytea            NOT NULL,
    private_sealed bytea            NOT NULL,
    created_at     timestamptz      NOT NULL,
    retire_at      timestamptz
);

CREATE INDEX signing_keys_pool_newest ON signing_keys (pool_id, created_at DESC, kid);
CREATE INDEX signing_keys_retire_at ON signing_keys (retire_at) WHERE retire_at IS NOT NULL;

-- meta holds store-wide facts; Reset leaves it alone.
CREATE TABLE meta (
    name  text COLLATE "C" NOT NULL PRIMARY KEY,
    value bytea            NOT NULL
);
