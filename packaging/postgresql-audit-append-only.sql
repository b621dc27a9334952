-- Make the audit log append-only for the application's role (PostgreSQL).
--
-- Migration 0009 already puts triggers on audit_events and db_facts that refuse every UPDATE, DELETE
-- and TRUNCATE, by whoever runs them. But the owner of a table can drop its triggers: if the
-- workstations connect as the owner, anyone with their credentials can drop the triggers and rewrite
-- the log. This script gives the workstations a role of their own that is not the owner:
--
--   moderator_owner  owns the tables; runs the schema upgrades, and nothing else
--   moderator_app    what the workstations connect as: reads and writes the tables, but on
--                    audit_events and db_facts only SELECT and INSERT, and cannot drop the triggers
--
-- Steps (an administrator, once; see docs/supervisors.md, "An append-only audit log on PostgreSQL"):
--   1. as a superuser:
--        CREATE ROLE moderator_owner LOGIN PASSWORD '...';
--        CREATE ROLE moderator_app LOGIN PASSWORD '...';
--        CREATE DATABASE moderator OWNER moderator_owner;
--        \c moderator
--        ALTER SCHEMA public OWNER TO moderator_owner;
--   2. open the database once as the owner, which creates the schema (with the triggers):
--        moderator-app --db postgresql://moderator_owner@HOST/moderator queue
--   3. as the owner, run this file:
--        psql "postgresql://moderator_owner@HOST/moderator" -f postgresql-audit-append-only.sql
--   4. give the workstations postgresql://moderator_app@HOST/moderator
--   After each update of the app: open the database once as moderator_owner (the upgrade needs the
--   owner; the workstations are refused a newer schema until then), then run this file again.
--
-- If the schema is not "public", replace "SCHEMA public" below and set search_path first.

\set ON_ERROR_STOP on

GRANT USAGE ON SCHEMA public TO moderator_app;
REVOKE CREATE ON SCHEMA public FROM moderator_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO moderator_app;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO moderator_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO moderator_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO moderator_app;

-- The audit log and the database facts: append and read only.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_events, db_facts FROM moderator_app;
REVOKE UPDATE, DELETE, TRUNCATE ON audit_events, db_facts FROM PUBLIC;
