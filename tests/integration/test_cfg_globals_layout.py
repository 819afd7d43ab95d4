"""Proves that the CfgGlobals declaration the shim compiles with (Debian's
kea-dev 2.2.0 lacks dhcpsrv/cfg_globals.h, so usually shim/compat's) matches
the installed libkea-dhcpsrv: globals set in the server config, at indexes
far into the enum, come back through a subnet that does not set them."""
import os
import unittest

from kea_harness import Kea, KeaTestCase, hook_library

PROBE_SO = hook_library(os.environ.get("LAYOUT_PROBE_SO", "layout_probe.so"))


class CfgGlobalsLayout(KeaTestCase):

    def test_inherited_globals_read_through_the_enum(self):
        kea = self.track(Kea(
            subnets=[{"id": 1, "subnet": "192.0.2.0/24"}],
            extra={"valid-lifetime": 4321, "calculate-tee-times": True,
                   "t1-percent": 0.41, "t2-percent": 0.777,
                   "ddns-generated-prefix": "probe-prefix", "match-client-id": False,
                   "authoritative": True},
            extra_hooks=[{"library": PROBE_SO}])).start()
        answer = kea.cmd("layout-probe-get")
        self.assertEqual(answer["result"], 0, answer)
        self.assertEqual(answer["arguments"], {
            "valid-lifetime": 4321,               # index 0
            "t1-percent": 0.41,                   # index 14
            "t2-percent": 0.777,                  # index 15
            "ddns-generated-prefix": "probe-prefix",  # index 22
            "match-client-id": False,             # index 36 (v4 part of the enum)
            "authoritative": True,                # index 37
        })


if __name__ == "__main__":
    unittest.main()
