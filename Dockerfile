# Container image of sflowbeat, FROM scratch: a static binary, CA
# certificates, a non-root user. It is built from a context that
# `go run github.com/magefile/mage@v1.17.2 image` prepares in build/image
# (static binaries, configuration, Kibana dashboards, Elastic Agent spec,
# /etc/passwd and /etc/group), with buildah:
#
#   buildah bud --format docker -f Dockerfile -t sflowbeat:VERSION build/image
#
# or with `docker build -f Dockerfile build/image`. Dockerfile.multistage
# builds the same image from the sources, for machines that can pull
# golang images. --format docker keeps the HEALTHCHECK (OCI images have none).
FROM scratch

ARG VERSION=dev
ARG REVISION=unknown
ARG CREATED=unknown

LABEL org.opencontainers.image.title="sflowbeat" \
      org.opencontainers.image.description="Ships sFlow to Elasticsearch as ECS events" \
      org.opencontainers.image.url="https://github.com/sflowbeat/sflowbeat" \
      org.opencontainers.image.source="https://github.com/sflowbeat/sflowbeat" \
      org.opencontainers.image.vendor="sflowbeat" \
      org.opencontainers.image.licenses="Apache-2.0 AND Elastic-2.0" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}"

COPY passwd group /etc/
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
# sflowbeat.spec.yml: Elastic Agent's component spec, beside the binary.
COPY sflowbeat healthcheck sflowbeat.spec.yml sflowbeat.reference.yml README.md NOTICE.txt /usr/share/sflowbeat/
# `sflowbeat setup --dashboards` reads ${path.home}/kibana/7.
COPY kibana /usr/share/sflowbeat/kibana
# libbeat reads a config owned by root and not writable by others.
COPY --chown=0:1000 sflowbeat.yml /usr/share/sflowbeat/sflowbeat.yml
COPY --chown=1000:1000 data /usr/share/sflowbeat/data
COPY --chown=1000:1000 logs /usr/share/sflowbeat/logs

ENV PATH=/usr/share/sflowbeat
WORKDIR /usr/share/sflowbeat
USER 1000:1000

EXPOSE 6343/udp
VOLUME ["/usr/share/sflowbeat/data", "/usr/share/sflowbeat/logs"]

# healthcheck asks http://localhost:5066/inputs/ (http.enabled in the image's
# sflowbeat.yml) and succeeds when at least one sflow input is running.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
  CMD ["/usr/share/sflowbeat/healthcheck"]

# Every command runs with the image's paths and in container mode (logs to
# stderr): `docker run IMAGE test output`, `docker run IMAGE -E key=value`.
ENTRYPOINT ["/usr/share/sflowbeat/sflowbeat", "--environment", "container", "--path.home", "/usr/share/sflowbeat"]
CMD ["run"]
