-- The registry's first schema. Portable SQL: it runs unchanged on H2 2.x and PostgreSQL 12+.
-- Identities are natural keys that never change. Constraints are named: the registry maps a
-- violation back to a reason and a field by the constraint's name. Never edit a migration that
-- has shipped (its checksum is checked at every start): add V2__..., V3__... instead.

CREATE TABLE site (
    login_base  VARCHAR(20)  NOT NULL,
    name        VARCHAR(200) NOT NULL,
    url         VARCHAR(500) NOT NULL,
    max_slices  INTEGER      NOT NULL,
    CONSTRAINT site_pk PRIMARY KEY (login_base),
    CONSTRAINT site_max_slices_ck CHECK (max_slices >= 0)
);

CREATE TABLE principal (
    email    VARCHAR(254) NOT NULL,
    name     VARCHAR(200) NOT NULL,
    site     VARCHAR(20)  NOT NULL,
    enabled  BOOLEAN      NOT NULL,
    CONSTRAINT principal_pk PRIMARY KEY (email),
    CONSTRAINT principal_site_fk FOREIGN KEY (site) REFERENCES site (login_base)
);
CREATE INDEX principal_site_ix ON principal (site);

CREATE TABLE principal_role (
    principal  VARCHAR(254) NOT NULL,
    role       VARCHAR(16)  NOT NULL,
    CONSTRAINT principal_role_pk PRIMARY KEY (principal, role),
    CONSTRAINT principal_role_principal_fk FOREIGN KEY (principal) REFERENCES principal (email) ON DELETE CASCADE,
    CONSTRAINT principal_role_ck CHECK (role IN ('admin', 'pi', 'user', 'tech', 'node-owner'))
);

CREATE TABLE slice (
    name         VARCHAR(53)   NOT NULL,
    site         VARCHAR(20)   NOT NULL,
    description  VARCHAR(2000) NOT NULL,
    url          VARCHAR(500)  NOT NULL,
    expires      TIMESTAMP WITH TIME ZONE NOT NULL,
    max_slivers  INTEGER       NOT NULL,
    CONSTRAINT slice_pk PRIMARY KEY (name),
    CONSTRAINT slice_site_fk FOREIGN KEY (site) REFERENCES site (login_base),
    CONSTRAINT slice_name_prefix_ck CHECK (SUBSTRING(name FROM 1 FOR CHAR_LENGTH(site) + 1) = site || '_'),
    CONSTRAINT slice_max_slivers_ck CHECK (max_slivers >= 0)
);
CREATE INDEX slice_site_ix ON slice (site);

CREATE TABLE slice_member (
    slice      VARCHAR(53)  NOT NULL,
    principal  VARCHAR(254) NOT NULL,
    CONSTRAINT slice_member_pk PRIMARY KEY (slice, principal),
    CONSTRAINT slice_member_slice_fk FOREIGN KEY (slice) REFERENCES slice (name) ON DELETE CASCADE,
    CONSTRAINT slice_member_principal_fk FOREIGN KEY (principal) REFERENCES principal (email) ON DELETE CASCADE
);
CREATE INDEX slice_member_principal_ix ON slice_member (principal);

-- identity_key is NULL until the node registers; NULLs do not collide in a unique constraint.
CREATE TABLE node (
    hostname      VARCHAR(253) NOT NULL,
    site          VARCHAR(20)  NOT NULL,
    identity_key  VARCHAR(43),
    boot_state    VARCHAR(16)  NOT NULL,
    CONSTRAINT node_pk PRIMARY KEY (hostname),
    CONSTRAINT node_site_fk FOREIGN KEY (site) REFERENCES site (login_base),
    CONSTRAINT node_identity_key_uq UNIQUE (identity_key),
    CONSTRAINT node_boot_state_ck CHECK (boot_state IN ('install', 'boot', 'safeboot', 'reinstall', 'disabled'))
);
CREATE INDEX node_site_ix ON node (site);

CREATE TABLE public_key (
    fingerprint  VARCHAR(64)   NOT NULL,
    owner        VARCHAR(254)  NOT NULL,
    key_type     VARCHAR(40)   NOT NULL,
    key_blob     VARCHAR(4096) NOT NULL,
    CONSTRAINT public_key_pk PRIMARY KEY (fingerprint),
    CONSTRAINT public_key_owner_fk FOREIGN KEY (owner) REFERENCES principal (email) ON DELETE CASCADE
);
CREATE INDEX public_key_owner_ix ON public_key (owner);
