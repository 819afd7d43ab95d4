"""kea-win-import against real kea-dhcp4: the two real Windows exports and
synthetic ones covering every mapping rule become configurations kea-dhcp4
accepts, lease files it loads with exactly the exported leases and their
Windows fields, reservations real DHCP clients get, pools without the
excluded addresses, and the same records through --apply. Bad files change
nothing and stop in bounded time and memory."""
import copy
import json
import os
import resource
import shutil
import socket
import subprocess
import tempfile
import time

from kea_harness import (HERE, KEA_VERSION, REPO, WIN_CMDS_SO, Agent, Kea, KeaTestCase,
                         free_port, kea_hook)
from test_dhcp_identifiers import NETWORKD, REQUESTED_IP, SERVER_ID, MAC_OFFSET, colons, template
import windows_export as wx

IMPORTER = os.environ.get("KEA_WIN_IMPORT", os.path.join(REPO, "build/import/kea-win-import"))
DATA = os.path.join(REPO, "tests/data/windows-export")
NOW = int(time.time())
FUTURE = time.strftime("%Y-%m-%d %H:%M:%SZ", time.gmtime(NOW + 5 * 86400))
PAST = "2023-01-02 05:50:02Z"


def run_import(export, out, *args, check=True, env=None):
    done = subprocess.run([IMPORTER, "--now", str(NOW), "--out", out] + list(args) + [export],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=120,
                          env=dict(os.environ, **(env or {})))
    if check and done.returncode != 0:
        raise AssertionError("kea-win-import failed (%d): %s" % (done.returncode, done.stderr))
    return done


def report(out):
    with open(os.path.join(out, "import-report.json")) as f:
        return json.load(f)


def items_by_source(rep):
    return {item["source"]: item for item in rep["items"]}


def windows_form(client_id):
    return client_id.replace("-", ":").lower()


class ImportedKea(Kea):
    """kea-dhcp4 on a generated configuration, moved into the test's sandbox
    and nothing else: hook libraries from the test hooks directory, the
    control socket, lease file and log in the server's own directory, and for
    DHCP tests loopback with the relay 127.0.0.1."""

    def __init__(self, out, with_leases=True, dhcp_port=None):
        super().__init__(dhcp_port=dhcp_port)
        with open(os.path.join(out, "kea-dhcp4.conf")) as f:
            self.generated = json.load(f)
        if with_leases:
            shutil.copy(os.path.join(out, "leases4.csv"), self.path("leases4.csv"))

    def config(self):
        config = copy.deepcopy(self.generated)
        dhcp4 = config["Dhcp4"]
        for hook in dhcp4["hooks-libraries"]:
            name = os.path.basename(hook["library"])
            hook["library"] = WIN_CMDS_SO if name == "libdhcp_win_cmds.so" else kea_hook(name)
        dhcp4["control-socket"]["socket-name"] = self.socket
        dhcp4["lease-database"]["name"] = self.path("leases4.csv")
        dhcp4["loggers"] = [{"name": "kea-dhcp4", "severity": "INFO",
                             "output_options": [{"output": self.path("kea.log")}]}]
        if self.dhcp_port:
            dhcp4["interfaces-config"] = {"interfaces": ["lo"], "dhcp-socket-type": "udp"}
            for subnet in dhcp4["subnet4"]:
                subnet["relay"] = {"ip-addresses": ["127.0.0.1"]}
        self.add_http_socket(dhcp4)
        return config

    def check(self):
        """kea-dhcp4 -t on the configuration as it would start."""
        with open(self.path("check.conf"), "w") as f:
            json.dump(self.config(), f, indent=2)
        done = subprocess.run(["kea-dhcp4", "-t", self.path("check.conf")],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              env=self.env(), universal_newlines=True, timeout=60)
        return done.returncode, done.stdout

    def records(self):
        """Every record win-subnet-clients-vq-enum gives, by address."""
        records, resume = {}, 0
        while True:
            answer = self.cmd("win-subnet-clients-vq-enum",
                              {"subnet-address": "0.0.0.0", "resume-handle": resume,
                               "preferred-maximum": 1000})
            if answer["arguments"].get("error-code") == 259:
                return records
            for record in answer["arguments"]["clients"]:
                records[record["client-ip-address"]] = record
            if answer["arguments"]["error-code"] != 234:
                return records
            resume = answer["arguments"]["resume-handle"]


# ---- the synthetic export covering the rules of windows-export.md section 2 ----

ACME = "0x41434d45"                  # vendor class data "ACME"
LAB_PHONES = "0x6c616270686f6e65"    # user class data "labphone"
MAC_A = "52-54-00-aa-00-01"
MAC_B = "52-54-00-aa-00-02"
NETWORKD_DASHED = "-".join(NETWORKD[i:i + 2] for i in range(0, len(NETWORKD), 2))
TYPE0 = "68-6f-73-74-31-2e-63-6f-6e-74-6f-73-6f-2e-63-6f-6d"   # "host1.contoso.com"


