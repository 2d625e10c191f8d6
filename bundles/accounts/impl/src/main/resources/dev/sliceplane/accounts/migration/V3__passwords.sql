-- Principals' passwords, apart from the principal row so that reading a principal never reads a
-- secret. Only an Argon2id hash is stored, with the salt and the parameters it was made with, so
-- the parameters can be raised later: old hashes still verify and are re-hashed at the next login.
-- Salt and hash are unpadded base64url. One password per principal; it goes with the principal.
CREATE TABLE principal_password (
    principal       VARCHAR(254) NOT NULL,
    algorithm       VARCHAR(16)  NOT NULL,
    argon2_version  INTEGER      NOT NULL,
    memory_kib      INTEGER      NOT NULL,
    iterations      INTEGER      NOT NULL,
    parallelism     INTEGER      NOT NULL,
    salt            VARCHAR(64)  NOT NULL,
    hash            VARCHAR(128) NOT NULL,
    updated         TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT principal_password_pk PRIMARY KEY (principal),
    CONSTRAINT principal_password_principal_fk FOREIGN KEY (principal) REFERENCES principal (email) ON DELETE CASCADE,
    CONSTRAINT principal_password_algorithm_ck CHECK (algorithm IN ('argon2id')),
    CONSTRAINT principal_password_cost_ck CHECK (memory_kib > 0 AND iterations > 0 AND parallelism > 0)
);
