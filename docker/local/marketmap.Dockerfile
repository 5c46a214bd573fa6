# The marketmap image of ops/test-compose: the runtime stage of docker/Dockerfile
# (built on the local Debian base) with the release binary built on the host
# (Swift runtime statically linked), the migrations and the bundled sample.
# Context: a folder holding bin/marketmap, share/marketmap/sql, share/marketmap/sample.
ARG RUNTIME
FROM ${RUNTIME}
COPY . /usr/local/
