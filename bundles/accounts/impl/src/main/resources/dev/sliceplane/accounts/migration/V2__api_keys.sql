-- API keys that principals exchange for access tokens. The key is `sp_<id>.<secret>`: id is the
-- public lookup key, secret 32 random bytes. Only SHA-256(salt || secret) is stored: the secret
-- has 256 bits of entropy, so a slow password KDF would add nothing against guessing and would
-- cap token issuance; the salt makes equal hashes across rows impossible anyway.
CREATE TABLE api_key (
    id         VARCHAR(32)  NOT NULL,
    principal  VARCHAR(254) NOT NULL,
    salt       VARCHAR(32)  NOT NULL,
    hash       VARCHAR(64)  NOT NULL,
    created    TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT api_key_pk PRIMARY KEY (id),
    CONSTRAINT api_key_principal_fk FOREIGN KEY (principal) REFERENCES principal (email) ON DELETE CASCADE
);
CREATE INDEX api_key_principal_ix ON api_key (principal);
