# Muster in a container: a static binary on a small base.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/muster ./cmd/muster && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/muster /usr/local/bin/muster
# The data directory belongs to the nonroot user, so a named volume mounted there does too.
COPY --from=build --chown=65532:65532 /out/data /var/lib/muster
WORKDIR /var/lib/muster
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/muster"]
CMD ["run"]
