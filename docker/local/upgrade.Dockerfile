# The "next version" of ops/test-compose's upgrade: the image under test with
# one more, harmless migration (context: docker/local/upgrade).
ARG CURRENT
FROM ${CURRENT}
COPY *.sql /usr/local/share/marketmap/sql/
