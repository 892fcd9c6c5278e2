# Maestro Discovery: one image for the gateway and every pipeline stage.
#
#   docker run IMAGE                          the HTTP gateway (`discovery serve`, port 5000)
#   docker run IMAGE worker translate         one stage's Dramatiq worker
#
# docker-compose.yml runs one container per stage from this image. There is no
# HEALTHCHECK here: the workers serve no HTTP, so compose defines the gateway's check.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# The product only: no demo or test extras (SecantusDB and moto are never in production).
COPY pyproject.toml README.md constraints.txt /src/
COPY shared /src/shared
COPY services /src/services
RUN pip install -c /src/constraints.txt /src && rm -rf /src

RUN useradd --create-home --uid 10001 --user-group discovery
USER discovery
# An empty working directory: Dramatiq puts the current directory on sys.path.
WORKDIR /home/discovery

EXPOSE 5000
ENTRYPOINT ["discovery"]
CMD ["serve"]
