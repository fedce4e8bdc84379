# syntax=docker/dockerfile:1
# Data School: production image. Two stages: the builder installs the hash-pinned
# requirements into a virtualenv with uv; the runtime image holds only that venv and the code,
# runs as a non-root user and serves config.wsgi with gunicorn on 0.0.0.0:8000.
#
# A third stage, `nginx`, is the nginx that docker compose puts in front of gunicorn: the
# collected static files and docker/nginx/default.conf baked into nginx-unprivileged. The
# default (last) stage is still the application image.
#
#   docker build -t dataschool .
#   docker build --target nginx -t dataschool-nginx .
#   docker compose up            (nginx, web, worker, beat, postgres, redis; see docker-compose.yml)

ARG PYTHON_IMAGE=python:3.11-slim
ARG NGINX_IMAGE=nginxinc/nginx-unprivileged:1.27-alpine
# uv is pinned so image builds repeat; bump it on purpose.
ARG UV_VERSION=0.13.9

# --- builder: a venv with exactly the locked dependencies --------------------------------
FROM ${PYTHON_IMAGE} AS builder
ARG UV_VERSION

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    VIRTUAL_ENV=/opt/venv

RUN pip install "uv==${UV_VERSION}"

WORKDIR /build
COPY requirements.txt ./
# Same base image in both stages, so the venv's interpreter link stays valid at runtime.
RUN uv venv --python /usr/local/bin/python3 /opt/venv \
    && uv pip sync --require-hashes requirements.txt

# --- app: the venv and the code, nothing else --------------------------------------------
FROM ${PYTHON_IMAGE} AS app

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/media \
    PROTECTED_MEDIA_ROOT=/app/protected \
    PORT=8000

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin app

COPY --from=builder /opt/venv /opt/venv

WORKDIR /app
COPY . .

# Static files are collected (hashed and compressed by whitenoise) at build time; the dummy
# secret and host exist only for this command and are not kept in the image.
RUN SECRET_KEY=collectstatic-build-only-not-secret ALLOWED_HOSTS=localhost \
        python manage.py collectstatic --no-input -v 0 \
    && mkdir -p /app/media /app/protected /app/var/beat \
    && chmod 0755 docker/entrypoint.sh \
    && chown -R app:app /app/media /app/protected /app/var

USER app

EXPOSE 8000

# Web health; docker-compose.yml gives the worker its own check and turns it off for beat.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "/app/docker/healthcheck.py"]

ENTRYPOINT ["/app/docker/entrypoint.sh"]
CMD ["gunicorn", "config.wsgi:application", "--config", "/app/docker/gunicorn.conf.py"]

# --- nginx: static files and the proxy config for docker compose --------------------------
# Runs as nginx-unprivileged's uid 101 on port 8080. (Kubernetes runs the same upstream nginx
# as a sidecar and copies the static files from the app image instead: deploy/k8s.)
FROM ${NGINX_IMAGE} AS nginx
COPY --from=app /app/staticfiles /srv/static
COPY docker/nginx/default.conf /etc/nginx/conf.d/default.conf
EXPOSE 8080

# --- runtime: the default target, the application image ----------------------------------
FROM app AS runtime
