#!/bin/sh
# Runs one integration suite in a network namespace of its own, with only a
# loopback interface: the suites then run side by side (ctest -j), and the Kea
# releases beside each other, without sharing a port - perfdhcp always binds
# 127.0.0.1:67, and free_port's choice cannot be taken by another suite.
# Without the right to make one (not root) the suite runs in the machine's.
if [ "$(id -u)" -eq 0 ] && unshare --net true 2>/dev/null; then
  exec unshare --net sh -c 'ip link set lo up && exec "$@"' own_network "$@"
fi
exec "$@"
