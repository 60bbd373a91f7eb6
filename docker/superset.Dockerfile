# Apache Superset 6.1 with the hub's dashboards: every package at dashboards/requirements.txt's pin (Superset
# pins SQLAlchemy 1.4 and pandas 2.1, so it has an image of its own), run as a non-root user.
FROM python:3.11.11-slim-bookworm
RUN useradd --create-home --uid 50001 superset \
    && mkdir -p /var/lib/superset && chown superset /var/lib/superset
COPY dashboards/requirements.txt /opt/dashboards/requirements.txt
RUN pip install --no-cache-dir --disable-pip-version-check -r /opt/dashboards/requirements.txt
COPY dashboards/deploy.py dashboards/superset_config.py /opt/dashboards/
COPY dashboards/assets /opt/dashboards/assets
USER superset
WORKDIR /var/lib/superset
