-- Creates the database roles and schemas: one role per service, owning its schema and nothing else.
-- Run once per cluster by an administrator (make run, make test, or a Kubernetes job), with
-- psql -v users_password=… -v problems_password=… -v submissions_password=…
\set ON_ERROR_STOP on

SELECT 'CREATE DATABASE algosports' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'algosports')\gexec
\connect algosports

REVOKE ALL ON DATABASE algosports FROM PUBLIC;
REVOKE ALL ON SCHEMA public FROM PUBLIC;

SELECT format('CREATE ROLE %I LOGIN', r) FROM unnest(ARRAY['users_svc', 'problems_svc', 'submissions_svc']) AS r
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r)\gexec

ALTER ROLE users_svc PASSWORD :'users_password';
ALTER ROLE problems_svc PASSWORD :'problems_password';
ALTER ROLE submissions_svc PASSWORD :'submissions_password';

GRANT CONNECT ON DATABASE algosports TO users_svc, problems_svc, submissions_svc;

CREATE SCHEMA IF NOT EXISTS users AUTHORIZATION users_svc;
CREATE SCHEMA IF NOT EXISTS problems AUTHORIZATION problems_svc;
CREATE SCHEMA IF NOT EXISTS submissions AUTHORIZATION submissions_svc;

-- Each role sees its own schema first and nothing else by default.
ALTER ROLE users_svc SET search_path = users;
ALTER ROLE problems_svc SET search_path = problems;
ALTER ROLE submissions_svc SET search_path = submissions;
