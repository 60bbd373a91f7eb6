-- Airflow's metadata lives apart from the warehouse (POSTGRES_DB=warehouse is created by the image).
CREATE DATABASE airflow OWNER hub;
-- The warehouse's reader and auditor connect to the warehouse only (`python -m warehouse roles` revokes
-- PUBLIC's rights there): PUBLIC may not connect to, or make temporary objects in, the other databases.
REVOKE CONNECT, TEMPORARY ON DATABASE airflow, postgres, template1 FROM PUBLIC;
