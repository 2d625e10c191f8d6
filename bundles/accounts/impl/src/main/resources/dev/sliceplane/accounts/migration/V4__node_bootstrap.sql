-- One-time bootstrap tokens with which a node registers its identity key and gets its first
-- node credential. The token is 32 random bytes; only its SHA-256 is stored (256 random bits
-- cannot be guessed, so a slow KDF would add nothing). Redeeming deletes the row in the same
-- transaction that records the node's key, so a token works once even under concurrent use.
-- Tokens go with their node (ON DELETE CASCADE).
CREATE TABLE node_bootstrap_token (
    hash        VARCHAR(64)  NOT NULL,
    node        VARCHAR(253) NOT NULL,
    created     TIMESTAMP WITH TIME ZONE NOT NULL,
    expires     TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by  VARCHAR(254) NOT NULL,
    CONSTRAINT node_bootstrap_token_pk PRIMARY KEY (hash),
    CONSTRAINT node_bootstrap_token_node_fk FOREIGN KEY (node) REFERENCES node (hostname) ON DELETE CASCADE
);
CREATE INDEX node_bootstrap_token_node_ix ON node_bootstrap_token (node);
CREATE INDEX node_bootstrap_token_expires_ix ON node_bootstrap_token (expires);
