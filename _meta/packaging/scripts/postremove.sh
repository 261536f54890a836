#!/bin/sh
# postremove of the sflowbeat deb and rpm: reloads systemd. The data
# (/var/lib/sflowbeat: registry, keystore), the logs and the sflowbeat user
# are kept; `apt purge` removes the data and log directories.
set -e

root="${DPKG_ROOT:-}"
if [ "$1" = purge ]; then
	rm -rf "$root/var/lib/sflowbeat" "$root/var/log/sflowbeat"
fi
if [ -z "$root" ] && [ -d /run/systemd/system ]; then
	systemctl daemon-reload >/dev/null 2>&1 || true
fi
exit 0
