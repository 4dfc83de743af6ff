# Probono's production image: gunicorn for the web, the same image for the Celery worker and beat.
FROM python:3.11-slim

# PYTHONPATH: the code runs from /app, next to templates/, static/ and locale/ (the settings'
# BASE_DIR), and so wins over the copy that `pip install .` puts in site-packages.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=probono.settings.production

# A home directory, because gunicorn (control socket) and celery beat write small files there.
RUN useradd --create-home --uid 10001 --user-group probono

WORKDIR /app

# Dependencies in their own layer, so that a code change does not reinstall numpy, scipy, ortools.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .
RUN pip install --no-deps . \
    && rm -rf build ./*.egg-info

# Production settings refuse to start without SECRET_KEY: a dummy one, for this step only.
RUN SECRET_KEY=collectstatic-at-build-time-only python manage.py collectstatic --noinput

# The code stays owned by root: the application user can read it, not change it.
USER probono

EXPOSE 8000
CMD ["gunicorn", "probono.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "--worker-tmp-dir", "/dev/shm"]