def everything_export():
    ipv4 = wx.server_settings(attempts="2") + [
        wx.E("Classes", *wx.DEFAULT_CLASSES,
             wx.E("Class", wx.E("Name", "Lab Phones"), wx.E("Type", "User"),
                  wx.E("Data", LAB_PHONES), wx.E("Description", "phones in the lab")),
             wx.E("Class", wx.E("Name", "Acme IP Phone"), wx.E("Type", "Vendor"),
                  wx.E("Data", ACME), wx.E("Description", ""))),
        wx.E("OptionDefinitions",
             wx.option_def(3, "Router", "IPv4Address", "true"),
             wx.option_def(6, "DNS Servers", "IPv4Address", "true"),
             wx.option_def(2, "Time Offset", "DWord", defaults=["0"]),
             wx.option_def(19, "IP Layer Forwarding", "Byte", defaults=["0x0"]),
             wx.option_def(23, "Default IP Time-to-live", "Byte", defaults=["0x0"]),
             wx.option_def(121, "Classless Static Routes", "BinaryData"),
             wx.option_def(43, "Vendor Specific Info", "BinaryData"),
             wx.option_def(60, "PXEClient", "String"),
             wx.option_def(252, "WPAD", "String"),
             wx.option_def(224, "Pair of counters", "DWordDWord", "true"),
             wx.option_def(225, "v6 server", "IPv6Address"),
             wx.option_def(226, "Many strings", "String", "true"),
             wx.option_def(227, "Nested", "EncapsulatedData"),
             wx.option_def(13, "Boot File Size", "Word"),
             wx.option_def(1, "Microsoft Disable Netbios Option ", "DWord",
                           vendor="Microsoft Windows 2000 Options"),
             wx.option_def(1, "Phone server", "IPv4Address", vendor="Acme IP Phone"),
             wx.option_def(2, "Phone label", "String", vendor="Acme IP Phone")),
        wx.E("Policies",
             wx.policy("Lab", 1, [("MacAddress", ["EQ", "00155D*"]),
                                  ("UserClass", ["EQ", "Lab Phones"])],
                       options=[wx.option_value(15, "lab.example"),
                                wx.option_value(51, "3600")]),
             wx.policy("Off", 2, [("MacAddress", ["EQ", "02-00-00-00-00-01"])],
                       enabled="false"),
             wx.policy("Names", 3, [("Fqdn", ["EQ", "*.lab.example"])])),
        wx.E("OptionValues",
             wx.option_value(6, "192.0.2.53"),
             wx.option_value(60, "PXEClient"),
             wx.option_value(2, "4294963696"),
             wx.option_value(19, "0x01"),
             wx.option_value(23, "0x40"),
             wx.option_value(252, "http://wpad.example/wpad.dat"),
             wx.option_value(224, "1", "2"),
             wx.option_value(225, "2001:db8::53"),
             wx.option_value(226, "one", "two"),
             wx.option_value(227, "0x0104C0000201"),
             wx.option_value(13, "512"),
             wx.option_value(121, "0x18", "0xC0", "0xA8", "0x01", "0x0A", "0x00", "0x00", "0x01"),
             wx.option_value(43, "0x010203"),
             wx.option_value(249, "0x18c0a8010a000001"),
             wx.option_value(15, "phones.example", user="Lab Phones"),
             wx.option_value(1, "192.0.2.5", vendor="Acme IP Phone"),
             wx.option_value(2, "desk,phone", vendor="Acme IP Phone"),
             wx.option_value(44),
             wx.option_value(51, "7200"),
             wx.option_value(58, "3600")),
        wx.E("Filters", wx.E("Allow", "false"), wx.E("Deny", "true"),
             wx.E("Filter", wx.E("List", "Deny"), wx.E("MacAddress", "02-00-00-00-00-99"),
                  wx.E("Description", "stolen laptop")),
             wx.E("Filter", wx.E("List", "Deny"), wx.E("MacAddress", "02-BB-*"),
                  wx.E("Description", "a vendor prefix")),
             wx.E("Filter", wx.E("List", "Allow"), wx.E("MacAddress", "02-00-00-00-00-42"),
                  wx.E("Description", ""))),
        wx.E("Scopes",
             wx.scope("192.0.2.0", "255.255.255.0", "192.0.2.10", "192.0.2.40", name="Main",
                      duration="1.00:00:00",
                      exclusions=[("192.0.2.10", "192.0.2.11"), ("192.0.2.15", "192.0.2.16"),
                                  ("192.0.2.16", "192.0.2.18"), ("192.0.2.39", "192.0.2.45"),
                                  ("192.0.2.50", "192.0.2.60")],
                      policies=[wx.policy("Phones", 1, [("VendorClass", ["EQ", "Acme IP Phone"])],
                                          ranges=[("192.0.2.35", "192.0.2.38")],
                                          options=[wx.option_value(66, "phones.tftp")])],
                      options=[wx.option_value(3, "192.0.2.1"), wx.option_value(51, "86400"),
                               wx.option_value(58, "43200"), wx.option_value(66, "tftp,1"),
                               wx.option_value(67, "boot.example", user="Lab Phones")],
                      reservations=[
                          wx.reservation("192.0.2.30", MAC_A, "Printer 2nd floor", type_="Both",
                                         description="by the stairs"),
                          wx.reservation("192.0.2.31", NETWORKD_DASHED, "LinuxBox.example.com",
                                         options=[wx.option_value(3, "192.0.2.254"),
                                                  wx.option_value(51, "60")]),
                          wx.reservation("10.0.0.5", MAC_B, "elsewhere"),
                          wx.reservation("192.0.2.32", MAC_A, "same MAC again"),
                          wx.reservation("192.0.2.33", TYPE0, "contoso-host")],
                      leases=[
                          wx.lease("192.0.2.20", "192.0.2.0", "00-0c-29-a2-42-a6", "Active",
                                   FUTURE, host="Laptop-7.Example.com",
                                   description="a,b&c", nap_capable="true",
                                   nap_status="RestrictedAccess", probation=FUTURE),
                          wx.lease("192.0.2.21", "192.0.2.0",
                                   "56-a4-fc-21-00-01-00-01-27-9c-3c-b3-00-50-56-ae-61-ca",
                                   "Active", FUTURE, host="vm21.example.com"),
                          wx.lease("192.0.2.22", "192.0.2.0", "00-0c-29-a2-42-a7", "Active",
                                   FUTURE, host="bad\x01name", client_type="BootP"),
                          wx.lease("192.0.2.31", "192.0.2.0", NETWORKD_DASHED,
                                   "ActiveReservation", host="linuxbox.example.com",
                                   description=""),
                          wx.lease("192.0.2.30", "192.0.2.0", MAC_A, "InactiveReservation",
                                   host="printer", description=""),
                          wx.lease("192.0.2.23", "192.0.2.0", "00-0c-29-00-00-23", "Declined",
                                   FUTURE, host="BAD_ADDRESS"),
                          wx.lease("192.0.2.24", "192.0.2.0", "00-0c-29-00-00-24", "Expired",
                                   PAST, host="gone.example.com"),
                          wx.lease("192.0.2.25", "192.0.2.0", "00-0c-29-00-00-25", "Offered"),
                          wx.lease("192.0.2.26", "192.0.2.0", "00-0c-29-00-00-26", "Bogus"),
                          wx.lease("10.9.9.9", "192.0.2.0", "00-0c-29-00-00-27", "Active", FUTURE),
                          wx.lease("192.0.2.20", "192.0.2.0", "00-0c-29-00-00-28", "Active", FUTURE),
                      ]),
             wx.scope("198.51.100.0", "255.255.255.128", "198.51.100.10", "198.51.100.100",
                      name="Old", state="InActive", duration="10675199.02:48:05.4775807",
                      superscope="Campus", leases=[
                          wx.lease("198.51.100.11", "198.51.100.0", "02-00-00-00-01-11",
                                   "Active", FUTURE, host="old.example.com")]),
             wx.scope("198.51.100.128", "255.255.255.128", "198.51.100.130", "198.51.100.140",
                      name="Boot", type_="Bootp", duration="00:30:00", delay="500",
                      superscope="Campus", exclusions=[("198.51.100.130", "198.51.100.140")],
                      leases=[]),
             wx.scope("203.0.113.0", "255.0.255.0", "203.0.113.1", "203.0.113.9", name="Broken",
                      leases=[wx.lease("203.0.113.5", "203.0.113.0", "02-00-00-00-02-05",
                                       "Active", FUTURE)]),
             wx.scope("203.0.113.128", "255.255.255.128", "203.0.113.130", "203.0.113.140",
                      name="Odd", extra=[wx.E("Frobnicate", "x")], leases=[]))]
    return wx.export(ipv4, wx.ipv6_section())


