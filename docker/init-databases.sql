-- Airflow's metadata lives apart from the warehouse (POSTGRES_DB=warehouse is created by the image).
CREATE DATABASE airflow OWNER hub;
