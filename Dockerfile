# The hub's Airflow image: the official Apache Airflow image at the Airflow and Python versions pyproject.toml
# pins (it runs as the non-root user `airflow` under dumb-init), with the project and every dependency at the
# versions constraints.txt locks.
FROM apache/airflow:3.3.2-python3.11
USER root
# The code below stays root's (read-only to the services); the project root (pip writes the editable install's
# metadata there) and var/ (the hub-var volume starts from it) belong to airflow and the root group, so any
# AIRFLOW_UID run with group 0, as in the official compose file, can write them.
RUN mkdir -p /opt/hub/var && chown airflow:0 /opt/hub /opt/hub/var && chmod g+rwx /opt/hub /opt/hub/var
USER airflow
WORKDIR /opt/hub
COPY pyproject.toml README.md constraints.txt ./
COPY connectors connectors
COPY simulators simulators
COPY chinese_text chinese_text
COPY matching matching
COPY warehouse warehouse
COPY expectations expectations
COPY orchestration orchestration
COPY alerting alerting
COPY hub hub
COPY console console
# apache-airflow is pinned in both files to the base image's version, so pip keeps the image's Airflow.
RUN pip install --no-cache-dir -c constraints.txt -e ".[celery]"
COPY dags dags
COPY scripts scripts
ENV AIRFLOW_HOME=/opt/airflow PYTHONPATH=/opt/hub
