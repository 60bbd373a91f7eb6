# The hub's Airflow image: the project and its pinned dependencies (with the Celery provider) on Python 3.11.
FROM python:3.11.7-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends curl build-essential && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/hub
COPY pyproject.toml README.md ./
COPY connectors connectors
COPY simulators simulators
COPY chinese_text chinese_text
COPY matching matching
COPY warehouse warehouse
COPY expectations expectations
COPY orchestration orchestration
COPY alerting alerting
COPY hub hub
RUN pip install --no-cache-dir -e ".[celery]"
COPY dags dags
COPY scripts scripts
ENV AIRFLOW_HOME=/opt/airflow PYTHONPATH=/opt/hub
