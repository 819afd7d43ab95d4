#!/bin/sh
# Runs one integration suite in a network namespace of its own, with only a
# loopback interface: the suites then run side by side (ctest -j), and the Kea
# releases beside each other, without sharing a port - perfdhcp always binds
# 127.0.0.1:67, and free_port's choice cannot be taken by another suite.
# OWN_NETWORK_INTERFACES names interfaces the suite expects besides (an
# example configuration's "eth0"): each is made there, one end of a veth pair.
# Without the right to make a namespace (not root) the suite runs in the
# machine's.
if [ "$(id -u)" -eq 0 ] && unshare --net true 2>/dev/null; then
  exec unshare --net sh -c '
    set -e
    ip link set lo up
    for name in $OWN_NETWORK_INTERFACES; do
      ip link add "$name" type veth peer name "$name-peer"
      ip link set "$name" up
    done
    exec "$@"' own_network "$@"
fi
exec "$@"
