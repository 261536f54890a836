#!/bin/sh
# sflowbeat command of the deb and rpm packages: runs the beat with the
# packages' paths, so that `sflowbeat test config`, `sflowbeat setup` and
# `sflowbeat keystore` use the same files as the systemd service.
exec /usr/share/sflowbeat/bin/sflowbeat \
  --path.home /usr/share/sflowbeat \
  --path.config /etc/sflowbeat \
  --path.data /var/lib/sflowbeat \
  --path.logs /var/log/sflowbeat \
  "$@"
