# Parley in a container: built with the README's command, run as a
# non-root user with its data directory on a volume.
#
#   docker build -t parley .
#   docker run --rm -p 127.0.0.1:8080:8080 -v parley-data:/var/lib/parley parley
#
# The build stage needs cgo (the SQLite driver), so both stages are Debian
# bookworm: the binary links against the same glibc it runs with.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go build -o parley ./cmd/parley && ./parley version

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /var/lib/parley --shell /usr/sbin/nologin parley \
 && mkdir -p /var/lib/parley \
 && chown parley:parley /var/lib/parley
COPY --from=build /src/parley /usr/local/bin/parley
USER parley
# Listen on every interface of the container; publish the port to choose
# who can reach it. The data directory holds parley.db and master.key.
ENV PARLEY_ADDR=0.0.0.0:8080 \
    PARLEY_DATA_DIR=/var/lib/parley
VOLUME /var/lib/parley
EXPOSE 8080
ENTRYPOINT ["parley"]
CMD ["serve"]
