#!/bin/sh
# preremove of the sflowbeat deb and rpm: stops the service when the package
# is removed (deb: "remove"; rpm: 0 packages left), not on upgrade.
set -e

case "$1" in
remove | 0)
	if [ -z "${DPKG_ROOT:-}" ] && [ -d /run/systemd/system ]; then
		systemctl stop sflowbeat >/dev/null 2>&1 || true
		systemctl disable sflowbeat >/dev/null 2>&1 || true
	fi
	;;
esac
exit 0
