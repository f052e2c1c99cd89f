-- db/functions/catalogue.sql: the 事项 catalogue: immutable versions.
-- Every function here is defined once, in its current form; `yichuang db migrate`
-- applies db/functions/ in the order of db/functions/ORDER, in one transaction,
-- whenever any file changed (tables live in db/migrations/).

-- From the migration that introduced them (0003_catalogue):
-- 0003_catalogue: what the window needs of each loaded 事项 definition to
-- list and search it without parsing XML, and the immutability of loaded
-- catalogue versions: a case keeps the version it was accepted under, so a
-- loaded version is never changed or removed.

CREATE OR REPLACE FUNCTION yc.catalogue_immutable() RETURNS trigger
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
BEGIN
    RAISE EXCEPTION 'a loaded catalogue version cannot be changed (%.%)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'YC004';
END
$$;

CREATE OR REPLACE TRIGGER case_type_immutable BEFORE UPDATE OR DELETE ON yc.case_type
    FOR EACH ROW EXECUTE FUNCTION yc.catalogue_immutable();

CREATE OR REPLACE TRIGGER case_type_no_truncate BEFORE TRUNCATE ON yc.case_type
    FOR EACH STATEMENT EXECUTE FUNCTION yc.catalogue_immutable();

CREATE OR REPLACE TRIGGER catalogue_version_immutable BEFORE UPDATE OR DELETE ON yc.catalogue_version
    FOR EACH ROW EXECUTE FUNCTION yc.catalogue_immutable();

CREATE OR REPLACE TRIGGER catalogue_version_no_truncate BEFORE TRUNCATE ON yc.catalogue_version
    FOR EACH STATEMENT EXECUTE FUNCTION yc.catalogue_immutable();

-- Privileges: nobody but the owner, except what the application calls.
REVOKE ALL ON FUNCTION yc.catalogue_immutable() FROM PUBLIC, yichuang_app;