def dhcp_export():
    """One scope for real DHCP clients: pool .10-.20 without .12-.18, two
    reservations outside it (a MAC, an RFC 4361 id)."""
    ipv4 = wx.server_settings() + [
        wx.E("Classes", *wx.DEFAULT_CLASSES), wx.E("OptionDefinitions"),
        wx.E("Filters", wx.E("Allow", "false"), wx.E("Deny", "false")),
        wx.E("Scopes", wx.scope(
            "192.0.2.0", "255.255.255.0", "192.0.2.10", "192.0.2.20",
            exclusions=[("192.0.2.12", "192.0.2.18")],
            options=[wx.option_value(3, "192.0.2.1")],
            reservations=[wx.reservation("192.0.2.40", MAC_A, "mac-client"),
                          wx.reservation("192.0.2.41", NETWORKD_DASHED, "networkd-client")],
            leases=[]))]
    return wx.export(ipv4)


class ImportTestCase(KeaTestCase):

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="kwc-import-")

    def tearDown(self):
        for process in list(self.__class__.__dict__.get("processes", [])):
            process.cleanup()
        self.__class__.processes = []
        shutil.rmtree(self.tmp, ignore_errors=True)

    def write(self, name, data):
        path = os.path.join(self.tmp, name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def imported(self, export, name="out", *args):
        out = os.path.join(self.tmp, name)
        done = run_import(export, out, *args)
        return out, done

    def start(self, out, **kwargs):
        kea = self.track(ImportedKea(out, **kwargs))
        rc, text = kea.check()
        self.assertEqual(rc, 0, "kea-dhcp4 -t refused the generated configuration:\n" + text)
        return kea.start()


class RealExports(ImportTestCase):

    def test_export_without_leases(self):
        out, done = self.imported(os.path.join(DATA, "test_a.xml"))
        self.assertIn("2 scopes, 0 exclusions, 12 reservations, 10 option-values", done.stdout)
        rep = report(out)
        self.assertEqual((rep["summary"]["scopes"], rep["summary"]["reservations"],
                          rep["summary"]["option-values"], rep["summary"]["leases"]),
                         (2, 12, 10, 0))
        self.assertFalse(rep["source"]["exported-with-leases"])
        self.assertIn("without -Leases", items_by_source(rep)["IPv4/Scopes"]["reason"])
        with open(os.path.join(out, "kea-dhcp4.conf")) as f:
            subnets = json.load(f)["Dhcp4"]["subnet4"]
        self.assertEqual([s["id"] for s in subnets], [167773440, 167774720])
        hosts = [h for s in subnets for h in s.get("reservations", [])]
        # The cloned VMs share a DUID: the whole IAID+DUID (with ff) keeps them apart.
        self.assertEqual(len([h for h in hosts if h.get("client-id", "").startswith("ff:")]), 10)
        self.assertEqual(len([h for h in hosts if "hw-address" in h]), 2)
        kea = self.start(out)
        self.assertEqual(kea.records(), {})

    def test_export_with_leases_loads_with_its_windows_fields(self):
        path = os.path.join(DATA, "test_c.xml")
        out, done = self.imported(path)
        self.assertIn("16 leases", done.stdout)
        kea = self.start(out)
        records = kea.records()   # read before Kea's first reclamation (10 s)
        exported = {}
        for item in report(out)["items"]:
            if item["kind"] == "lease" and item["status"] in ("mapped", "partial"):
                exported[item["kea"][len("lease4["):-1]] = item
        self.assertEqual(set(records), set(exported))
        self.assertEqual(len(records), 13)   # 4 Active + 9 ActiveReservation
        with open(path, encoding="utf-8", newline="") as f:
            text = f.read()
        for ip, record in records.items():
            block = text[text.index("<IPAddress>%s</IPAddress>\r\n            <ScopeId>" % ip):]
            client_id = block[block.index("<ClientId>") + 10:block.index("</ClientId>")]
            host = block[block.index("<HostName>") + 10:block.index("</HostName>")]
            self.assertEqual(windows_form(record["client-hardware-address"]),
                             windows_form(client_id), record)
            self.assertEqual(record["client-name"], host)
        rep = report(out)
        inactive = [i for i in rep["items"] if i["kind"] == "lease" and
                    "reservation without an active lease" in i.get("reason", "")]
        self.assertEqual(len(inactive), 3)


class SyntheticExport(ImportTestCase):

    def setUp(self):
        super().setUp()
        self.export = self.write("everything.xml", everything_export())
        self.out, self.done = self.imported(self.export)
        self.rep = report(self.out)
        self.items = items_by_source(self.rep)
        with open(os.path.join(self.out, "kea-dhcp4.conf")) as f:
            self.config = json.load(f)["Dhcp4"]

    def item(self, source):
        self.assertIn(source, self.items, sorted(self.items))
        return self.items[source]

    def subnet(self, subnet_id):
        subnets = self.config["subnet4"] + [s for n in self.config.get("shared-networks", [])
                                            for s in n["subnet4"]]
        return next(s for s in subnets if s["id"] == subnet_id)

    def test_scopes_pools_and_lifetimes(self):
        main = self.subnet(3221225984)   # 192.0.2.0
        self.assertEqual(main["valid-lifetime"], 86400)
        self.assertEqual([p["pool"] for p in main["pools"]],
                         ["192.0.2.12 - 192.0.2.14", "192.0.2.19 - 192.0.2.38"])
        self.assertEqual(main["renew-timer"], 43200)
        self.assertEqual(self.item("IPv4/Scopes/Scope[ScopeId=192.0.2.0]/ExclusionRanges/"
                                   "IPRange[StartRange=192.0.2.50]")["status"], "dropped")
        old = self.subnet(3325256704)    # 198.51.100.0, inactive, unlimited
        self.assertEqual(old["valid-lifetime"], 4294967295)
        self.assertEqual(old["client-class"], "ms-inactive-scope")
        boot = self.subnet(3325256832)   # 198.51.100.128, BOOTP only, no pool left
        self.assertEqual(boot["pools"], [])
        self.assertEqual(boot["client-class"], "BOOTP")
        self.assertEqual(boot["valid-lifetime"], 1800)
        self.assertEqual([n["name"] for n in self.config["shared-networks"]], ["Campus"])
        self.assertTrue(any(h["library"].endswith("libdhcp_bootp.so")
                            for h in self.config["hooks-libraries"]))
        self.assertEqual(self.item("IPv4/Scopes/Scope[ScopeId=203.0.113.0]")["status"],
                         "not-mapped")
        self.assertEqual(self.item("IPv4/Scopes/Scope[ScopeId=203.0.113.128]/Frobnicate")
                         ["kind"], "unknown-element")
        self.assertEqual(self.item("IPv4/Scopes/Scope[ScopeId=198.51.100.128]")["status"],
                         "partial")

    def test_options(self):
        by_name = {o.get("name", o.get("code")): o for o in self.config["option-data"]}
        self.assertEqual(by_name["time-offset"]["data"], "-3600")
        self.assertEqual(by_name["ip-forwarding"]["data"], "true")
        self.assertEqual(by_name["default-ip-ttl"]["data"], "64")
        self.assertEqual(by_name["vendor-class-identifier"]["data"], "PXEClient")
        self.assertEqual(by_name[121], {"code": 121, "csv-format": False, "data": "18c0a8010a000001"})
        self.assertEqual(by_name[43]["data"], "010203")
        self.assertEqual(by_name[224]["data"], "00000000000000010000000000000002")
        self.assertEqual(by_name[226]["data"], "6f6e6574776f")          # String array: bytes
        self.assertEqual(by_name[227]["data"], "0104c0000201")          # EncapsulatedData
        self.assertEqual(by_name[225]["data"], "20010db8000000000000000000000053")
        self.assertEqual(by_name["boot-size"]["data"], "512")           # Word
        self.assertEqual(by_name["domain-name-servers"]["data"], "192.0.2.53")
        self.assertEqual(self.config["valid-lifetime"], 7200)
        self.assertEqual(self.config["renew-timer"], 3600)
        self.assertNotIn(60, [d["code"] for d in self.config["option-def"]
                              if d["space"] == "dhcp4"])
        defs = {d["code"]: d for d in self.config["option-def"] if d["space"] == "dhcp4"}
        self.assertEqual(defs[252]["type"], "string")
        self.assertEqual(defs[224]["type"], "binary")
        main = self.subnet(3221225984)
        self.assertIn({"name": "tftp-server-name", "data": "tftp\\,1"}, main["option-data"])
        src = "IPv4/OptionValues/OptionValue[OptionId=%s]"
        self.assertEqual(self.item(src % "44")["status"], "not-mapped")        # no Value
        self.assertEqual(self.item(src % "249")["status"], "not-mapped")       # no definition
        self.assertEqual(self.item("IPv4/Scopes/Scope[ScopeId=192.0.2.0]/OptionValues/"
                                   "OptionValue[OptionId=51]")["status"], "mapped")
        classes = {c["name"]: c for c in self.config["client-classes"]}
        self.assertEqual(classes["ms-user:Lab Phones"]["test"], "option[77].hex == 0x%s" % LAB_PHONES[2:])
        self.assertIn({"name": "domain-name", "data": "phones.example"},
                      classes["ms-user:Lab Phones"]["option-data"])
        vendor = classes["ms-vendor:Acme IP Phone"]
        self.assertEqual(vendor["test"], "substring(option[60].hex,0,4) == 0x%s" % ACME[2:])
        self.assertEqual(vendor["option-def"][0]["encapsulate"], "ms-vendor-acme-ip-phone")

    def test_classes_policies_filters(self):
        classes = {c["name"]: c for c in self.config["client-classes"]}
        lab = classes["ms-policy:server:Lab"]
        self.assertEqual(lab["test"], "(option[77].hex == 0x%s) or "
                                      "(substring(pkt4.mac,0,3) == 0x00155d)" % LAB_PHONES[2:])
        self.assertEqual(lab["valid-lifetime"], 3600)
        self.assertNotIn("ms-policy:server:Off", classes)
        self.assertEqual(self.item("IPv4/Policies/Policy[Name=Names]")["status"], "not-mapped")
        phones = classes["ms-policy:192.0.2.0:Phones"]
        # The key of the release the importer writes for (this Kea's).
        key = "only-in-additional-list" if KEA_VERSION >= (3, 0) else "only-if-required"
        self.assertIs(phones.get(key), True, phones)
        self.assertEqual(self.item("IPv4/Scopes/Scope[ScopeId=192.0.2.0]/Policies/"
                                   "Policy[Name=Phones]")["status"], "partial")
        self.assertEqual(classes["DROP"]["test"],
                         "pkt4.mac == 0x020000000099 or substring(pkt4.mac,0,2) == 0x02bb")
        self.assertEqual(self.item("IPv4/Filters/Filter[MacAddress=02-00-00-00-00-42]")
                         ["status"], "not-mapped")
        self.assertEqual(self.item("IPv4/Classes/Class[Name=Lab Phones]")["status"], "mapped")
        self.assertIn("IPv4/Classes (built-in)", self.items)
        self.assertIn("IPv4/OptionDefinitions (built-in)", self.items)

    def test_reservations(self):
        main = self.subnet(3221225984)
        hosts = {h["ip-address"]: h for h in main["reservations"]}
        self.assertEqual(hosts["192.0.2.30"]["hw-address"], "52:54:00:aa:00:01")
        self.assertNotIn("hostname", hosts["192.0.2.30"])   # "Printer 2nd floor"
        self.assertEqual(hosts["192.0.2.30"]["user-context"]["windows"]["lease"]["AddressState"],
                         "InactiveReservation")
        self.assertEqual(hosts["192.0.2.31"]["client-id"], "ff:" + colons(NETWORKD))
        self.assertEqual(hosts["192.0.2.31"]["hostname"], "linuxbox.example.com")
        self.assertEqual(hosts["192.0.2.31"]["option-data"], [{"name": "routers", "data": "192.0.2.254"}])
        self.assertEqual(hosts["192.0.2.33"]["client-id"], TYPE0.replace("-", ":"))
        src = "IPv4/Scopes/Scope[ScopeId=192.0.2.0]/Reservations/Reservation[IPAddress=%s]"
        self.assertEqual(self.item(src % "10.0.0.5")["status"], "not-mapped")
        self.assertIn("same identifier", self.item(src % "192.0.2.32")["reason"])
        self.assertEqual(self.item(src % "192.0.2.33")["status"], "partial")
        self.assertEqual(self.item(src % "192.0.2.31" + "/OptionValues/OptionValue[OptionId=51]")
                         ["status"], "not-mapped")

    def test_server_loads_exactly_the_exported_leases(self):
        kea = self.start(self.out)
        records = kea.records()
        self.assertEqual(sorted(records), sorted(["192.0.2.20", "192.0.2.21", "192.0.2.22",
                                                  "192.0.2.23", "192.0.2.24", "192.0.2.31",
                                                  "198.51.100.11"]))
        r = records["192.0.2.20"]
        self.assertEqual(r["client-hardware-address"], "00:0c:29:a2:42:a6")
        self.assertEqual(r["client-name"], "Laptop-7.Example.com")
        self.assertEqual(r["client-comment"], "a,b&c")
        self.assertEqual(r["quarantine-status"], "restricted-access")
        self.assertTrue(r["quarantine-capable"])
        self.assertEqual(r["client-lease-expires"], FUTURE.replace(" ", "T"))
        self.assertEqual(windows_form(records["192.0.2.21"]["client-hardware-address"]),
                         "56:a4:fc:21:00:01:00:01:27:9c:3c:b3:00:50:56:ae:61:ca")
        self.assertEqual(records["192.0.2.22"]["client-type"], "bootp")
        self.assertEqual(records["192.0.2.23"]["address-state"], "declined")
        self.assertEqual(records["192.0.2.23"]["client-hardware-address"], "c0:00:02:17")
        self.assertEqual(records["192.0.2.24"]["address-state"], "doom")
        self.assertEqual(windows_form(records["192.0.2.31"]["client-hardware-address"]),
                         windows_form(NETWORKD_DASHED))
        leases = {l["ip-address"]: l for l in kea.leases()}
        self.assertEqual(leases["192.0.2.20"]["user-context"]["windows"]["export"]["HostName"],
                         "Laptop-7.Example.com")
        self.assertEqual(leases["192.0.2.22"]["hostname"], "")   # not a DNS name: report
        lease_src = "IPv4/Scopes/Scope[ScopeId=192.0.2.0]/Leases/Lease[IPAddress=%s]"
        self.assertEqual(self.item(lease_src % "192.0.2.25")["status"], "dropped")
        self.assertEqual(self.item(lease_src % "192.0.2.26")["status"], "not-mapped")
        self.assertEqual(self.item(lease_src % "10.9.9.9")["status"], "not-mapped")
        replaced = [i for i in self.rep["items"] if i["kind"] == "character"]
        self.assertEqual(len(replaced), 1)
        self.assertIn("U+0001", replaced[0]["reason"])
        self.assertEqual(self.item("IPv6")["status"], "not-mapped")
        self.assertIn("1 scopes, 1 reservations, 1 leases", self.item("IPv6")["reason"])

    def test_one_item_per_source_object_and_stable_output(self):
        s = self.rep["summary"]
        self.assertEqual((s["scopes"], s["exclusions"], s["reservations"], s["leases"],
                          s["policies"], s["filters"]), (5, 6, 5, 13, 4, 3))
        self.assertEqual(s["mapped"] + s["partial"] + s["not-mapped"] + s["dropped"],
                         len(self.rep["items"]))
        again, _ = self.imported(self.export, "again")
        for name in ("kea-dhcp4.conf", "leases4.csv", "import-report.json"):
            with open(os.path.join(self.out, name), "rb") as a, \
                    open(os.path.join(again, name), "rb") as b:
                self.assertEqual(a.read(), b.read(), name)


def reorder(xml_bytes):
    """The same export hand-edited: every record's fields in reverse order
    (scripts that round-trip the file do not keep Windows' order)."""
    import xml.dom.minidom
    doc = xml.dom.minidom.parseString(xml_bytes)
    for name in ("Scope", "Reservation", "Lease", "OptionValue", "Class", "OptionDefinition"):
        for element in doc.getElementsByTagName(name):
            children = [c for c in element.childNodes if c.nodeType == c.ELEMENT_NODE]
            # Values of one option keep their order: Windows' value order is the option's.
            values = [c for c in children if c.tagName == "Value"]
            others = [c for c in children if c.tagName != "Value"]
            for c in children:
                element.removeChild(c)
            for c in list(reversed(others)) + values:
                element.appendChild(c)
    return doc.toxml(encoding="utf-8")


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE DHCPServer [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
]>
<DHCPServer xmlns="http://schemas.microsoft.com/windows/DHCPServer"><MajorVersion>&g;</MajorVersion></DHCPServer>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE DHCPServer [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<DHCPServer><MajorVersion>&secret;</MajorVersion><IPv4/></DHCPServer>
"""


class BadInput(ImportTestCase):

    def refused(self, data, expected):
        export = self.write("bad.xml", data)
        out = os.path.join(self.tmp, "out")
        os.mkdir(out)

        def limits():
            resource.setrlimit(resource.RLIMIT_AS, (256 << 20, 256 << 20))
            resource.setrlimit(resource.RLIMIT_CPU, (20, 20))
        started = time.time()
        done = subprocess.run([IMPORTER, "--out", out, export], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, universal_newlines=True, timeout=60,
                              preexec_fn=limits)
        self.assertEqual(done.returncode, 2, done.stderr)
        self.assertEqual(len(done.stderr.strip().splitlines()), 1, done.stderr)
        self.assertIn(expected, done.stderr)
        self.assertEqual(os.listdir(out), [])
        self.assertLess(time.time() - started, 30)
        return done

    def test_not_xml(self):
        self.refused(b"MajorVersion,10\r\nScope,10.0.5.0\r\n", "not a well-formed XML file")

    def test_empty_file(self):
        self.refused(b"", "not")

    def test_wrong_root(self):
        self.refused(b'<?xml version="1.0"?><Configuration><Scopes/></Configuration>',
                     "the root element is <Configuration>")

    def test_root_without_an_export_in_it(self):
        self.refused(b"<DHCPServer><Something/></DHCPServer>", "no MajorVersion")

    def test_truncated(self):
        with open(os.path.join(DATA, "test_c.xml"), "rb") as f:
            data = f.read()
        self.refused(data[:len(data) // 2], "not a well-formed XML file")

    def test_billion_laughs_is_refused_in_bounded_memory_and_time(self):
        # libxml2 stops at the entity loop (the file is then no well-formed
        # XML); a parser reaching the end would meet the DTD check instead.
        done = self.refused(BILLION_LAUGHS, "")
        self.assertRegex(done.stderr, r"not a well-formed XML file: .*entit|a DTD \(<!DOCTYPE>\)")

    def test_external_entities_are_never_read(self):
        self.refused(EXTERNAL_ENTITY, "DTD")

    def test_characters_xml_forbids_are_replaced_and_reported(self):
        with open(os.path.join(DATA, "test_c.xml"), "rb") as f:
            data = f.read()
        data = data.replace(b"<HostName>proxy.test", b"<HostName>pro\x1bxy&#x2;.test", 1)
        export = self.write("control.xml", data)
        out, _ = self.imported(export)
        replaced = [i for i in report(out)["items"] if i["kind"] == "character"]
        self.assertEqual([i["reason"][:6] for i in replaced], ["U+001B", "U+0002"])
        self.assertTrue(all(i["status"] == "partial" for i in replaced))
        self.start(out)

    def test_the_output_directory_is_made_with_its_parents(self):
        out = os.path.join(self.tmp, "migration", "site-a")
        run_import(os.path.join(DATA, "test_a.xml"), out)
        self.assertEqual(sorted(os.listdir(out)),
                         ["import-report.json", "kea-dhcp4.conf", "leases4.csv"])

    def test_a_failed_run_leaves_the_directory_as_it_was(self):
        out, _ = self.imported(os.path.join(DATA, "test_c.xml"))
        before = {n: open(os.path.join(out, n), "rb").read() for n in os.listdir(out)}
        export = self.write("bad.xml", b"<DHCPServer><MajorVersion>10</MajorVersion><IPv4>")
        done = run_import(export, out, check=False)
        self.assertEqual(done.returncode, 2)
        self.assertEqual({n: open(os.path.join(out, n), "rb").read() for n in os.listdir(out)},
                         before)

    def test_hand_edited_element_order_gives_the_same_server(self):
        path = os.path.join(DATA, "test_c.xml")
        with open(path, "rb") as f:
            edited = self.write("edited.xml", reorder(f.read()))
        first, _ = self.imported(path, "first")
        second, _ = self.imported(edited, "second")
        with open(os.path.join(first, "kea-dhcp4.conf")) as a, \
                open(os.path.join(second, "kea-dhcp4.conf")) as b:
            self.assertEqual(json.load(a), json.load(b))
        rows = []
        for out in (first, second):
            with open(os.path.join(out, "leases4.csv")) as f:
                rows.append(sorted(line.split(",")[:10] for line in f))
        self.assertEqual(rows[0], rows[1])


def perfdhcp_client(kea, port, mac, option61, tmp):
    """One relayed client doing DORA with this option 61 (perfdhcp templates,
    as in test_dhcp_identifiers); returns perfdhcp's output."""
    discover, _ = template(1, mac, option61)
    request, offsets = template(3, mac, option61, (SERVER_ID, REQUESTED_IP))
    files = []
    for name, text in (("discover.hex", discover), ("request.hex", request)):
        files.append(os.path.join(tmp, name))
        with open(files[-1], "w") as f:
            f.write(text)
    last = str(MAC_OFFSET + 5)
    argv = ["perfdhcp", "-4", "-l", "127.0.0.1", "-N", str(port), "-r", "10", "-R", "1",
            "-b", "mac=" + colons(mac), "-T", files[0], "-T", files[1], "-X", "4", "-X", "4",
            "-O", last, "-O", last, "-E", "8", "-S", str(offsets[SERVER_ID]),
            "-I", str(offsets[REQUESTED_IP]), "-n", "3", "-W", "500000", "127.0.0.1"]
    return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          timeout=60).stdout.decode(errors="replace")


class DhcpClientsOnTheImportedServer(ImportTestCase):

    def test_reservations_and_exclusions_with_real_clients(self):
        out, _ = self.imported(self.write("dhcp.xml", dhcp_export()))
        port = free_port(socket.SOCK_DGRAM)
        kea = self.start(out, dhcp_port=port)
        mac = MAC_A.replace("-", "")
        perfdhcp_client(kea, port, mac, "01" + mac, self.tmp)
        perfdhcp_client(kea, port, "020000000041", "ff" + NETWORKD, self.tmp)
        leases = {l["ip-address"]: l for l in kea.leases()}
        self.assertEqual(leases["192.0.2.40"]["hw-address"], colons(mac))
        self.assertEqual(leases["192.0.2.41"]["client-id"], "ff:" + colons(NETWORKD))
        # Many other clients: the pool is .10-.11 and .19-.20, never .12-.18.
        subprocess.run(["perfdhcp", "-4", "-l", "127.0.0.1", "-N", str(port), "-r", "50",
                        "-R", "40", "-n", "80", "-W", "500000", "127.0.0.1"],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
        given = sorted(l["ip-address"] for l in kea.leases())
        self.assertEqual(given, ["192.0.2.10", "192.0.2.11", "192.0.2.19", "192.0.2.20",
                                 "192.0.2.40", "192.0.2.41"])
        log = open(kea.path("kea.log"), errors="replace").read()
        for i in range(12, 19):
            self.assertNotIn("lease 192.0.2.%d has been" % i, log)


class Apply(ImportTestCase):

    def target(self, kea, via_rest):
        """Where --apply sends: the unix socket, or REST (kea-dhcp4's own HTTP
        socket on Kea 3.0, kea-ctrl-agent before)."""
        if not via_rest:
            return kea.socket
        if kea.http_socket:
            return "http://127.0.0.1:%d/" % kea.http_socket["port"]
        agent = self.track(Agent(kea, password="s3cret")).start()
        return "http://127.0.0.1:%d/" % agent.port

    def apply_and_compare(self, via_rest):
        export = self.write("everything.xml", everything_export())
        csv_out, _ = self.imported(export, "csv")
        from_csv = self.start(csv_out)
        empty = ImportedKea(csv_out, with_leases=False)
        if via_rest and KEA_VERSION >= (3, 0):
            empty.http_socket = {"port": free_port(),
                                 "clients": [{"user": "admin", "password": "s3cret"}]}
        self.track(empty).start()
        target = self.target(empty, via_rest)
        apply_out = os.path.join(self.tmp, "apply")
        credentials = {"KEA_WIN_IMPORT_USER": "admin", "KEA_WIN_IMPORT_PASSWORD": "s3cret"}
        done = run_import(export, apply_out, "--apply", target, env=credentials)
        self.assertFalse(os.path.exists(os.path.join(apply_out, "leases4.csv")))
        self.assertIn("applied: 7 records created", done.stdout)
        expected = from_csv.records()
        got = empty.records()
        self.assertEqual(sorted(got), sorted(expected))
        for ip in expected:
            self.assertEqual(got[ip], expected[ip], ip)
        # Applied again: every lease is refused, nothing is overwritten.
        again = run_import(export, os.path.join(self.tmp, "again"), "--apply", target,
                           env=credentials)
        self.assertIn("applied: 0 records created", again.stdout)
        refused = [i for i in report(os.path.join(self.tmp, "again"))["items"]
                   if i["kind"] == "lease" and "ERROR_DHCP_CLIENT_EXISTS" in i.get("reason", "")]
        self.assertEqual(len(refused), 7)
        self.assertEqual(empty.records(), got)

    def test_apply_over_the_unix_socket_gives_the_records_of_the_lease_file(self):
        self.apply_and_compare(via_rest=False)

    def test_apply_over_rest(self):
        self.apply_and_compare(via_rest=True)

    def test_apply_in_several_requests(self):
        """2,500 leases: three requests, one always on the server while the
        next is read from the export."""
        leases = [wx.lease("10.1.%d.%d" % (1 + i // 250, 1 + i % 250), "10.1.0.0",
                           "02-00-00-00-%02x-%02x" % (i >> 8, i & 255), "Active", FUTURE,
                           host="h%d.example.com" % i) for i in range(2500)]
        export = self.write("many.xml", wx.export(wx.server_settings() + [
            wx.E("Classes"), wx.E("Filters", wx.E("Allow", "false"), wx.E("Deny", "false")),
            wx.E("Scopes", wx.scope("10.1.0.0", "255.255.240.0", "10.1.0.10", "10.1.15.250",
                                    leases=leases))]))
        out, _ = self.imported(export, "csv")
        kea = self.start(out, with_leases=False)
        done = run_import(export, os.path.join(self.tmp, "apply"), "--apply", kea.socket)
        self.assertIn("applied: 2500 records created", done.stdout)
        records = kea.records()
        self.assertEqual(len(records), 2500)
        self.assertEqual(records["10.1.10.250"]["client-name"], "h2499.example.com")
        items = [i for i in report(os.path.join(self.tmp, "apply"))["items"] if i["kind"] == "lease"]
        self.assertEqual([i["status"] for i in items], ["mapped"] * 2500)
        self.assertEqual(items[-1]["kea"], "lease4[10.1.10.250]")
        kea.stop()
        done = run_import(export, os.path.join(self.tmp, "gone"), "--apply", kea.socket,
                          check=False)
        self.assertEqual(done.returncode, 1)
        self.assertIn("--apply", done.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "gone", "kea-dhcp4.conf")))
