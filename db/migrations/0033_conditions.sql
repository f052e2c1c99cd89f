-- 0033_conditions: conditional paths of the catalogue (issue 17). A
-- definition's materials, any-of groups, stages and alternative limits may
-- carry when="…" on the form's answers (forms/case-type.rng); the server
-- reads the materials, stages and limit of a case from its stored
-- definition and its form (db/functions/intake.sql: yc.case_when,
-- yc.case_def_materials, yc.case_def_stages, yc.case_def_limit). The two
-- readers take the form now: their old signatures go. No table changes:
-- a case's path follows from its type's version and its form, both stored.
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.

DROP FUNCTION IF EXISTS yc.case_def_materials(xml, boolean);
DROP FUNCTION IF EXISTS yc.case_def_stages(xml);
