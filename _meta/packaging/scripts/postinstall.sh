#!/bin/sh
# postinstall of the sflowbeat deb and rpm: creates the sflowbeat system user
# and gives it the data and log directories and read access to the config.
# The service is not enabled or started: configure the output first.
# Honors $DPKG_ROOT (dpkg --root with --force-script-chrootless).
set -e

root="${DPKG_ROOT:-}"
user=sflowbeat

# field prints field $2 of the entry $1 of the root's file $3.
field() {
	awk -F: -v name="$1" -v n="$2" '$1 == name { print $n }' "$root$3"
}

if [ -z "$(field "$user" 1 /etc/passwd)" ]; then
	shell=/usr/sbin/nologin
	[ -x "$root$shell" ] || shell=/sbin/nologin
	[ -x "$root$shell" ] || shell=/bin/false
	if [ -n "$root" ]; then prefix="--prefix $root"; else prefix=""; fi
	# shellcheck disable=SC2086
	useradd $prefix --system --user-group --no-create-home \
		--home-dir /var/lib/sflowbeat --shell "$shell" \
		--comment "sflowbeat sFlow collector" "$user"
fi
uid="$(field "$user" 3 /etc/passwd)"
gid="$(field "$user" 4 /etc/passwd)"

chown "$uid:$gid" "$root/var/lib/sflowbeat" "$root/var/log/sflowbeat"
chmod 0750 "$root/var/lib/sflowbeat" "$root/var/log/sflowbeat"
# libbeat reads a config owned by root and not writable by others.
chown "0:$gid" "$root/etc/sflowbeat/sflowbeat.yml"
chmod 0640 "$root/etc/sflowbeat/sflowbeat.yml"

if [ -z "$root" ] && [ -d /run/systemd/system ]; then
	systemctl daemon-reload >/dev/null 2>&1 || true
	if systemctl is-active --quiet sflowbeat; then
		systemctl try-restart sflowbeat || true
	fi
fi
exit 0
