-- Airflow's metadata lives apart from the warehouse.
CREATE DATABASE airflow OWNER hub;
